/* db.c - driver dispatch, the per-connection statement cache and transactions. */
#include "store/db.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_driver.h"

enum { STMT_CACHE_MAX = 1024 };

struct db_stmt {
    db *owner;
    const char *sql;
    void *impl;
    bool in_use;
};

struct db {
    const db_driver *drv;
    void *conn;
    bool in_tx;
    bool scope, implicit; /* db_read_scope on; its read transaction open */
    int fail_countdown; /* fault injection: 0 = off */
    size_t in_use;      /* statements handed out and not yet done */
    size_t stmt_count;
    db_stmt stmts[STMT_CACHE_MAX]; /* open addressing on the SQL pointer */
};

db *db_open(const char *url, char *err, size_t err_size)
{
    const db_driver *drv = NULL;
    const char *target = NULL;
    if (!strncmp(url, "sqlite:", 7) && url[7]) {
        drv = &db_driver_sqlite;
        target = url + 7;
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        drv = &db_driver_pg;
        target = url;
    } else {
        snprintf(err, err_size, "database: unsupported URL '%s' (expected sqlite:PATH or postgresql://...)", url);
        return NULL;
    }
    void *conn = drv->open(target, err, err_size);
    if (!conn)
        return NULL;
    db *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->drv = drv;
    d->conn = conn;
    return d;
}

void db_close(db *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < STMT_CACHE_MAX; i++)
        if (d->stmts[i].impl)
            d->drv->finalize(d->stmts[i].impl);
    d->drv->close(d->conn);
    free(d);
}

const char *db_errmsg(db *d) { return d->drv->errmsg(d->conn); }
const char *db_driver_name(const db *d) { return d->drv->name; }

static size_t slot_of(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) % STMT_CACHE_MAX;
}

db_stmt *db_prepare(db *d, const char *sql)
{
    assert(d && sql);
    size_t i = slot_of(sql);
    for (size_t probes = 0; probes < STMT_CACHE_MAX; probes++, i = (i + 1) % STMT_CACHE_MAX) {
        db_stmt *s = &d->stmts[i];
        if (s->sql == sql) {
            assert(!s->in_use && "statement already in use: call db_done first");
            d->drv->reset(s->impl);
            s->in_use = true;
            d->in_use++;
            return s;
        }
        if (s->sql)
            continue;
        assert(d->stmt_count < STMT_CACHE_MAX * 3 / 4);
        s->impl = d->drv->prepare(d->conn, sql);
        if (!s->impl)
            return NULL;
        s->owner = d;
        s->sql = sql;
        s->in_use = true;
        d->in_use++;
        d->stmt_count++;
        return s;
    }
    abort(); /* unreachable: the table is never full */
}

void db_bind_int64(db_stmt *s, int idx, int64_t v) { s->owner->drv->bind_int64(s->impl, idx, v); }
void db_bind_text(db_stmt *s, int idx, const char *v) { s->owner->drv->bind_text(s->impl, idx, v); }
void db_bind_null(db_stmt *s, int idx) { s->owner->drv->bind_null(s->impl, idx); }

/* True when fault injection says this call fails. */
static bool injected_fault(db *d)
{
    return d->fail_countdown > 0 && --d->fail_countdown == 0;
}

void db_fail_after(db *d, int calls)
{
    d->fail_countdown = calls;
}

/* Ends the read scope's transaction, if open. A read transaction commits
 * even while a statement is still stepping (it keeps its own snapshot). */
static db_status end_implicit(db *d)
{
    if (!d->implicit)
        return DB_OK;
    d->implicit = false;
    db_status st = d->drv->exec_script(d->conn, "COMMIT");
    if (st != DB_OK)
        d->drv->exec_script(d->conn, "ROLLBACK");
    return st;
}

void db_read_scope(db *d)
{
    assert(!d->in_tx && !d->implicit);
    d->scope = d->drv->readonly != NULL;
}

/* In a read scope outside a transaction: a read joins the scope's read
 * transaction (opening it), a write ends it first and runs on its own. */
