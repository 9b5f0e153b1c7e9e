/* migrate.c - applies src/store/migrations/<driver>/NNNN_name.sql in order.
 *
 * Each store has its own DDL (migrations/sqlite, migrations/pg) with the same
 * tables and constraints; queries are shared. The version is the number before
 * the first '_'; each one is recorded in schema_migrations in the same
 * transaction as its script. */
#include "store/migrate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/embedded.h"

extern const embedded_file migrations_sqlite[];
extern const embedded_file migrations_pg[];

static const char *const create_versions =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

static int apply_one(db *d, const embedded_file *m, char *err, size_t err_size)
{
    long version = strtol(m->name, NULL, 10);
    assert(version > 0);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        goto fail;
    db_stmt *s = db_prepare(d, "SELECT 1 FROM schema_migrations WHERE version = $1");
    if (!s)
        goto fail;
    db_bind_int64(s, 1, version);
    db_status st = db_step(s);
    db_done(s);
    if (st == DB_ROW) {
        db_rollback(d);
        return 0;
    }
    char *sql = strndup(m->data, m->len);
    if (!sql)
        abort();
    st = db_exec_script(d, sql);
    free(sql);
    if (st != DB_OK)
        goto fail;
    s = db_prepare(d, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
    if (!s)
        goto fail;
    db_bind_int64(s, 1, version);
    db_bind_text(s, 2, m->name);
    db_bind_int64(s, 3, (int64_t)time(NULL));
    if (db_exec1(s) != DB_DONE || db_commit(d) != DB_OK)
        goto fail;
    return 1;
fail:
    snprintf(err, err_size, "migration %s: %s", m->name, db_errmsg(d));
    db_rollback(d);
    return -1;
}

int db_migrate(db *d, char *err, size_t err_size)
{
    if (db_exec_script(d, create_versions) != DB_OK) {
        snprintf(err, err_size, "migrations: %s", db_errmsg(d));
        return -1;
    }
    int applied = 0;
    const embedded_file *list = strcmp(db_driver_name(d), "sqlite") ? migrations_pg : migrations_sqlite;
    for (const embedded_file *m = list; m->name; m++) {
        int r = apply_one(d, m, err, err_size);
        if (r < 0)
            return -1;
        applied += r;
    }
    return applied;
}
