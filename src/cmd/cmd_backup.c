/* cmd_backup.c - `saldo backup DEST`: a consistent copy of the live SQLite
 * database, safe while `saldo serve` runs (store/backup.h). */
#include "cmd/cmd.h"

#include <stdio.h>

#include "store/backup.h"

int cmd_backup(int argc, char **argv)
{
    static const char *const usage =
        "usage: saldo backup DEST [configuration flags]\n"
        "Copies the SQLite database (--database sqlite:PATH) to DEST while saldo serve runs:\n"
        "one consistent snapshot, written to DEST.tmp, checked with PRAGMA integrity_check,\n"
        "fsynced and renamed to DEST. Restore: stop saldo serve, copy DEST back to PATH\n"
        "(removing PATH-wal and PATH-shm), start it. PostgreSQL: use pg_dump\n"
        "(docs/OPERATIONS.md). Exit 0 on success, 1 on failure, 2 on bad arguments.\n";
    saldo_config cfg;
    const char *dest = NULL;
    int code;
    if (!cmd_args(argc, argv, usage, &cfg, NULL, &dest, 1, &code))
        return code;
    if (!dest) {
        fprintf(stderr, "saldo: backup needs a destination file (see --help)\n");
        return 2;
    }
    char err[1024];
    int64_t pages = 0;
    if (!store_backup(cfg.database, dest, &pages, err, sizeof err)) {
        fprintf(stderr, "saldo: %s\n", err);
        return 1;
    }
    printf("saldo: backed up %s to %s (%lld pages, integrity ok)\n", cfg.database, dest, (long long)pages);
    return 0;
}