static db_status follow_scope(db *d, db_stmt *s)
{
    if (!d->scope || d->in_tx)
        return DB_OK;
    if (!d->drv->readonly(s->impl))
        return end_implicit(d);
    if (d->implicit)
        return DB_OK;
    db_status st = d->drv->exec_script(d->conn, d->drv->begin_read_sql);
    d->implicit = st == DB_OK;
    return st;
}

db_status db_step(db_stmt *s)
{
    assert(s->in_use);
    if (injected_fault(s->owner) || follow_scope(s->owner, s) != DB_OK)
        return DB_ERROR;
    return s->owner->drv->step(s->owner->conn, s->impl);
}

int64_t db_col_int64(db_stmt *s, int col) { return s->owner->drv->col_int64(s->impl, col); }
const char *db_col_text(db_stmt *s, int col) { return s->owner->drv->col_text(s->impl, col); }
bool db_col_is_null(db_stmt *s, int col) { return s->owner->drv->col_is_null(s->impl, col); }

void db_done(db_stmt *s)
{
    if (!s)
        return;
    s->owner->drv->reset(s->impl);
    if (s->in_use) {
        assert(s->owner->in_use > 0);
        s->owner->in_use--;
    }
    s->in_use = false;
}

db_status db_exec1(db_stmt *s)
{
    db_status st = db_step(s);
    if (st == DB_ROW)
        st = DB_DONE;
    db_done(s);
    return st;
}

db_status db_exec_script(db *d, const char *sql)
{
    if (strcmp(sql, "ROLLBACK") && injected_fault(d))
        return DB_ERROR;
    if (!d->in_tx && end_implicit(d) != DB_OK)
        return DB_ERROR;
    return d->drv->exec_script(d->conn, sql);
}

db_status db_begin(db *d, db_tx_mode mode)
{
    assert(!d->in_tx); /* db_exec_script ends the read scope's transaction */
    db_status st = db_exec_script(d, mode == DB_TX_WRITE ? d->drv->begin_write_sql : d->drv->begin_read_sql);
    d->in_tx = st == DB_OK;
    return st;
}

db_status db_commit(db *d)
{
    assert(d->in_tx);
    db_status st = db_exec_script(d, "COMMIT");
    if (st != DB_OK) {
        db_exec_script(d, "ROLLBACK");
    }
    d->in_tx = false;
    return st;
}

/* Resets every statement still handed out; returns how many there were. */
static size_t done_all(db *d)
{
    size_t released = 0;
    for (size_t i = 0; i < STMT_CACHE_MAX && d->in_use > 0; i++)
        if (d->stmts[i].in_use) {
            db_done(&d->stmts[i]);
            released++;
        }
    assert(d->in_use == 0);
    return released;
}

void db_rollback(db *d)
{
    if (!d->in_tx)
        return;
    done_all(d);
    db_exec_script(d, "ROLLBACK");
    d->in_tx = false;
}

bool db_in_tx(const db *d) { return d->in_tx; }
int64_t db_last_id(db *d) { return d->drv->last_id(d->conn); }
int64_t db_changes(db *d) { return d->drv->changes(d->conn); }

size_t db_release_all(db *d)
{
    size_t released = done_all(d);
    if (d->in_tx)
        db_rollback(d);
    end_implicit(d);
    d->scope = false;
    return released;
}

bool db_ping(db *d, char *err, size_t err_size)
{
    assert(!d->in_tx);
    if (end_implicit(d) != DB_OK) {
        snprintf(err, err_size, "database: %s", db_errmsg(d));
        return false;
    }
    return d->drv->ping(d->conn, err, err_size);
}

bool db_broken(const db *d)
{
    return d->drv->broken && d->drv->broken(d->conn);
}

bool db_like_contains(const char *q, char *out, size_t size)
{
    assert(q && out && size >= 3);
    size_t n = 0;
    out[n++] = '%';
    for (const char *p = q; *p; p++) {
        if (n + 4 > size)
            return out[0] = '\0', false;
        if (*p == '%' || *p == '_' || *p == '\\')
            out[n++] = '\\';
        out[n++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
    }
    if (n + 2 > size)
        return out[0] = '\0', false;
    out[n++] = '%';
    out[n] = '\0';
    return true;
}
