/* billing_run_last.c - the billing_run_last row (migration 0020): what the
 * last finished billing run did, kept for GET /metrics (see billing_run.h).
 * One row for the whole installation, so every node's scrape sees the same. */
#include "jobs/billing_run.h"

#include <assert.h>
#include <string.h>
#include <time.h>

#include "lib/log.h"

void billing_run_record(db *d, int64_t run_at, int64_t started_at, bool ok, const billing_counts *c)
{
    assert(d && c && !db_in_tx(d));
    db_stmt *s = db_prepare(d,
        "INSERT INTO billing_run_last (id, run_at, started_at, finished_at, ok, renewed, failed, reminders,"
        " suspended, terminated, batches, runs_ok, runs_failed)"
        " VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4, $11)"
        " ON CONFLICT (id) DO UPDATE SET run_at = excluded.run_at, started_at = excluded.started_at,"
        " finished_at = excluded.finished_at, ok = excluded.ok, renewed = excluded.renewed,"
        " failed = excluded.failed, reminders = excluded.reminders, suspended = excluded.suspended,"
        " terminated = excluded.terminated, batches = excluded.batches,"
        " runs_ok = billing_run_last.runs_ok + excluded.runs_ok,"
        " runs_failed = billing_run_last.runs_failed + excluded.runs_failed");
    db_status st = DB_ERROR;
    if (s) {
        db_bind_int64(s, 1, run_at);
        db_bind_int64(s, 2, started_at);
        db_bind_int64(s, 3, (int64_t)time(NULL));
        db_bind_int64(s, 4, ok ? 1 : 0);
        db_bind_int64(s, 5, c->renewed);
        db_bind_int64(s, 6, c->failed);
        db_bind_int64(s, 7, c->reminders);
        db_bind_int64(s, 8, c->suspended);
        db_bind_int64(s, 9, c->terminated);
        db_bind_int64(s, 10, c->batches);
        db_bind_int64(s, 11, ok ? 0 : 1);
        st = db_exec1(s);
    }
    if (st != DB_DONE)
        log_warn("billing_run_record", "error=\"%s\"", db_errmsg(d));
}

int billing_run_last(db *d, billing_run_summary *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d,
        "SELECT run_at, started_at, finished_at, ok, renewed, failed, reminders, suspended, terminated,"
        " batches, runs_ok, runs_failed FROM billing_run_last WHERE id = 1");
    if (!s)
        return -1;
    db_status st = db_step(s);
    if (st == DB_ROW) {
        out->run_at = db_col_int64(s, 0);
        out->started_at = db_col_int64(s, 1);
        out->finished_at = db_col_int64(s, 2);
        out->ok = db_col_int64(s, 3) != 0;
        out->counts.renewed = db_col_int64(s, 4);
        out->counts.failed = db_col_int64(s, 5);
        out->counts.reminders = db_col_int64(s, 6);
        out->counts.suspended = db_col_int64(s, 7);
        out->counts.terminated = db_col_int64(s, 8);
        out->counts.batches = db_col_int64(s, 9);
        out->runs_ok = db_col_int64(s, 10);
        out->runs_failed = db_col_int64(s, 11);
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}
