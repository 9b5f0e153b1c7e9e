/* db.h - the one storage interface every feature uses.
 *
 * Small on purpose (open, prepare, bind, step, column, begin/commit/rollback,
 * last id) so that a PostgreSQL driver can sit behind it without any feature
 * changing. SQL is written once for both stores: parameters are $1, $2, ... in
 * order of first use, new ids come back with RETURNING, times are int64 Unix
 * seconds (UTC), money is int64 minor units.
 *
 * A connection belongs to one thread at a time. Prepared statements are cached
 * per connection by their SQL text: db_prepare() hands back a reset statement,
 * the caller binds, steps, and calls db_done() when it has read what it needs. */
#ifndef SALDO_DB_H
#define SALDO_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum {
    DB_OK = 0,
    DB_ROW,        /* db_step: a row is ready */
    DB_DONE,       /* db_step: no more rows */
    DB_CONSTRAINT, /* a UNIQUE, CHECK or FOREIGN KEY constraint refused the write */
    DB_BUSY,       /* the database stayed locked past the busy timeout */
    DB_ERROR,      /* anything else; db_errmsg() says what */
    DB_STATUS_COUNT
} db_status;

typedef enum { DB_TX_READ, DB_TX_WRITE, DB_TX_MODE_COUNT } db_tx_mode;

/* Opens "sqlite:PATH" (created if missing). NULL on failure with err filled. */
db *db_open(const char *url, char *err, size_t err_size);
void db_close(db *d);
const char *db_errmsg(db *d);
/* Which driver: "sqlite" or "postgresql". */
const char *db_driver_name(const db *d);

/* A cached, reset statement for sql, or NULL (db_errmsg says why). The SQL must
 * stay valid while the connection lives (string literals). */
db_stmt *db_prepare(db *d, const char *sql);
void db_bind_int64(db_stmt *s, int idx, int64_t v);
void db_bind_text(db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL; copied */
/* As db_bind_text, not copied where the store can avoid it: v must stay valid
 * and unchanged until the statement is done (db_done or db_exec1). For wide
 * rows bound from one struct (a document's 40 texts). */
void db_bind_text_kept(db_stmt *s, int idx, const char *v);
void db_bind_null(db_stmt *s, int idx);
db_status db_step(db_stmt *s);
int64_t db_col_int64(db_stmt *s, int col);
/* Valid until the next step or db_done on this statement; NULL for SQL NULL. */
const char *db_col_text(db_stmt *s, int col);
bool db_col_is_null(db_stmt *s, int col);
/* Resets the statement and releases it back to the cache. */
void db_done(db_stmt *s);

/* Runs one statement that returns no rows we need; DB_DONE on success. */
db_status db_exec1(db_stmt *s);
/* Runs a script of several statements (migrations); no parameters. */
db_status db_exec_script(db *d, const char *sql);

/* Transactions. DB_TX_WRITE takes the write lock up front (no upgrade deadlocks).
 * Commits of write transactions are durable (fsync) before db_commit returns,
 * except a grouped request's (db_group.h): durable once its group is. */
db_status db_begin(db *d, db_tx_mode mode);
db_status db_commit(db *d);
void db_rollback(db *d);
bool db_in_tx(const db *d);
/* Waits, blocking, until the write transactions a grouped request committed
 * are on disk (at once when there are none). Call before acting outside the
 * store on what they wrote (a call to the payment gateway), which could
 * otherwise see a row that a crash then undoes; a statement run outside a
 * transaction waits so by itself. false when the group failed: those writes
 * do not exist. */
bool db_settle(db *d);

int64_t db_last_id(db *d);
/* Fault injection for tests: the calls-th db_step or db_exec_script from now on
 * (a ROLLBACK excepted) fails with DB_ERROR without reaching the database.
 * 0 turns it off. Per connection, so it never touches other threads. */
void db_fail_after(db *d, int calls);
/* From now until db_release_all, statements run outside a transaction share
 * one read transaction, opened by the first read and ended before anything
 * else: a write statement, db_begin or db_exec_script. A request's reads then
 * see one snapshot and, on SQLite, take the WAL read lock once instead of once
 * per statement. A no-op on stores without that cost (PostgreSQL). */
void db_read_scope(db *d);
/* Resets every statement still in use, rolls back an open transaction and ends
 * the read scope; called at the end of each request so nothing holds a
 * snapshot or a lock. Returns how many statements were left in use (a bug
 * worth logging). */
size_t db_release_all(db *d);
int64_t db_changes(db *d);

/* Whether the database answers now (readiness): a trivial query, and on
 * SQLite the file still where it was opened (not removed or renamed). Must
 * run outside a transaction (it ends the read scope's). false with the reason
 * in err. */
bool db_ping(db *d, char *err, size_t err_size);
/* True once the connection to the server is lost (PostgreSQL restarted or
 * stopped): its owner closes it and opens a new one. Never on SQLite. */
bool db_broken(const db *d);

/* For the group writer (db_group.c), which groups in one of two ways:
 * - by transaction (SQLite): its members share one transaction on its
 *   connection d. db_defer_sync: from now on a COMMIT on d writes its log but
 *   does not wait for the disk, and db_sync_log makes everything committed so
 *   far durable, so the next group can run during the sync. false: the store
 *   cannot split a commit so and d commits durably as before.
 * - by flush (PostgreSQL, db_groups_by_flush): each member commits its own
 *   transaction on its own connection without waiting for the disk, and
 *   db_sync_log on d makes every commit of the database so far durable.
 *   db_defer_sync checks that it can (false: it cannot, no grouping).
 * The store's readers may see such a commit before it is durable; nobody may
 * be told it happened before db_sync_log returned true. */
bool db_defer_sync(db *d);
bool db_sync_log(db *d);
bool db_groups_by_flush(const db *d);
/* Which run of the database server d is connected to (PostgreSQL: the
 * server's start time; 0 on SQLite). A flush covers the commits made without
 * one in its own run only: a server that restarted lost those of the run
 * before. */
int64_t db_server_run(const db *d);

/* The pattern of `lower(column) LIKE $n ESCAPE '\'` that matches text
 * containing q anywhere: q lowercased (ASCII), its % _ and \ taken literally,
 * between two %. Writes at most size bytes (NUL included); false when it does
 * not fit (2 * strlen(q) + 3 bytes always do). "" gives "%%", matching all. */
bool db_like_contains(const char *q, char *out, size_t size);

#endif
