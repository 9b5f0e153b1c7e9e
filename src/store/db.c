/* db.c - driver dispatch, the per-connection statement cache and transactions. */
#include "store/db.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_driver.h"
#include "store/db_group.h"

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
    db_group *group;    /* where grouped write transactions go (db_group.h) */
    bool grouped;       /* this request's write transactions join the group */
    db *tx_target;      /* the group's connection while in a grouped transaction */
    bool unflushed;     /* in a grouped transaction of its own (groups by flush) */
    uint64_t ticket;    /* the latest generation joined */
    uint64_t settled;   /* the latest generation seen durable */
    bool outsider;      /* in a write transaction of its own beside the group (db_group_outsider) */
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

const char *db_errmsg(db *d) { return d->tx_target ? db_errmsg(d->tx_target) : d->drv->errmsg(d->conn); }
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
    if (d->tx_target)
        return db_prepare(d->tx_target, sql);
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

void db_bind_text_kept(db_stmt *s, int idx, const char *v)
{
    const db_driver *drv = s->owner->drv;
    (drv->bind_text_kept ? drv->bind_text_kept : drv->bind_text)(s->impl, idx, v);
}

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

static bool settle(db *d);

db_status db_step(db_stmt *s)
{
    assert(s->in_use);
    if (injected_fault(s->owner) || !settle(s->owner) || follow_scope(s->owner, s) != DB_OK)
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
    if (d->tx_target)
        return db_exec_script(d->tx_target, sql);
    if (!settle(d))
        return DB_ERROR;
    if (strcmp(sql, "ROLLBACK") && injected_fault(d))
        return DB_ERROR;
    if (!d->in_tx && end_implicit(d) != DB_OK)
        return DB_ERROR;
    return d->drv->exec_script(d->conn, sql);
}

static size_t done_all(db *d);

/* A write transaction of a grouped request: a member of the group. The read
 * scope's snapshot ends first, as for a transaction of its own. */
static db_status begin_member(db *d)
{
    if (injected_fault(d) || end_implicit(d) != DB_OK)
        return DB_ERROR;
    uint64_t gen;
    db *t = db_group_enter(d->group, &gen);
    if (!t)
        return DB_ERROR;
    d->tx_target = t;
    d->in_tx = true;
    d->ticket = gen > d->ticket ? gen : d->ticket;
    return DB_OK;
}

/* A grouped write transaction where the group writer groups by flush: a
 * transaction of d's own whose COMMIT does not wait for the disk. */
static db_status begin_unflushed(db *d)
{
    db_status st = db_exec_script(d, d->drv->begin_unflushed_sql);
    d->in_tx = d->unflushed = st == DB_OK;
    return st;
}

/* Its end, committed or not: the request waits for the next flush, which
 * covers its commit and whatever unflushed commit it read. Not when the
 * server went away meanwhile: then nothing was committed, the request fails,
 * and a flush in the server's next run could not vouch for what it read. */
static void end_unflushed(db *d)
{
    d->unflushed = false;
    if (db_broken(d))
        return;
    uint64_t gen = db_group_join_flush(d->group, db_server_run(d));
    d->ticket = gen > d->ticket ? gen : d->ticket;
}

/* Ends a member's transaction: its statements reset, its savepoint released
 * (keep) or rolled back. */
static db_status end_member(db *d, bool keep)
{
    done_all(d->tx_target);
    db_status st = db_group_leave(d->group, keep);
    d->tx_target = NULL;
    d->in_tx = false;
    return st;
}

/* A grouped request that runs a statement outside the group's transaction
 * after joining a group waits, blocking, for that group to be on disk: it
 * reads its own writes and acts on nothing that could still vanish. false
 * when the group failed (its writes do not exist). */
static bool settle(db *d)
{
    if (!d->ticket || d->in_tx || d->ticket == d->settled)
        return true;
    if (db_group_wait(d->group, d->ticket) != DB_GROUP_DURABLE)
        return false;
    d->settled = d->ticket;
    return true;
}

bool db_settle(db *d)
{
    assert(!d->in_tx);
    return settle(d);
}

void db_attach_group(db *d, db_group *g) { d->group = g; }
void db_group_next(db *d)
{
    if (!d->group || d->grouped)
        return;
    d->grouped = true;
    db_group_arrive(d->group);
}

uint64_t db_take_group_ticket(db *d)
{
    uint64_t t = d->ticket;
    d->ticket = d->settled = 0;
    return t;
}

db_status db_begin(db *d, db_tx_mode mode)
{
    assert(!d->in_tx); /* db_exec_script ends the read scope's transaction */
    if (mode == DB_TX_WRITE && d->grouped)
        return d->drv->begin_unflushed_sql ? begin_unflushed(d) : begin_member(d);
    bool outsider = mode == DB_TX_WRITE && d->group && d->drv->one_writer;
    if (outsider)
        db_group_outsider(d->group, true);
    db_status st = db_exec_script(d, mode == DB_TX_WRITE ? d->drv->begin_write_sql : d->drv->begin_read_sql);
    d->in_tx = st == DB_OK;
    d->outsider = outsider && d->in_tx;
    if (outsider && !d->in_tx)
        db_group_outsider(d->group, false);
    return st;
}

/* A transaction of its own ended: the group may take the write lock again. */
static void end_outsider(db *d)
{
    if (!d->outsider)
        return;
    d->outsider = false;
    db_group_outsider(d->group, false);
}

db_status db_commit(db *d)
{
    assert(d->in_tx);
    if (d->tx_target)
        return end_member(d, true);
    db_status st = db_exec_script(d, "COMMIT");
    if (st != DB_OK) {
        db_exec_script(d, "ROLLBACK");
    }
    d->in_tx = false;
    end_outsider(d);
    if (d->unflushed)
        end_unflushed(d);
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
    if (d->tx_target) {
        end_member(d, false);
        return;
    }
    done_all(d);
    db_exec_script(d, "ROLLBACK");
    d->in_tx = false;
    end_outsider(d);
    if (d->unflushed)
        end_unflushed(d);
}

bool db_in_tx(const db *d) { return d->in_tx; }
int64_t db_last_id(db *d) { return d->tx_target ? db_last_id(d->tx_target) : d->drv->last_id(d->conn); }
int64_t db_changes(db *d) { return d->tx_target ? db_changes(d->tx_target) : d->drv->changes(d->conn); }

size_t db_release_all(db *d)
{
    size_t released = done_all(d) + (d->tx_target ? done_all(d->tx_target) : 0);
    if (d->in_tx)
        db_rollback(d);
    end_implicit(d);
    d->scope = false;
    if (d->grouped)
        db_group_depart(d->group);
    d->grouped = false;
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

bool db_defer_sync(db *d)
{
    assert(!d->in_tx);
    return d->drv->defer_sync && d->drv->defer_sync(d->conn);
}

bool db_groups_by_flush(const db *d) { return d->drv->begin_unflushed_sql != NULL; }
int64_t db_server_run(const db *d) { return d->drv->server_run ? d->drv->server_run(d->conn) : 0; }

bool db_sync_log(db *d)
{
    assert(d->drv->sync_log);
    return d->drv->sync_log(d->conn);
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
