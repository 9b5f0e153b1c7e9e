/* cmd_db.c - `saldo migrate` and `saldo ledger verify`. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "store/migrate.h"

int cmd_migrate(int argc, char **argv)
{
    static const char *const usage = "usage: saldo migrate [configuration flags]\n"
                                     "Applies the database migrations not applied yet.\n";
    saldo_config cfg;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, NULL, 0, &code))
        return code;
    char err[512];
    db *d = db_open(cfg.database, err, sizeof err);
    if (!d) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    int applied = db_migrate(d, err, sizeof err);
    db_close(d);
    if (applied < 0) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    printf("saldo: %d migration(s) applied to %s\n", applied, cfg.database);
    return 0;
}

int cmd_ledger(int argc, char **argv)
{
    static const char *const usage =
        "usage: saldo ledger verify [configuration flags]\n"
        "Recomputes every balance from the transfers; exit 0 when the ledger holds,\n"
        "1 when it does not (each problem is named), 2 on bad arguments.\n";
    saldo_config cfg;
    const char *sub = NULL;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, &sub, 1, &code))
        return code;
    if (!sub || strcmp(sub, "verify")) {
        fprintf(stderr, "saldo: ledger needs a subcommand: verify\n");
        return 2;
    }
    db *d = cmd_open_db(&cfg);
    if (!d)
        return 1;
    int problems = ledger_verify(d, stdout);
    db_close(d);
    return problems == 0 ? 0 : 1;
}
