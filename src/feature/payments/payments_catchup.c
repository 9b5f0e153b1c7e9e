/* payments_catchup.c - asks the gateway about its payments that are still
 * pending some time after they started, so that a webhook that never arrived
 * (lost, or sent while saldo was down) leaves no paid top-up uncredited and no
 * paid order unplaced. The answer goes through payment_sync, the one path that
 * credits, so a payment the webhook settles meanwhile is settled once.
 * `saldo sync-payments` runs one pass; `saldo serve` runs one a minute. */
#include "feature/payments/payments.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "jobs/worker.h"
#include "lib/log.h"

enum {
    CATCHUP_INTERVAL_MS = 60 * 1000,
    CATCHUP_MIN_AGE_S = 120,           /* the webhook's turn first */
    CATCHUP_MAX_AGE_S = 7 * 86400,     /* older pending payments were abandoned */
    CATCHUP_PER_ROUND = 25,            /* gateway calls per minute, at most */
};

/* Pending gateway payments started between max_age_s and min_age_s ago,
 * after id `after`, oldest first: up to max ids into out, -1 on error. */
static int pending_ids(db *d, int64_t now, int64_t min_age_s, int64_t after, int64_t *out, int max)
{
    db_stmt *s = db_prepare(d,
        "SELECT id FROM payments WHERE status = 'pending' AND gateway_id IS NOT NULL AND created_at <= $1"
        " AND created_at >= $2 AND id > $3 ORDER BY id LIMIT $4");
    if (!s)
        return -1;
    db_bind_int64(s, 1, now - min_age_s);
    db_bind_int64(s, 2, now - CATCHUP_MAX_AGE_S);
    db_bind_int64(s, 3, after);
    db_bind_int64(s, 4, max);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW)
        out[n++] = db_col_int64(s, 0);
    db_done(s);
    return st == DB_DONE ? n : -1;
}

int payments_catch_up(db *d, const struct app *ap, int64_t now, int64_t min_age_s, int64_t *after, int max,
                      payments_catchup_counts *c)
{
    assert(max > 0 && max <= PAYMENTS_CATCHUP_MAX && min_age_s >= 0);
    int64_t ids[PAYMENTS_CATCHUP_MAX];
    int n = pending_ids(d, now, min_age_s, *after, ids, max);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        payment p;
        *after = ids[i];
        if (payment_get(d, ids[i], &p) != 1)
            return -1;
        payment_sync_result res = payment_sync(d, ap, &p, NULL, NULL);
        if (res == SYNC_STORE_ERROR)
            return -1;
        c->checked++;
        c->unavailable += res == SYNC_UNAVAILABLE;
        c->settled += res == SYNC_OK && strcmp(p.status, "pending");
    }
    if (n < max)
        *after = 0; /* the end: start again from the oldest next time */
    return n;
}

struct payments_catchup {
    worker *w;
    const struct app *ap;
    int64_t after;
};

static bool catchup_round(worker *w, db *d, void *ctx)
{
    (void)w;
    payments_catchup *pc = ctx;
    payments_catchup_counts c = {0};
    if (payments_catch_up(d, pc->ap, (int64_t)time(NULL), CATCHUP_MIN_AGE_S, &pc->after, CATCHUP_PER_ROUND, &c) < 0)
        log_warn("payments_catchup", "error=\"%s\"", db_errmsg(d));
    else if (c.settled || c.unavailable)
        log_info("payments_catchup", "checked=%d settled=%d unavailable=%d", c.checked, c.settled, c.unavailable);
    return false;
}

payments_catchup *payments_catchup_start(const struct app *ap, const char *db_url)
{
    if (!gateway_get(ap->cfg))
        return NULL;
    payments_catchup *pc = calloc(1, sizeof *pc);
    if (!pc)
        abort();
    pc->ap = ap;
    pc->w = worker_start("payments_catchup", db_url, CATCHUP_INTERVAL_MS, catchup_round, pc);
    if (!pc->w) {
        free(pc);
        return NULL;
    }
    return pc;
}

void payments_catchup_stop(payments_catchup *pc)
{
    if (!pc)
        return;
    worker_stop(pc->w);
    free(pc);
}
