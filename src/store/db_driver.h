/* db_driver.h - what a storage driver provides to db.c (private to src/store). */
#ifndef SALDO_DB_DRIVER_H
#define SALDO_DB_DRIVER_H

#include "store/db.h"

typedef struct db_driver {
    const char *name;
    const char *begin_write_sql; /* takes the write lock up front where the store has one */
    const char *begin_read_sql;  /* a consistent snapshot for several reads */
    bool one_writer;             /* one write transaction at a time in the whole database (SQLite) */
    /* A write transaction whose COMMIT does not wait for the disk: grouped
     * requests run their own (db_group.h: groups by flush). NULL: they share
     * the group's transaction on the group's connection. */
    const char *begin_unflushed_sql;
    void *(*open)(const char *target, char *err, size_t err_size);
    void (*close)(void *conn);
    const char *(*errmsg)(void *conn);
    void *(*prepare)(void *conn, const char *sql);
    void (*finalize)(void *stmt);
    void (*bind_int64)(void *stmt, int idx, int64_t v);
    void (*bind_text)(void *stmt, int idx, const char *v);
    /* Without a copy (db_bind_text_kept); NULL: bind_text is used. */
    void (*bind_text_kept)(void *stmt, int idx, const char *v);
    void (*bind_null)(void *stmt, int idx);
    db_status (*step)(void *conn, void *stmt);
    int64_t (*col_int64)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    bool (*col_is_null)(void *stmt, int col);
    void (*reset)(void *stmt);
    db_status (*exec_script)(void *conn, const char *sql);
    int64_t (*last_id)(void *conn);
    int64_t (*changes)(void *conn);
    /* Whether stmt only reads; NULL when the store gains nothing from a
     * request's reads sharing one transaction (see db_read_scope). */
    bool (*readonly)(void *stmt);
    /* A trivial round trip to the database (db_ping). */
    bool (*ping)(void *conn, char *err, size_t err_size);
    /* Whether the connection is lost for good; NULL when it cannot be. */
    bool (*broken)(void *conn);
    /* Commits on conn stop waiting for the disk; sync_log makes what they
     * wrote durable (db_defer_sync). NULL where a commit cannot be split. With
     * begin_unflushed_sql, sync_log makes every commit of the database so far
     * durable, and defer_sync only checks that it can. */
    bool (*defer_sync)(void *conn);
    bool (*sync_log)(void *conn);
    /* Which run of the database server conn is on (db_server_run); NULL: 0. */
    int64_t (*server_run)(void *conn);
} db_driver;

extern const db_driver db_driver_sqlite;
extern const db_driver db_driver_pg;

#endif
