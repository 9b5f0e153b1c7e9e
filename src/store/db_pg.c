/* db_pg.c - the PostgreSQL driver (libpq), behind the same db.h as SQLite.
 *
 * Statements are prepared once per connection (PQprepare) and executed with
 * text parameters; a step walks the rows of the result. Booleans come back as
 * 1/0 through col_int64 so that SQL comparing values reads the same on both
 * stores. SQLSTATE class 23 is a constraint violation; serialization failures
 * and deadlocks report DB_BUSY so callers may retry.
 *
 * Group commit (db_group.h) groups by flush here: a grouped request commits
 * its own transaction with synchronous_commit off, and the group writer's
 * connection then flushes the WAL once for all of them (pg_sync_log). */
#include "store/db_driver.h"

#include <assert.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PG_PARAMS_MAX = 64, PG_BOOL_OID = 16 }; /* 64: an issued document is one INSERT of 56 */
enum { PG_RECONNECT_MS = 10000, PG_RECONNECT_PAUSE_MS = 100 }; /* the flush connection: pg_sync_log */

typedef struct pg_conn {
    PGconn *conn;
    unsigned next_stmt_no;
    int64_t changes;
    char err[512];
    int64_t run;        /* the server's start time (µs since 1970) when connected: its run */
} pg_conn;

typedef struct pg_stmt {
    pg_conn *c;
    char name[16];
    int nparams;
    char *params[PG_PARAMS_MAX];
    PGresult *res;
    int row;            /* next row to return; -1 before execution */
} pg_stmt;

/* Which run of the server this connection is on: its start time. A
 * connection lives in one run (a restart ends it), so what it committed
 * without a flush is covered only by a flush in the same run. 0: unknown. */
static void read_run(pg_conn *c)
{
    PGresult *r = PQexec(c->conn, "SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint");
    c->run = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
}

static void *pg_open(const char *url, char *err, size_t err_size)
{
    pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    /* A connection attempt gives up after 5 s unless the URL says otherwise
     * (its own connect_timeout comes after ours and wins): a node whose
     * database is unreachable answers 503 promptly instead of hanging. */
    const char *const keys[] = {"connect_timeout", "dbname", NULL};
    const char *const values[] = {"5", url, NULL};
    c->conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        snprintf(err, err_size, "database: %s", PQerrorMessage(c->conn));
        err[strcspn(err, "\n")] = '\0';
        PQfinish(c->conn);
        free(c);
        return NULL;
    }
    PGresult *r = PQexec(c->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    PQclear(r);
    read_run(c);
    return c;
}

static void pg_close(void *conn)
{
    pg_conn *c = conn;
    PQfinish(c->conn);
    free(c);
}

static const char *pg_errmsg(void *conn)
{
    pg_conn *c = conn;
    return c->err[0] ? c->err : PQerrorMessage(c->conn);
}

static void remember_error(pg_conn *c, const PGresult *r)
{
    snprintf(c->err, sizeof c->err, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
    c->err[strcspn(c->err, "\n")] = '\0';
}

/* Counts $n placeholders outside string literals: the highest n. */
static int count_params(const char *sql)
{
    int max = 0;
    bool in_str = false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'')
            in_str = !in_str;
        else if (!in_str && *p == '$' && p[1] >= '1' && p[1] <= '9') {
            int n = (int)strtol(p + 1, NULL, 10);
            if (n > max)
                max = n;
        }
    }
    return max;
}

