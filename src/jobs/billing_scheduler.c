/* billing_scheduler.c - the thread of `saldo serve` that runs the billing every
 * hour (see billing_run.h).
 *
 * It runs once at start (catching up after downtime), then waits an hour on a
 * condition variable, so billing_scheduler_stop wakes it at once; a run in
 * progress stops between two batches. Several serve nodes may run it at the
 * same time: the run's steps are claimed in the database. */
#include "jobs/billing_run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/log.h"

enum { BILLING_INTERVAL_S = 3600 };

struct billing_scheduler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    const struct app *ap;
    saldo_config cfg;
};

static bool stopping(void *ctx)
{
    billing_scheduler *s = ctx;
    pthread_mutex_lock(&s->mu);
    bool stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

static void *scheduler_main(void *arg)
{
    billing_scheduler *s = arg;
    char err[256];
    db *d = db_open(s->cfg.database, err, sizeof err);
    if (!d) {
        log_error("billing_scheduler", "error=\"%s\"", err);
        return NULL;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        billing_run_opts o = billing_run_opts_from(s->ap, &s->cfg, (int64_t)time(NULL));
        o.should_stop = stopping;
        o.stop_ctx = s;
        billing_counts counts;
        billing_run(d, &o, &counts);
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += BILLING_INTERVAL_S;
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0)
            ; /* woken for nothing but stop: wait on until the hour is up */
    }
    pthread_mutex_unlock(&s->mu);
    db_close(d);
    return NULL;
}

billing_scheduler *billing_scheduler_start(const struct app *ap, const saldo_config *cfg)
{
    billing_scheduler *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->ap = ap;
    s->cfg = *cfg;
    if (pthread_create(&s->thread, NULL, scheduler_main, s)) {
        log_error("billing_scheduler", "msg=\"cannot start the thread\"");
        free(s);
        return NULL;
    }
    return s;
}

void billing_scheduler_stop(billing_scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
