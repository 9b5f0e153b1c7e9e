/* backup.h - `saldo backup`: a consistent copy of a live SQLite database.
 *
 * SQLite's online backup API copies the database as of one read snapshot
 * while `saldo serve` keeps writing (in WAL mode readers never block
 * writers). The copy is written to DEST.tmp, switched to a self-contained
 * rollback journal (no -wal file to carry), checked with PRAGMA
 * integrity_check, fsynced and renamed over DEST, and the directory fsynced:
 * DEST is either the previous file or a complete, checked copy. PostgreSQL is
 * backed up with pg_dump (docs/OPERATIONS.md). */
#ifndef SALDO_BACKUP_H
#define SALDO_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies the database of db_url ("sqlite:PATH", which must exist) to dest.
 * *pages gets the copy's page count. false with err filled; DEST.tmp is
 * removed on failure and DEST left as it was. */
bool store_backup(const char *db_url, const char *dest, int64_t *pages, char *err, size_t err_size);

#endif