static void *pg_prepare(void *conn, const char *sql)
{
    pg_conn *c = conn;
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->c = c;
    s->row = -1;
    s->nparams = count_params(sql);
    assert(s->nparams <= PG_PARAMS_MAX);
    snprintf(s->name, sizeof s->name, "s%u", ++c->next_stmt_no);
    PGresult *r = PQprepare(c->conn, s->name, sql, 0, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        remember_error(c, r);
    PQclear(r);
    if (!ok) {
        free(s);
        return NULL;
    }
    return s;
}

static void clear_params(pg_stmt *s)
{
    for (int i = 0; i < PG_PARAMS_MAX; i++) {
        free(s->params[i]);
        s->params[i] = NULL;
    }
}

static void pg_reset(void *stmt)
{
    pg_stmt *s = stmt;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    clear_params(s);
}

static void pg_finalize(void *stmt)
{
    pg_stmt *s = stmt;
    pg_reset(s);
    free(s);
}

static void set_param(pg_stmt *s, int idx, char *v)
{
    assert(idx >= 1 && idx <= s->nparams);
    free(s->params[idx - 1]);
    s->params[idx - 1] = v;
}

static void pg_bind_int64(void *stmt, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(stmt, idx, strdup(buf));
}

static void pg_bind_text(void *stmt, int idx, const char *v)
{
    set_param(stmt, idx, v ? strdup(v) : NULL);
}

static void pg_bind_null(void *stmt, int idx)
{
    set_param(stmt, idx, NULL);
}

static db_status map_error(pg_conn *c, PGresult *r)
{
    remember_error(c, r);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (state && !strncmp(state, "23", 2))
        return DB_CONSTRAINT;
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
        return DB_BUSY;
    return DB_ERROR;
}

static db_status pg_step(void *conn, void *stmt)
{
    pg_conn *c = conn;
    pg_stmt *s = stmt;
    if (s->row < 0) {
        s->res = PQexecPrepared(c->conn, s->name, s->nparams, (const char *const *)s->params, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(s->res);
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
            return map_error(c, s->res);
        const char *n = PQcmdTuples(s->res);
        c->changes = n && *n ? strtoll(n, NULL, 10) : 0;
        s->row = 0;
    }
    if (s->row < PQntuples(s->res)) {
        s->row++;
        return DB_ROW;
    }
    return DB_DONE;
}

static int64_t pg_col_int64(void *stmt, int col)
{
    pg_stmt *s = stmt;
    assert(s->row > 0);
    if (PQgetisnull(s->res, s->row - 1, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row - 1, col);
    if (PQftype(s->res, col) == PG_BOOL_OID)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *stmt, int col)
{
    pg_stmt *s = stmt;
    assert(s->row > 0);
    if (PQgetisnull(s->res, s->row - 1, col))
        return NULL;
    return PQgetvalue(s->res, s->row - 1, col);
}

static bool pg_col_is_null(void *stmt, int col)
{
    pg_stmt *s = stmt;
    return PQgetisnull(s->res, s->row - 1, col);
}

static db_status pg_exec_script(void *conn, const char *sql)
{
    pg_conn *c = conn;
    PGresult *r = PQexec(c->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    db_status out = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? DB_OK : map_error(c, r);
    PQclear(r);
    return out;
}

static int64_t pg_last_id(void *conn)
{
    pg_conn *c = conn;
    PGresult *r = PQexec(c->conn, "SELECT lastval()");
    int64_t id = PQresultStatus(r) == PGRES_TUPLES_OK ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return id;
}

static int64_t pg_changes(void *conn)
{
    return ((pg_conn *)conn)->changes;
}

static bool pg_ping(void *conn, char *err, size_t err_size)
{
    pg_conn *c = conn;
    PGresult *r = PQexec(c->conn, "SELECT 1");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) {
        snprintf(err, err_size, "database: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
        err[strcspn(err, "\n")] = '\0';
    }
    PQclear(r);
    return ok;
}

/* libpq marks the connection bad when the server went away; it never comes
 * back by itself (the prepared statements die with it), so the owner reopens. */
static bool pg_broken(void *conn)
{
    return PQstatus(((pg_conn *)conn)->conn) == CONNECTION_BAD;
}

/* Flushes every commit of the server so far: a transaction that writes one
 * WAL record (a logical message, which nobody decodes) commits with the
 * server's synchronous_commit (on by default), so it waits for the flush of
 * its commit record, which comes after every earlier one in the WAL. A
 * commit that writes nothing would not wait. */
static bool flush_once(pg_conn *c)
{
    PGresult *r = PQexec(c->conn, "BEGIN; SELECT pg_logical_emit_message(true, 'saldo.group', ''); COMMIT");
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok;
}

/* The group writer's connection: it will flush on demand (pg_sync_log). false
 * when the server refuses (its function not allowed). */
static bool pg_defer_sync(void *conn)
{
    return flush_once(conn);
}

/* A connection lost before or during a flush (the server restarted, an
 * administrator ended it) is opened again for the flush, waiting up to
 * PG_RECONNECT_MS for a server that is coming back; the caller then compares
 * the runs (db_server_run), which tells a dropped connection (same run: the
 * members' commits stand) from a restart (they may be lost). */
static bool pg_sync_log(void *conn)
{
    pg_conn *c = conn;
    if (flush_once(c))
        return true;
    /* libpq may not have seen the end of the connection yet (it read the
     * server's last words), so any failure gets a new connection. */
    for (int waited = 0; ; waited += PG_RECONNECT_PAUSE_MS) {
        PQreset(c->conn);
        if (PQstatus(c->conn) == CONNECTION_OK)
            break;
        if (waited >= PG_RECONNECT_MS)
            return false;
        nanosleep(&(struct timespec){0, PG_RECONNECT_PAUSE_MS * 1000000L}, NULL);
    }
    read_run(c);
    return flush_once(c);
}

static int64_t pg_server_run(void *conn)
{
    pg_conn *c = conn;
    if (!c->run)
        read_run(c);
    return c->run;
}

const db_driver db_driver_pg = {
    .name = "postgresql",
    .begin_write_sql = "BEGIN",
    .begin_read_sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    .begin_unflushed_sql = "BEGIN; SET LOCAL synchronous_commit = off",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .reset = pg_reset,
    .exec_script = pg_exec_script,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .ping = pg_ping,
    .broken = pg_broken,
    .defer_sync = pg_defer_sync,
    .sync_log = pg_sync_log,
    .server_run = pg_server_run,
};
