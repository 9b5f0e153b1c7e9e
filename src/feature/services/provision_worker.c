/* provision_worker.c - the thread of `saldo serve` that activates pending
 * services through their product's provisioner.
 *
 * Each round claims a batch of pending services whose provision_next_at is
 * due, pushing it a lease ahead in one write transaction (so two nodes never
 * run one twice: the guarded UPDATE is rechecked after a row lock wait). Then,
 * outside any transaction, it runs each one's provisioner (provision.h) and
 * records the results together, in one write transaction per batch (or per
 * PROVISION_FLUSH_MS of slow provisioners): success activates the service and
 * queues the activation mail; a failure keeps the message for staff and
 * retries with backoff up to PROVISION_ATTEMPTS_MAX; a manual product stops
 * being looked at. One commit per batch instead of one per service: on SQLite
 * each of this thread's commits holds the one write lock and an fsync away
 * from the server's group of money-moving requests (docs/PERFORMANCE.md). */
#include "feature/services/services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/catalog/catalog.h"
#include "feature/services/provision.h"
#include "jobs/worker.h"
#include "lib/log.h"

enum {
    PROVISION_BATCH_MAX = 32,
    PROVISION_TICK_MS = 1000,
    PROVISION_FLUSH_MS = 1000, /* results wait at most this long for the batch's others */
};

typedef struct claimed {
    int64_t id, attempts;
} claimed;

/* A provisioner's run, waiting to be recorded with the others of its batch. */
typedef struct outcome {
    claimed c;
    provision_status st;
    char provisioner[CATALOG_PROVISIONER_MAX + 1];
    char message[SERVICE_PROVISION_MESSAGE_MAX + 1];
} outcome;

struct provision_worker {
    worker *w;
    const app *ap;
    db_group *group; /* NULL: group commit off */
    outcome done[PROVISION_BATCH_MAX]; /* a round's results: 32 kB, off the thread's stack */
};

static int claim_batch(provision_worker *w, db *d, claimed *out, int max)
{
    int64_t now = (int64_t)time(NULL);
    static const char due_sql[] = "SELECT 1 FROM services WHERE status = 'pending' AND provision_next_at <= $1 LIMIT 1";
    if (!worker_any_due(d, due_sql, now) || !worker_tx_begin(d, w->group))
        return 0;
    db_stmt *s = db_prepare(d,
        "UPDATE services SET provision_next_at = CAST($1 AS BIGINT) + CAST($2 AS BIGINT),"
        " provision_attempts = provision_attempts + 1 WHERE id IN"
        /* Longest due first, in the order of services_provision: ORDER BY id alone made
         * SQLite scan the whole table in id order (9 ms at 50,000 services, most of
         * them manual ones waiting for staff, inside the group's transaction). */
        " (SELECT x.id FROM services x WHERE x.status = 'pending' AND x.provision_next_at <= $1"
        " ORDER BY x.provision_next_at, x.id LIMIT $3)"
        " AND status = 'pending' AND provision_next_at <= $1" /* rechecked after a row lock wait */
        " RETURNING id, provision_attempts");
    int n = 0;
    if (s) {
        db_bind_int64(s, 1, now);
        db_bind_int64(s, 2, PROVISION_LEASE_S);
        db_bind_int64(s, 3, max);
        while (n < max && db_step(s) == DB_ROW) {
            out[n] = (claimed){db_col_int64(s, 0), db_col_int64(s, 1)};
            n++;
        }
        db_done(s);
    }
    return worker_tx_end(d, true) ? n : 0;
}

/* The service as its provisioner receives it. */
static char *service_json(const service *s, const catalog_product *p)
{
    json_t *j = json_pack("{s:{s:I, s:I, s:{s:I, s:s}, s:s, s:i, s:I, s:I, s:s}, s:s}",
        "service", "id", (json_int_t)s->id, "org_id", (json_int_t)s->org_id,
        "product", "id", (json_int_t)p->id, "code", p->code, "label", s->label, "period_months", s->period_months,
        "starts_at", (json_int_t)s->starts_at, "expires_at", (json_int_t)s->expires_at, "currency", s->currency,
        "provisioner", p->provisioner);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort();
    return text;
}

/* Writes the outcome of a run that did not activate the service. */
static bool record(db *d, const claimed *c, provision_status st, const char *message)
{
    int64_t now = (int64_t)time(NULL);
    bool retry = st == PROVISION_FAILED && c->attempts < PROVISION_ATTEMPTS_MAX;
    db_stmt *s = db_prepare(d,
        "UPDATE services SET provision_message = $1, provision_at = $2, provision_next_at = $3,"
        " provision_attempts = $4 WHERE id = $5 AND status = 'pending'");
    if (!s)
        return false;
    db_bind_text(s, 1, st == PROVISION_WAITS_FOR_STAFF ? "" : message);
    if (st == PROVISION_WAITS_FOR_STAFF) db_bind_null(s, 2); else db_bind_int64(s, 2, now);
    if (retry) db_bind_int64(s, 3, now + provision_retry_delay_s(c->attempts)); else db_bind_null(s, 3);
    db_bind_int64(s, 4, st == PROVISION_WAITS_FOR_STAFF ? 0 : c->attempts);
    db_bind_int64(s, 5, c->id);
    return db_exec1(s) == DB_DONE;
}

