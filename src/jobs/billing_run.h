/* billing_run.h - the billing run: automatic renewals, reminders, suspension
 * and termination of services, for one point in time.
 *
 * Run by `saldo billing-run [--at DATE]` and hourly by a thread of `saldo
 * serve`. Every step it takes (a renewal, a reminder, a failed renewal's
 * notice, a suspension, a termination) is recorded with a unique key in the
 * transaction of its effect and its mail, so running twice for the same time,
 * or two runs at once, does each thing once. Services are handled in batches
 * (one transaction each, keyset pagination by id) so memory stays flat in the
 * number of services. */
#ifndef SALDO_BILLING_RUN_H
#define SALDO_BILLING_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/config.h"
#include "store/db.h"

struct app;

enum {
    BILLING_BATCH_DEFAULT = 1000, /* services per transaction */
    BILLING_BATCH_MAX = 10000,
    BILLING_DAY_S = 86400,
};

typedef struct billing_run_opts {
    const struct app *ap; /* templates and base URL for the mails */
    int64_t at;           /* the run's "now", Unix seconds */
    int renewal_window_days, grace_days, termination_days;
    int batch_size;       /* 0 = BILLING_BATCH_DEFAULT */
    /* Asked between batches; true stops the run early (SIGTERM). May be NULL. */
    bool (*should_stop)(void *ctx);
    void *stop_ctx;
} billing_run_opts;

typedef struct billing_counts {
    int64_t renewed;    /* services renewed and paid */
    int64_t failed;     /* automatic renewals the balance did not cover (notified once per expiry) */
    int64_t reminders;  /* reminders queued */
    int64_t suspended;
    int64_t terminated;
    int64_t batches;    /* transactions committed */
} billing_counts;

/* opts with the configuration's day counts, at and ap. */
billing_run_opts billing_run_opts_from(const struct app *ap, const saldo_config *cfg, int64_t at);

/* Runs the billing for o->at on d. Committed batches stay committed; false
 * when a batch failed (store error, rolled back) and the run stopped there.
 * out holds what the committed batches did. */
bool billing_run(db *d, const billing_run_opts *o, billing_counts *out);

/* What the last finished run did, on any node (billing_run_last.c). */
typedef struct billing_run_summary {
    int64_t run_at, started_at, finished_at; /* Unix seconds */
    bool ok;
    billing_counts counts;
    int64_t runs_ok, runs_failed;            /* every run since the first */
} billing_run_summary;

/* Records a finished run (its own transaction; a failure is only logged). */
void billing_run_record(db *d, int64_t run_at, int64_t started_at, bool ok, const billing_counts *c);
/* 1 with *out filled, 0 when no run has finished yet, -1 on a store error. */
int billing_run_last(db *d, billing_run_summary *out);

/* The hourly thread of `saldo serve`: one run at start, then every hour, on
 * its own connection to cfg->database. Stops promptly (between batches). */
typedef struct billing_scheduler billing_scheduler;
billing_scheduler *billing_scheduler_start(const struct app *ap, const saldo_config *cfg);
void billing_scheduler_stop(billing_scheduler *s);

#endif
