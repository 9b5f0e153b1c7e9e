/* sla_watch.c - the worker of `saldo serve` that watches first-response
 * targets: it mails the department's on-duty address once when a ticket
 * without a staff answer comes within SUPPORT_SLA_WARN_S of its target, and
 * once when the target is missed (see support.h). The mark (sla_warned) is
 * set with the mail in one transaction and only if it was lower, so several
 * serve nodes never send the same warning twice. */
#include "feature/support/support.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "core/zone.h"
#include "jobs/worker.h"
#include "lib/log.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

enum { SLA_TICK_MS = 5000, SLA_BATCH = 50 };

struct support_sla_watch {
    worker *w;
    const struct app *ap;
};

typedef struct due_ticket {
    int64_t id, due_at;
    int level; /* 1 = due soon, 2 = breached */
} due_ticket;

/* The unanswered open tickets whose warning of level is not yet sent. */
static int due_tickets(db *d, int64_t now, due_ticket *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, first_response_due_at, CASE WHEN first_response_due_at < $1 THEN 2 ELSE 1 END FROM support_tickets"
        " WHERE status <> 'closed' AND first_response_at IS NULL AND first_response_due_at <= $2"
        " AND sla_warned < CASE WHEN first_response_due_at < $1 THEN 2 ELSE 1 END"
        " ORDER BY first_response_due_at LIMIT $3");
    if (!s)
        return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, now + SUPPORT_SLA_WARN_S);
    db_bind_int64(s, 3, SLA_BATCH);
    int n = 0;
    while (n < SLA_BATCH && db_step(s) == DB_ROW)
        out[n++] = (due_ticket){db_col_int64(s, 0), db_col_int64(s, 1), (int)db_col_int64(s, 2)};
    db_done(s);
    return n;
}

/* Marks and mails one ticket inside the caller's transaction (the mark only
 * moves up, so a ticket read before another node marked it is skipped);
 * false on a store error. */
static bool warn(const struct app *ap, db *d, const due_ticket *dt, arena *a)
{
    db_stmt *s = db_prepare(d, "UPDATE support_tickets SET sla_warned = $1 WHERE id = $2 AND sla_warned < $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, dt->level);
    db_bind_int64(s, 2, dt->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    if (db_changes(d) == 0)
        return true; /* another node was first */
    support_ticket t;
    support_department dep;
    if (support_get(d, 0, dt->id, &t) != 1 || support_department_by_code(d, t.department, &dep) != 1)
        return false;
    if (!dep.duty_email[0])
        return true;
    char due[32];
    zone_format(t.due_at, ZONE_PROVIDER, due, sizeof due); /* as the back office shows times */
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "reference", arena_printf(a, "#%" PRId64, t.id),
                             "state", dt->level == 2 ? "BREACHED" : "DUE SOON", "priority",
                             support_priority_names[t.priority], "department", dep.name_en, "subject", t.subject,
                             "due", due, "link",
                             arena_printf(a, "%s/staff/tickets/%" PRId64, ap->cfg->base_url, t.id));
    const char *subject, *body;
    bool ok = data && mail_render(ap, a, "support_sla", "en", data, &subject, &body) &&
              outbox_enqueue(d, dep.duty_email, subject, body);
    json_decref(data);
    return ok;
}

int support_sla_round(const struct app *ap, db *d, int64_t now)
{
    due_ticket list[SLA_BATCH];
    int n = due_tickets(d, now, list); /* a read first: most rounds find nothing and take no write lock */
    if (n <= 0)
        return n;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return -1;
    arena *a = arena_new();
    bool ok = true;
    for (int i = 0; ok && i < n; i++)
        ok = warn(ap, d, &list[i], a);
    arena_free(a);
    if (ok && db_commit(d) == DB_OK)
        return n;
    db_rollback(d);
    log_warn("support_sla", "msg=\"the SLA check failed\" error=\"%s\"", db_errmsg(d));
    return -1;
}

static bool sla_round(worker *w, db *d, void *ctx)
{
    (void)w;
    support_sla_watch *s = ctx;
    return support_sla_round(s->ap, d, (int64_t)time(NULL)) == SLA_BATCH;
}

support_sla_watch *support_sla_start(const struct app *ap, const char *db_url)
{
    support_sla_watch *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->ap = ap;
    s->w = worker_start("support_sla", db_url, SLA_TICK_MS, sla_round, s);
    if (!s->w) {
        free(s);
        return NULL;
    }
    return s;
}

void support_sla_stop(support_sla_watch *s)
{
    if (!s)
        return;
    worker_stop(s->w);
    free(s);
}