/* Activates the service after a successful run, inside the caller's
 * transaction. */
static bool activate(provision_worker *w, db *d, const outcome *o)
{
    arena *a = arena_new();
    http_request r = {.a = a, .app = (struct app *)w->ap, .db = d, .lang = "en", .method = "WORKER",
                      .path = "provision"};
    service_actor who = {.via = arena_printf(a, "provisioner:%s", o->provisioner), .notes = NULL};
    bool ok = service_set_status(&r, o->c.id, SERVICE_ACTIVE, &who) == SERVICE_OK;
    db_stmt *s = ok ? db_prepare(d, "UPDATE services SET provision_message = $1, provision_at = $2 WHERE id = $3")
                    : NULL;
    if (s) {
        db_bind_text(s, 1, o->message);
        db_bind_int64(s, 2, (int64_t)time(NULL));
        db_bind_int64(s, 3, o->c.id);
    }
    ok = s && db_exec1(s) == DB_DONE;
    arena_free(a);
    return ok;
}

/* Records one outcome. An activation runs in a savepoint, so one that fails
 * is recorded as failed without undoing the others of its batch. */
static bool record_one(provision_worker *w, db *d, const outcome *o)
{
    if (o->st != PROVISION_DONE)
        return record(d, &o->c, o->st, o->message);
    if (db_exec_script(d, "SAVEPOINT provision") != DB_OK)
        return false;
    if (activate(w, d, o))
        return db_exec_script(d, "RELEASE SAVEPOINT provision") == DB_OK;
    return db_exec_script(d, "ROLLBACK TO SAVEPOINT provision") == DB_OK &&
           db_exec_script(d, "RELEASE SAVEPOINT provision") == DB_OK &&
           record(d, &o->c, PROVISION_FAILED, "activation failed");
}

/* Records outcomes in one write transaction. When it cannot commit nothing is
 * recorded: the leases run out and later rounds run those services again. */
static void record_all(provision_worker *w, db *d, const outcome *o, int n)
{
    if (n == 0 || !worker_tx_begin(d, w->group))
        return;
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = record_one(w, d, &o[i]);
    if (!worker_tx_end(d, ok))
        log_error("provision", "msg=\"could not record %d results: they run again after the lease\"", n);
}

/* Runs the provisioner of one claimed service into *o; false when the service
 * or its product cannot be read (the lease runs out and a later round tries
 * again). */
static bool run_one(provision_worker *w, db *d, const claimed *c, outcome *o)
{
    service s;
    catalog_product p;
    if (service_get(d, 0, c->id, &s) != 1 || catalog_product_get(d, s.product_id, &p) != 1)
        return false;
    const config_provisioner *conf;
    const provision_kind *k = provision_kind_for(w->ap->cfg, p.provisioner, &conf);
    *o = (outcome){.c = *c};
    snprintf(o->provisioner, sizeof o->provisioner, "%s", p.provisioner);
    char *json = service_json(&s, &p);
    o->st = k->run(conf, json, o->message, sizeof o->message);
    free(json);
    if (o->st == PROVISION_FAILED && !conf && k == &provision_command)
        snprintf(o->message, sizeof o->message, "provisioner.%s is not in the configuration", p.provisioner);
    log_info("provision", "service_id=%lld provisioner=%s attempt=%lld result=%s", (long long)c->id, p.provisioner,
             (long long)c->attempts,
             o->st == PROVISION_DONE ? "done" : o->st == PROVISION_FAILED ? "failed" : "manual");
    return true;
}

/* Provisions one batch; true when it was full (more may be due). */
static bool provision_round(worker *wk, db *d, void *ctx)
{
    (void)wk;
    provision_worker *w = ctx;
    outcome *done = w->done;
    claimed batch[PROVISION_BATCH_MAX];
    int n = claim_batch(w, d, batch, PROVISION_BATCH_MAX), pending = 0;
    int64_t first_ms = 0;
    for (int i = 0; i < n; i++) {
        if (!run_one(w, d, &batch[i], &done[pending]))
            continue;
        if (pending++ == 0)
            first_ms = worker_clock_ms();
        if (worker_clock_ms() - first_ms >= PROVISION_FLUSH_MS) {
            record_all(w, d, done, pending);
            pending = 0;
        }
    }
    record_all(w, d, done, pending);
    return n == PROVISION_BATCH_MAX;
}

provision_worker *provision_worker_start(const app *ap, const char *db_url, db_group *group)
{
    provision_worker *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->ap = ap;
    w->group = group;
    w->w = worker_start("provision", db_url, PROVISION_TICK_MS, provision_round, w);
    if (!w->w) {
        free(w);
        return NULL;
    }
    return w;
}

void provision_worker_stop(provision_worker *w)
{
    if (!w)
        return;
    worker_stop(w->w);
    free(w);
}
