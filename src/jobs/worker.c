/* worker.c - the background thread loop of worker.h: one mutex and condition
 * variable guard the stop and poke flags; the round runs unlocked. */
#include "jobs/worker.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/log.h"

struct worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, poked;
    int interval_ms;
    worker_round round;
    void *ctx;
    char name[32];
    char db_url[1024];
};

static struct timespec deadline(int interval_ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += interval_ms / 1000;
    t.tv_nsec += (long)(interval_ms % 1000) * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

/* Waits (locked) until the interval is up, a poke or a stop. */
static void wait_for_next(worker *w)
{
    struct timespec until = deadline(w->interval_ms);
    while (!w->stop && !w->poked && pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0)
        ; /* a wake-up for nothing: wait on */
    w->poked = false;
}

/* A new connection for one lost (PostgreSQL restarted); NULL while it cannot
 * open, and the next round tries again. */
static db *reconnect(worker *w, db *lost)
{
    char err[256];
    db_close(lost);
    db *d = db_open(w->db_url, err, sizeof err);
    if (!d)
        log_error(w->name, "error=\"%s\"", err);
    return d;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    char err[256];
    db *d = db_open(w->db_url, err, sizeof err);
    if (!d) {
        log_error(w->name, "error=\"%s\"", err);
        return NULL;
    }
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        pthread_mutex_unlock(&w->mu);
        bool more = d && w->round(w, d, w->ctx);
        if (!d || db_broken(d))
            d = reconnect(w, d);
        pthread_mutex_lock(&w->mu);
        if (!more)
            wait_for_next(w);
    }
    pthread_mutex_unlock(&w->mu);
    db_close(d);
    return NULL;
}

worker *worker_start(const char *name, const char *db_url, int interval_ms, worker_round round, void *ctx)
{
    assert(name && db_url && round && interval_ms > 0);
    worker *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->interval_ms = interval_ms;
    w->round = round;
    w->ctx = ctx;
    snprintf(w->name, sizeof w->name, "%s", name);
    snprintf(w->db_url, sizeof w->db_url, "%s", db_url);
    if (pthread_create(&w->thread, NULL, worker_main, w)) {
        log_error(w->name, "msg=\"cannot start the thread\"");
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

static void wake(worker *w, bool stop)
{
    pthread_mutex_lock(&w->mu);
    if (stop)
        w->stop = true;
    else
        w->poked = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void worker_poke(worker *w)
{
    if (w)
        wake(w, false);
}

bool worker_stopping(worker *w)
{
    pthread_mutex_lock(&w->mu);
    bool stop = w->stop;
    pthread_mutex_unlock(&w->mu);
    return stop;
}

void worker_stop(worker *w)
{
    if (!w)
        return;
    wake(w, true);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

bool worker_tx_begin(db *d, db_group *g)
{
    db_attach_group(d, g); /* this round's connection: a reconnect opens another */
    db_group_next(d);
    if (db_begin(d, DB_TX_WRITE) == DB_OK)
        return true;
    db_release_all(d);
    return false;
}

bool worker_tx_end(db *d, bool keep)
{
    bool ok = keep && db_commit(d) == DB_OK;
    if (!ok)
        db_rollback(d);
    db_release_all(d);
    return ok;
}

bool worker_any_due(db *d, const char *sql, int64_t now)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, now);
    bool due = db_step(s) == DB_ROW;
    db_done(s);
    return due;
}

int64_t worker_clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
