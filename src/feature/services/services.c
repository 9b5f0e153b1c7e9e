/* services.c - services in the store: creating one at checkout and reading
 * one back (see services.h). */
#include "feature/services/services.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"

const char *const service_status_names[] = {"pending", "active", "suspended", "terminated", "cancelled", NULL};

service_status service_status_parse(const char *name)
{
    for (int i = 0; i < SERVICE_STATUS_COUNT; i++)
        if (name && !strcmp(name, service_status_names[i]))
            return (service_status)i;
    return SERVICE_STATUS_COUNT;
}

bool service_create_row(db *d, const service_new *n, service *out)
{
    assert(db_in_tx(d) && n->org_id > 0 && n->product_id > 0 && n->price_minor >= 0);
    int64_t expires = period_add(n->starts_at, n->period_months);
    if (!period_valid(n->period_months) || expires <= n->starts_at || !n->currency || strlen(n->currency) != 3)
        return false;
    db_stmt *s = db_prepare(d,
        "INSERT INTO services (org_id, product_id, order_id, billing_address_id, label, currency, period_months,"
        " price_minor, auto_renew, created_at, starts_at, expires_at, status, activated_at, provision_next_at,"
        " status_changed_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $10) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, n->org_id);
    db_bind_int64(s, 2, n->product_id);
    if (n->order_id)
        db_bind_int64(s, 3, n->order_id);
    else
        db_bind_null(s, 3);
    if (n->billing_address_id)
        db_bind_int64(s, 4, n->billing_address_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, n->label ? n->label : "");
    db_bind_text(s, 6, n->currency);
    db_bind_int64(s, 7, n->period_months);
    db_bind_int64(s, 8, n->price_minor);
    db_bind_int64(s, 9, n->auto_renew);
    db_bind_int64(s, 10, n->starts_at);
    db_bind_int64(s, 11, n->starts_at);
    db_bind_int64(s, 12, expires);
    db_bind_text(s, 13, n->active ? "active" : "pending");
    if (n->active) {
        db_bind_int64(s, 14, n->starts_at);
        db_bind_null(s, 15);
    } else {
        db_bind_null(s, 14);
        db_bind_int64(s, 15, 0);
    }
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out = (service){.id = db_col_int64(s, 0), .org_id = n->org_id, .product_id = n->product_id,
                         .order_id = n->order_id, .billing_address_id = n->billing_address_id,
                         .status = n->active ? SERVICE_ACTIVE : SERVICE_PENDING,
                         .period_months = n->period_months, .price_minor = n->price_minor,
                         .auto_renew = n->auto_renew, .created_at = n->starts_at, .starts_at = n->starts_at,
                         .expires_at = expires, .activated_at = n->active ? n->starts_at : 0,
                         .status_changed_at = n->starts_at};
    db_done(s);
    if (ok) {
        snprintf(out->label, sizeof out->label, "%s", n->label ? n->label : "");
        snprintf(out->currency, sizeof out->currency, "%s", n->currency);
    }
    return ok;
}

bool service_create(db *d, const service_new *n, int64_t *out_id)
{
    service s;
    if (!service_create_row(d, n, &s))
        return false;
    *out_id = s.id;
    return true;
}

int service_get(db *d, int64_t org_id, int64_t id, service *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, org_id, product_id, COALESCE(order_id, 0), COALESCE(billing_address_id, 0), status, label,"
        " currency, period_months, price_minor, auto_renew, created_at, starts_at, expires_at,"
        " COALESCE(activated_at, 0), status_changed_at"
        " FROM services WHERE id = $1 AND (org_id = $2 OR $2 = 0)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int64(s, 0);
        out->org_id = db_col_int64(s, 1);
        out->product_id = db_col_int64(s, 2);
        out->order_id = db_col_int64(s, 3);
        out->billing_address_id = db_col_int64(s, 4);
        out->status = service_status_parse(db_col_text(s, 5));
        snprintf(out->label, sizeof out->label, "%s", db_col_text(s, 6));
        snprintf(out->currency, sizeof out->currency, "%s", db_col_text(s, 7));
        out->period_months = (int)db_col_int64(s, 8);
        out->price_minor = db_col_int64(s, 9);
        out->auto_renew = db_col_int64(s, 10) != 0;
        out->created_at = db_col_int64(s, 11);
        out->starts_at = db_col_int64(s, 12);
        out->expires_at = db_col_int64(s, 13);
        out->activated_at = db_col_int64(s, 14);
        out->status_changed_at = db_col_int64(s, 15);
        assert(out->status < SERVICE_STATUS_COUNT);
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int service_count_running(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT COUNT(*) FROM services WHERE org_id = $1 AND status IN ('pending', 'active', 'suspended')");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int n = db_step(s) == DB_ROW ? (int)db_col_int64(s, 0) : -1;
    db_done(s);
    return n;
}
