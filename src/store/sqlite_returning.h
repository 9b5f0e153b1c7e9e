/* sqlite_returning.h - which statements the SQLite driver runs without their
 * "RETURNING id".
 *
 * SQLite 3.40 runs every RETURNING clause through a temporary table built on
 * each execution: about 2 us on top of a 0.5 us INSERT (docs/PERFORMANCE.md).
 * An INSERT of one row into a table whose id is its rowid gives the same
 * answer through sqlite3_last_insert_rowid, so the driver prepares such
 * statements without the clause and answers the row itself. */
#ifndef SALDO_SQLITE_RETURNING_H
#define SALDO_SQLITE_RETURNING_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* True when sql is "INSERT INTO table (...) VALUES (...)" of one row, with
 * at most ON CONFLICT ... DO NOTHING after it, ending in " RETURNING id", and
 * id is the rowid of table (an INTEGER PRIMARY KEY of a rowid table); then
 * *len is the length of sql without the clause. */
bool sqlite_returning_rowid(sqlite3 *c, const char *sql, size_t *len);

#endif
