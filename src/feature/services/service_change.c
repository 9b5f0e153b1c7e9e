/* service_change.c - the changes of a service: its status, following the
 * rules of service_transition_allowed, and what a customer may change for the
 * next renewal (automatic renewal, period). Every change is written to the
 * organization's audit log (and staff's for staff) in its own transaction. */
#include "feature/services/services_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/catalog/catalog.h"
#include "feature/orgs/org_audit.h"
#include "feature/staff/staff.h"

bool service_transition_allowed(service_status from, service_status to)
{
    assert(from < SERVICE_STATUS_COUNT && to < SERVICE_STATUS_COUNT);
    switch (from) {
    case SERVICE_PENDING:
        return to == SERVICE_ACTIVE || to == SERVICE_CANCELLED;
    case SERVICE_ACTIVE:
        return to == SERVICE_SUSPENDED || to == SERVICE_TERMINATED || to == SERVICE_CANCELLED;
    case SERVICE_SUSPENDED:
        return to == SERVICE_ACTIVE || to == SERVICE_TERMINATED;
    default:
        return false;
    }
}

/* The JSON text of detail (stolen), in the arena. */
static const char *detail_text(http_request *r, json_t *detail)
{
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (!text)
        abort(); /* out of memory */
    const char *copy = arena_strdup(r->a, text);
    free(text);
    return copy;
}

static bool record_status(http_request *r, const service *s, service_status to, const service_actor *who)
{
    const char *detail = detail_text(r, json_pack("{s:I, s:s, s:s, s:s, s:s}", "service_id", (json_int_t)s->id,
        "from", service_status_names[s->status], "to", service_status_names[to], "by", who->via,
        "notes", who->notes ? who->notes : ""));
    if (who->staff_id && !staff_audit(r->db, who->staff_id, arena_printf(r->a, "service.%s", service_status_names[to]),
                                      "service", s->id, detail, who->ip))
        return false;
    return org_audit_record(r->db, s->org_id, 0, "service.status", detail, NULL);
}

service_result service_set_status(http_request *r, int64_t id, service_status to, const service_actor *who)
{
    assert(db_in_tx(r->db) && to < SERVICE_STATUS_COUNT && who && who->via);
    service s;
    int found = service_get(r->db, 0, id, &s);
    if (found <= 0)
        return found < 0 ? SERVICE_STORE_ERROR : SERVICE_NOT_FOUND;
    if (!service_transition_allowed(s.status, to) || (who->only_from && *who->only_from != s.status))
        return SERVICE_BAD_TRANSITION;
    int64_t now = (int64_t)time(NULL);
    db_stmt *st = db_prepare(r->db,
        "UPDATE services SET status = $1, status_changed_at = $2,"
        " activated_at = CASE WHEN activated_at IS NULL AND $1 = 'active' THEN $2 ELSE activated_at END,"
        " notes = CASE WHEN $3 = '' THEN notes ELSE $3 END, provision_next_at = NULL"
        " WHERE id = $4 AND status = $5 RETURNING id");
    if (!st)
        return SERVICE_STORE_ERROR;
    db_bind_text(st, 1, service_status_names[to]);
    db_bind_int64(st, 2, now);
    db_bind_text(st, 3, who->notes ? who->notes : "");
    db_bind_int64(st, 4, id);
    db_bind_text(st, 5, service_status_names[s.status]);
    db_status rc = db_step(st);
    db_done(st);
    if (rc != DB_ROW)
        return rc == DB_DONE ? SERVICE_BAD_TRANSITION : SERVICE_STORE_ERROR;
    if (!record_status(r, &s, to, who))
        return SERVICE_STORE_ERROR;
    s.status = to;
    if (to == SERVICE_ACTIVE && !s.activated_at && !service_mail_activated(r, &s))
        return SERVICE_STORE_ERROR;
    return SERVICE_OK;
}

service_result service_change_status(http_request *r, int64_t id, service_status to, const service_actor *who)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SERVICE_STORE_ERROR;
    service_result res = service_set_status(r, id, to, who);
    if (res != SERVICE_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return res == SERVICE_OK ? SERVICE_STORE_ERROR : res;
    }
    return SERVICE_OK;
}

/* Checks the wished settings against the product and the service. */
static service_result settings_check(http_request *r, const service_view *v, const bool *auto_renew,
                                     const int *period_months)
{
    catalog_product p;
    if (v->managed_by)
        return SERVICE_MANAGED;
    if (catalog_product_get(r->db, v->s.product_id, &p) != 1)
        return SERVICE_STORE_ERROR;
    if (v->s.status == SERVICE_TERMINATED || v->s.status == SERVICE_CANCELLED)
        return SERVICE_BAD_TRANSITION;
    if (auto_renew && *auto_renew && !v->s.auto_renew && !p.auto_renew)
        return SERVICE_NOT_ELIGIBLE;
    if (period_months && !catalog_period_allowed(&p, *period_months))
        return SERVICE_BAD_PERIOD;
    return SERVICE_OK;
}

static service_result settings_write(http_request *r, const service_view *v, bool auto_renew, int period)
{
    db_stmt *st = db_prepare(r->db, "UPDATE services SET auto_renew = $1, period_months = $2 WHERE id = $3");
    if (!st)
        return SERVICE_STORE_ERROR;
    db_bind_int64(st, 1, auto_renew);
    db_bind_int64(st, 2, period);
    db_bind_int64(st, 3, v->s.id);
    if (db_exec1(st) != DB_DONE)
        return SERVICE_STORE_ERROR;
    const char *detail = detail_text(r, json_pack("{s:I, s:b, s:b, s:i, s:i}", "service_id", (json_int_t)v->s.id,
        "auto_renew_from", v->s.auto_renew, "auto_renew_to", auto_renew, "period_from", v->s.period_months,
        "period_to", period));
    if (!org_audit_record(r->db, v->s.org_id, r->user_id, "service.settings", detail, r->client_ip))
        return SERVICE_STORE_ERROR;
    service now = v->s;
    now.auto_renew = auto_renew;
    now.period_months = period;
    if (auto_renew != v->s.auto_renew && !service_mail_auto_renew(r, &now))
        return SERVICE_STORE_ERROR;
    return SERVICE_OK;
}

service_result service_update_settings(http_request *r, int64_t org_id, int64_t id, const bool *auto_renew,
                                       const int *period_months)
{
    assert(org_id > 0 && id > 0);
    service_view v;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SERVICE_STORE_ERROR;
    int found = service_view_get(r, org_id, id, &v);
    service_result res = found < 0 ? SERVICE_STORE_ERROR : found == 0 ? SERVICE_NOT_FOUND
                         : settings_check(r, &v, auto_renew, period_months);
    if (res == SERVICE_OK)
        res = settings_write(r, &v, auto_renew ? *auto_renew : v.s.auto_renew,
                             period_months ? *period_months : v.s.period_months);
    if (res != SERVICE_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return res == SERVICE_OK ? SERVICE_STORE_ERROR : res;
    }
    return SERVICE_OK;
}
