/* billing_scheduler.c - the worker of `saldo serve` that runs the billing every
 * hour (see billing_run.h).
 *
 * It runs once at start (catching up after downtime), then every hour; a run
 * in progress stops between two batches when the server stops. Several serve
 * nodes may run it at the same time: the run's steps are claimed in the
 * database. */
#include "jobs/billing_run.h"

#include <stdlib.h>
#include <time.h>

#include "jobs/worker.h"

enum { BILLING_INTERVAL_MS = 3600 * 1000 };

struct billing_scheduler {
    worker *w;
    const struct app *ap;
    saldo_config cfg;
};

static bool stopping(void *ctx)
{
    return worker_stopping(ctx);
}

static bool billing_round(worker *w, db *d, void *ctx)
{
    billing_scheduler *s = ctx;
    billing_run_opts o = billing_run_opts_from(s->ap, &s->cfg, (int64_t)time(NULL));
    o.should_stop = stopping;
    o.stop_ctx = w;
    billing_counts counts;
    billing_run(d, &o, &counts);
    return false;
}

billing_scheduler *billing_scheduler_start(const struct app *ap, const saldo_config *cfg)
{
    billing_scheduler *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->ap = ap;
    s->cfg = *cfg;
    s->w = worker_start("billing_scheduler", cfg->database, BILLING_INTERVAL_MS, billing_round, s);
    if (!s->w) {
        free(s);
        return NULL;
    }
    return s;
}

void billing_scheduler_stop(billing_scheduler *s)
{
    if (!s)
        return;
    worker_stop(s->w);
    free(s);
}
