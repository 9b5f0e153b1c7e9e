/* cmd_copy.h - copying a SQLite installation into PostgreSQL (saldo migrate
 * --copy-from). */
#ifndef SALDO_CMD_COPY_H
#define SALDO_CMD_COPY_H

#include "store/db.h"

/* Copies every table of the SQLite database at source_url ("sqlite:PATH")
 * into target (PostgreSQL, migrated to the latest schema, empty of data) in
 * one transaction, prints the rows per table and runs the ledger check.
 * Returns the exit code: 0 done, 1 refused or failed (why on stderr). */
int copy_sqlite_to(db *target, const char *source_url);

#endif
