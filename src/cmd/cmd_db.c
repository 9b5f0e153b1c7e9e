/* cmd_db.c - `saldo migrate` (and its --copy-from) and `saldo ledger verify`. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cmd_copy.h"
#include "feature/ledger/ledger.h"
#include "store/migrate.h"

int cmd_migrate(int argc, char **argv)
{
    static const char *const usage =
        "usage: saldo migrate [--copy-from sqlite:PATH] [configuration flags]\n"
        "Applies the database migrations not applied yet. With --copy-from, then copies\n"
        "that SQLite database (live or not) into the --database, which must be PostgreSQL\n"
        "and empty of data, and runs `saldo ledger verify` on the copy.\n";
    saldo_config cfg;
    const char *copy_from = NULL;
    const cmd_flag flags[] = {{"--copy-from", true, &copy_from}, {NULL, false, NULL}};
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, flags, NULL, 0, &code))
        return code;
    if (copy_from && strncmp(cfg.database, "postgres", 8)) {
        fprintf(stderr, "saldo: --copy-from copies into PostgreSQL: give --database postgresql://...\n");
        return 2;
    }
    char err[512];
    db *d = db_open(cfg.database, err, sizeof err);
    if (!d) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    int applied = db_migrate(d, err, sizeof err);
    if (applied < 0) {
        fprintf(stderr, "saldo: %s\n", err);
        db_close(d);
        return 1;
    }
    printf("saldo: %d migration(s) applied to %s\n", applied, cfg.database);
    code = copy_from ? copy_sqlite_to(d, copy_from) : 0;
    db_close(d);
    return code;
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
