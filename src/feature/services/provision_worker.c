/* provision_worker.c - the thread of `saldo serve` that activates pending
 * services through their product's provisioner.
 *
 * Each round claims a batch of pending services whose provision_next_at is
 * due, pushing it a lease ahead in one write transaction (so two nodes never
 * run one twice: the guarded UPDATE is rechecked after a row lock wait). Then,
 * outside any transaction, it runs each one's provisioner (provision.h) and
 * records the result: success activates the service and queues the activation
 * mail; a failure keeps the message for staff and retries with backoff up to
 * PROVISION_ATTEMPTS_MAX; a manual product stops being looked at. */
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

enum { PROVISION_BATCH_MAX = 8, PROVISION_TICK_MS = 1000 };

struct provision_worker {
    worker *w;
    const app *ap;
};

typedef struct claimed {
    int64_t id, attempts;
} claimed;

/* True when some pending service is due: a plain read first, so that an idle
 * round takes no write lock. */
static bool any_due(db *d, int64_t now)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM services WHERE status = 'pending' AND provision_next_at <= $1 LIMIT 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, now);
    bool due = db_step(s) == DB_ROW;
    db_done(s);
    return due;
}

static int claim_batch(db *d, claimed *out, int max)
{
    int64_t now = (int64_t)time(NULL);
    if (!any_due(d, now) || db_begin(d, DB_TX_WRITE) != DB_OK)
        return 0;
    db_stmt *s = db_prepare(d,
        "UPDATE services SET provision_next_at = CAST($1 AS BIGINT) + CAST($2 AS BIGINT),"
        " provision_attempts = provision_attempts + 1 WHERE id IN"
        " (SELECT x.id FROM services x WHERE x.status = 'pending' AND x.provision_next_at <= $1 ORDER BY x.id LIMIT $3)"
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
    return db_commit(d) == DB_OK ? n : 0;
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
static void record(db *d, const claimed *c, provision_status st, const char *message)
{
    int64_t now = (int64_t)time(NULL);
    bool retry = st == PROVISION_FAILED && c->attempts < PROVISION_ATTEMPTS_MAX;
    db_stmt *s = db_prepare(d,
        "UPDATE services SET provision_message = $1, provision_at = $2, provision_next_at = $3,"
        " provision_attempts = $4 WHERE id = $5 AND status = 'pending'");
    if (!s)
        return;
    db_bind_text(s, 1, st == PROVISION_WAITS_FOR_STAFF ? "" : message);
    if (st == PROVISION_WAITS_FOR_STAFF) db_bind_null(s, 2); else db_bind_int64(s, 2, now);
    if (retry) db_bind_int64(s, 3, now + provision_retry_delay_s(c->attempts)); else db_bind_null(s, 3);
    db_bind_int64(s, 4, st == PROVISION_WAITS_FOR_STAFF ? 0 : c->attempts);
    db_bind_int64(s, 5, c->id);
    db_exec1(s);
}

/* Activates the service after a successful run, in one transaction. */
static bool activate(provision_worker *w, db *d, const claimed *c, const catalog_product *p, const char *message)
{
    arena *a = arena_new();
    http_request r = {.a = a, .app = (struct app *)w->ap, .db = d, .lang = "en", .method = "WORKER",
                      .path = "provision"};
    service_actor who = {.via = arena_printf(a, "provisioner:%s", p->provisioner), .notes = NULL};
    bool ok = false;
    if (db_begin(d, DB_TX_WRITE) == DB_OK) {
        service_result res = service_set_status(&r, c->id, SERVICE_ACTIVE, &who);
        db_stmt *s = res == SERVICE_OK ? db_prepare(d,
            "UPDATE services SET provision_message = $1, provision_at = $2 WHERE id = $3") : NULL;
        if (s) {
            db_bind_text(s, 1, message);
            db_bind_int64(s, 2, (int64_t)time(NULL));
            db_bind_int64(s, 3, c->id);
        }
        ok = s && db_exec1(s) == DB_DONE && db_commit(d) == DB_OK;
        if (!ok)
            db_rollback(d);
    }
    arena_free(a);
    return ok;
}

static void run_one(provision_worker *w, db *d, const claimed *c)
{
    service s;
    catalog_product p;
    if (service_get(d, 0, c->id, &s) != 1 || catalog_product_get(d, s.product_id, &p) != 1)
        return; /* the lease runs out and the next round tries again */
    const config_provisioner *conf;
    const provision_kind *k = provision_kind_for(w->ap->cfg, p.provisioner, &conf);
    char message[SERVICE_PROVISION_MESSAGE_MAX + 1] = "";
    char *json = service_json(&s, &p);
    provision_status st = k->run(conf, json, message, sizeof message);
    free(json);
    if (st == PROVISION_FAILED && !conf && k == &provision_command)
        snprintf(message, sizeof message, "provisioner.%s is not in the configuration", p.provisioner);
    log_info("provision", "service_id=%lld provisioner=%s attempt=%lld result=%s", (long long)c->id, p.provisioner,
             (long long)c->attempts, st == PROVISION_DONE ? "done" : st == PROVISION_FAILED ? "failed" : "manual");
    if (st == PROVISION_DONE && activate(w, d, c, &p, message))
        return;
    record(d, c, st == PROVISION_DONE ? PROVISION_FAILED : st, st == PROVISION_DONE ? "activation failed" : message);
}

/* Provisions one batch; true when it was full (more may be due). */
static bool provision_round(worker *wk, db *d, void *ctx)
{
    (void)wk;
    claimed batch[PROVISION_BATCH_MAX];
    int n = claim_batch(d, batch, PROVISION_BATCH_MAX);
    for (int i = 0; i < n; i++)
        run_one(ctx, d, &batch[i]);
    return n == PROVISION_BATCH_MAX;
}

provision_worker *provision_worker_start(const app *ap, const char *db_url)
{
    provision_worker *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    w->ap = ap;
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
