/* service_read.c - services as customers and staff see them: an
 * organization's own services and the ones a reseller assigned to it and it
 * claimed (read-only, "managed by" the reseller), filtered by what a limited
 * member may see (see services.h). */
#include "feature/services/services.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "feature/catalog/catalog.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

/* The columns every read selects; $1 is the viewing organization (0 = staff). */
#define SERVICE_VIEW_SELECT \
    "SELECT s.id, s.org_id, s.product_id, COALESCE(s.order_id, 0), COALESCE(s.billing_address_id, 0), s.status," \
    " s.label, s.currency, s.period_months, s.price_minor, s.auto_renew, s.created_at, s.starts_at," \
    " s.expires_at, COALESCE(s.activated_at, 0), s.status_changed_at, s.notes, s.provision_message," \
    " COALESCE(s.provision_at, 0), s.provision_attempts, a.email, COALESCE(a.claimed_org_id, 0)" \
    " FROM services s LEFT JOIN service_assignments a ON a.service_id = s.id"

static void view_from_row(http_request *r, db_stmt *s, int64_t org_id, service_view *v)
{
    memset(v, 0, sizeof *v);
    service *x = &v->s;
    x->id = db_col_int64(s, 0);
    x->org_id = db_col_int64(s, 1);
    x->product_id = db_col_int64(s, 2);
    x->order_id = db_col_int64(s, 3);
    x->billing_address_id = db_col_int64(s, 4);
    x->status = service_status_parse(db_col_text(s, 5));
    snprintf(x->label, sizeof x->label, "%s", db_col_text(s, 6));
    snprintf(x->currency, sizeof x->currency, "%s", db_col_text(s, 7));
    x->period_months = (int)db_col_int64(s, 8);
    x->price_minor = db_col_int64(s, 9);
    x->auto_renew = db_col_int64(s, 10) != 0;
    x->created_at = db_col_int64(s, 11);
    x->starts_at = db_col_int64(s, 12);
    x->expires_at = db_col_int64(s, 13);
    x->activated_at = db_col_int64(s, 14);
    x->status_changed_at = db_col_int64(s, 15);
    v->notes = arena_strdup(r->a, db_col_text(s, 16));
    v->provision_message = arena_strdup(r->a, db_col_text(s, 17));
    v->provision_at = db_col_int64(s, 18);
    v->provision_attempts = (int)db_col_int64(s, 19);
    v->assigned_email = db_col_is_null(s, 20) ? NULL : arena_strdup(r->a, db_col_text(s, 20));
    v->claimed_org_id = db_col_int64(s, 21);
    v->managed_by = org_id && x->org_id != org_id ? x->org_id : 0;
    assert(x->status < SERVICE_STATUS_COUNT && x->id > 0);
}

int service_view_get(http_request *r, int64_t org_id, int64_t id, service_view *out)
{
    db_stmt *s = db_prepare(r->db, SERVICE_VIEW_SELECT
        " WHERE s.id = $1 AND ($2 = 0 OR s.org_id = $2 OR a.claimed_org_id = $2)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        view_from_row(r, s, org_id, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

bool service_user_may(http_request *r, int64_t user_id, int64_t org_id, const service_view *v)
{
    catalog_product p;
    if (catalog_product_get(r->db, v->s.product_id, &p) != 1)
        return false;
    return org_user_may_service(r->db, user_id, org_id, v->s.id, p.category_id);
}

int service_view_list(http_request *r, int64_t org_id, int64_t user_id, int64_t after_id, size_t limit,
                      service_view *out, int64_t *next_after)
{
    assert(org_id > 0 && limit > 0 && limit <= SERVICE_PAGE_MAX);
    db_stmt *s = db_prepare(r->db, SERVICE_VIEW_SELECT
        " WHERE (s.org_id = $1 OR a.claimed_org_id = $1) AND s.id > $2 ORDER BY s.id LIMIT $3");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, after_id);
    db_bind_int64(s, 3, (int64_t)limit);
    size_t n = 0, seen = 0;
    db_status st;
    while (seen < limit && (st = db_step(s)) == DB_ROW) {
        view_from_row(r, s, org_id, &out[n]);
        seen++;
        n++;
    }
    db_done(s);
    if (seen < limit && st != DB_DONE)
        return -1;
    *next_after = seen == limit ? out[n - 1].s.id : 0;
    size_t kept = 0; /* filtered after the statement is done: the checks run queries of their own */
    for (size_t i = 0; i < n; i++)
        if (!user_id || service_user_may(r, user_id, org_id, &out[i]))
            out[kept++] = out[i];
    return (int)kept;
}

json_t *service_view_json(http_request *r, const service_view *v, bool staff)
{
    catalog_product p = {0};
    const char *name = catalog_product_get(r->db, v->s.product_id, &p) == 1 ? catalog_product_name(&p, r->lang) : "";
    const currency *cur = currency_find(v->s.currency);
    json_t *price = cur ? jout_money((money){v->s.price_minor, cur}, r->lang) : json_null();
    json_t *j = json_pack("{s:I, s:I, s:{s:I, s:s, s:I}, s:s, s:s, s:o, s:o, s:o, s:I, s:o, s:b, s:o, s:o}",
        "id", (json_int_t)v->s.id, "org_id", (json_int_t)v->s.org_id,
        "product", "id", (json_int_t)v->s.product_id, "name", name, "category_id", (json_int_t)p.category_id,
        "label", v->s.label, "status", service_status_names[v->s.status],
        "starts_at", jout_time(v->s.starts_at), "expires_at", jout_time(v->s.expires_at),
        "activated_at", v->s.activated_at ? jout_time(v->s.activated_at) : json_null(),
        "period_months", (json_int_t)v->s.period_months, "price", price, "auto_renew", v->s.auto_renew,
        "status_changed_at", jout_time(v->s.status_changed_at),
        "managed_by", json_null());
    if (v->managed_by) {
        char owner[ORG_NAME_MAX + 1] = "";
        org_name(r->db, v->managed_by, owner, sizeof owner);
        json_object_set_new(j, "managed_by", json_pack("{s:I, s:s}", "org_id", (json_int_t)v->managed_by,
                                                       "name", owner));
    }
    if (!v->managed_by)
        json_object_set_new(j, "assignment", v->assigned_email
            ? json_pack("{s:s, s:b}", "email", v->assigned_email, "claimed", v->claimed_org_id != 0) : json_null());
    if (staff)
        json_object_set_new(j, "staff", json_pack("{s:s, s:{s:s, s:i, s:o}}", "notes", v->notes,
            "provisioning", "message", v->provision_message, "attempts", v->provision_attempts,
            "at", v->provision_at ? jout_time(v->provision_at) : json_null()));
    return j;
}
