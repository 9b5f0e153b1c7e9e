/* credits.c - free credits: staff give an organization one product (for one
 * period or any), which checkout then charges to the "promotions" system
 * account instead of the wallet. Granting and revoking leave an entry in the
 * staff audit log and in the organization's. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <stdio.h>
#include <time.h>

#include "feature/orgs/org_audit.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"

#define CREDIT_COLUMNS                                                                                      \
    "SELECT id, org_id, product_id, COALESCE(period_months, 0), created_at, COALESCE(used_at, 0),"         \
    " COALESCE(order_id, 0), COALESCE(revoked_at, 0), reason FROM free_credits "

static void credit_from_row(db_stmt *s, free_credit *c)
{
    *c = (free_credit){
        .id = db_col_int64(s, 0),
        .org_id = db_col_int64(s, 1),
        .product_id = db_col_int64(s, 2),
        .period_months = (int)db_col_int64(s, 3),
        .created_at = db_col_int64(s, 4),
        .used_at = db_col_int64(s, 5),
        .order_id = db_col_int64(s, 6),
        .revoked_at = db_col_int64(s, 7),
    };
    snprintf(c->reason, sizeof c->reason, "%s", db_col_text(s, 8));
}

int credit_get(db *d, int64_t org_id, int64_t id, free_credit *out)
{
    db_stmt *s = db_prepare(d, CREDIT_COLUMNS "WHERE id = $1 AND (CAST($2 AS BIGINT) = 0 OR org_id = $2)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        credit_from_row(s, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int credit_list_unused(db *d, int64_t org_id, free_credit *out, size_t max)
{
    db_stmt *s = db_prepare(d, CREDIT_COLUMNS
        "WHERE org_id = $1 AND used_at IS NULL AND revoked_at IS NULL ORDER BY id LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)max);
    size_t n = 0;
    while (n < max && db_step(s) == DB_ROW)
        credit_from_row(s, &out[n++]);
    db_done(s);
    return (int)n;
}

static bool audit_credit(db *d, const char *action, const free_credit *c, int64_t staff_id, const char *ip)
{
    json_t *j = json_pack("{s:I, s:I, s:i, s:s}", "credit_id", (json_int_t)c->id, "product_id",
                          (json_int_t)c->product_id, "period", c->period_months, "reason", c->reason);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort(); /* out of memory */
    bool ok = staff_audit(d, staff_id, action, "org", c->org_id, text, ip) &&
              org_audit_record(d, c->org_id, 0, action, text, NULL); /* by staff: no user, no staff IP */
    free(text);
    return ok;
}

bool credit_grant(db *d, const free_credit *c, int64_t staff_id, const char *ip, int64_t *out_id)
{
    assert(db_in_tx(d) && c->org_id > 0 && c->product_id > 0 && staff_id > 0 && c->reason[0]);
    db_stmt *s = db_prepare(d,
        "INSERT INTO free_credits (org_id, product_id, period_months, reason, granted_by, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, c->org_id);
    db_bind_int64(s, 2, c->product_id);
    if (c->period_months)
        db_bind_int64(s, 3, c->period_months);
    else
        db_bind_null(s, 3);
    db_bind_text(s, 4, c->reason);
    db_bind_int64(s, 5, staff_id);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    *out_id = ok ? db_col_int64(s, 0) : 0;
    db_done(s);
    free_credit done = *c;
    done.id = *out_id;
    return ok && audit_credit(d, "credit.grant", &done, staff_id, ip);
}

int credit_revoke(db *d, int64_t id, int64_t staff_id, const char *ip)
{
    assert(db_in_tx(d) && id > 0 && staff_id > 0);
    free_credit c;
    int found = credit_get(d, 0, id, &c);
    if (found != 1)
        return found;
    db_stmt *s = db_prepare(d,
        "UPDATE free_credits SET revoked_at = $1 WHERE id = $2 AND used_at IS NULL AND revoked_at IS NULL");
    if (!s)
        return -1;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    if (db_changes(d) != 1)
        return 0;
    return audit_credit(d, "credit.revoke", &c, staff_id, ip) ? 1 : -1;
}

bool credit_use(db *d, int64_t id, int64_t order_id)
{
    assert(db_in_tx(d) && id > 0 && order_id > 0);
    db_stmt *s = db_prepare(d,
        "UPDATE free_credits SET used_at = $1, order_id = $2 WHERE id = $3 AND used_at IS NULL AND revoked_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, order_id);
    db_bind_int64(s, 3, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1; /* 0 rows: used or revoked meanwhile */
}

json_t *credit_json(const free_credit *c)
{
    return json_pack("{s:I, s:I, s:o, s:s, s:o}", "id", (json_int_t)c->id, "product_id", (json_int_t)c->product_id,
                     "period", c->period_months ? json_integer(c->period_months) : json_null(), "reason", c->reason,
                     "created_at", jout_time(c->created_at));
}
