/* catalog_reseller.c - marking an organization as a reseller and setting its
 * discount per category (catalog_admin.h); the prices themselves are
 * computed by catalog_price_for in catalog.c. */
#include "feature/catalog/catalog_admin.h"

#include <assert.h>
#include <stdio.h>
#include <time.h>

#include "feature/orgs/orgs.h"
#include "feature/staff/staff.h"

static bool discounts_ok(db *d, const catalog_discount *ds, size_t n, catalog_error *err, bool *store_error)
{
    *store_error = false;
    if (n > CATALOG_CATEGORIES_MAX) {
        *err = (catalog_error){CATALOG_FIELD_TOO_MANY, "discounts", -1};
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        catalog_category c;
        int found = ds[i].category_id > 0 ? catalog_category_get(d, ds[i].category_id, &c) : 0;
        catalog_field_error e = CATALOG_FIELD_OK;
        if (found < 0)
            return !(*store_error = true);
        if (!found)
            e = CATALOG_FIELD_CATEGORY;
        else if (ds[i].percent_bp < 0 || ds[i].percent_bp > CATALOG_BP_ONE)
            e = CATALOG_FIELD_PERCENT;
        for (size_t j = 0; j < i && e == CATALOG_FIELD_OK; j++)
            if (ds[j].category_id == ds[i].category_id)
                e = CATALOG_FIELD_DUPLICATE;
        if (e != CATALOG_FIELD_OK) {
            *err = (catalog_error){e, "discounts", (int)i};
            return false;
        }
    }
    return true;
}

static bool exec_org(db *d, const char *sql, int64_t org_id)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}

static bool audit_reseller(db *d, const catalog_actor *who, const char *action, int64_t org_id, size_t n)
{
    if (!who)
        return true;
    char detail[64];
    snprintf(detail, sizeof detail, "{\"discounts\":%zu}", n);
    return staff_audit(d, who->staff_id, action, "org", org_id, detail, who->ip);
}

catalog_result catalog_reseller_set(db *d, const catalog_actor *who, int64_t org_id, const catalog_discount *ds,
                                    size_t n, catalog_error *err)
{
    assert(db_in_tx(d) && (ds || n == 0));
    char name[ORG_NAME_MAX + 1];
    if (!org_name(d, org_id, name, sizeof name))
        return CATALOG_NOT_FOUND;
    bool store_error;
    if (!discounts_ok(d, ds, n, err, &store_error))
        return store_error ? CATALOG_STORE_ERROR : CATALOG_INVALID;
    db_stmt *s = db_prepare(d, "INSERT INTO resellers (org_id, created_at) VALUES ($1, $2)"
                               " ON CONFLICT (org_id) DO NOTHING");
    if (!s)
        return CATALOG_STORE_ERROR;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    if (db_exec1(s) != DB_DONE || !exec_org(d, "DELETE FROM reseller_discounts WHERE org_id = $1", org_id))
        return CATALOG_STORE_ERROR;
    for (size_t i = 0; i < n; i++) {
        assert(ds[i].percent_bp >= 0 && ds[i].percent_bp <= CATALOG_BP_ONE); /* checked above */
        s = db_prepare(d, "INSERT INTO reseller_discounts (org_id, category_id, percent_bp) VALUES ($1, $2, $3)");
        if (!s)
            return CATALOG_STORE_ERROR;
        db_bind_int64(s, 1, org_id);
        db_bind_int64(s, 2, ds[i].category_id);
        db_bind_int64(s, 3, ds[i].percent_bp);
        if (db_exec1(s) != DB_DONE)
            return CATALOG_STORE_ERROR;
    }
    return audit_reseller(d, who, "catalog.reseller.set", org_id, n) ? CATALOG_OK : CATALOG_STORE_ERROR;
}

catalog_result catalog_reseller_unset(db *d, const catalog_actor *who, int64_t org_id)
{
    assert(db_in_tx(d));
    if (!catalog_is_reseller(d, org_id))
        return CATALOG_NOT_FOUND;
    if (!exec_org(d, "DELETE FROM reseller_discounts WHERE org_id = $1", org_id) ||
        !exec_org(d, "DELETE FROM resellers WHERE org_id = $1", org_id))
        return CATALOG_STORE_ERROR;
    return audit_reseller(d, who, "catalog.reseller.unset", org_id, 0) ? CATALOG_OK : CATALOG_STORE_ERROR;
}

int catalog_reseller_discounts(db *d, int64_t org_id, catalog_discount *out, size_t max)
{
    db_stmt *s = db_prepare(d, "SELECT r.category_id, r.percent_bp FROM reseller_discounts r"
                               " JOIN catalog_categories c ON c.id = r.category_id WHERE r.org_id = $1"
                               " ORDER BY c.position, c.id");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < max)
        out[n++] = (catalog_discount){db_col_int64(s, 0), (int)db_col_int64(s, 1)};
    db_done(s);
    return st == DB_ROW || st == DB_DONE ? (int)n : -1;
}
