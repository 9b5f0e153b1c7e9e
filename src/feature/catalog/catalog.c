/* catalog.c - the catalog's lookups for other features: a product, whether it
 * sells for a period, and its price for an organization (see catalog.h). */
#include "feature/catalog/catalog.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/period.h"
#include "core/round.h"
#include "lib/buf.h"

int catalog_product_get(db *d, int64_t id, catalog_product *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, category_id, COALESCE(retired_at, 0), auto_renew, promotional, code, name_en, name_it,"
        " provisioner FROM catalog_products WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int64(s, 0);
        out->category_id = db_col_int64(s, 1);
        out->retired_at = db_col_int64(s, 2);
        out->auto_renew = db_col_int64(s, 3) != 0;
        out->promotional = db_col_int64(s, 4) != 0;
        snprintf(out->code, sizeof out->code, "%s", db_col_text(s, 5));
        snprintf(out->name_en, sizeof out->name_en, "%s", db_col_text(s, 6));
        snprintf(out->name_it, sizeof out->name_it, "%s", db_col_text(s, 7));
        snprintf(out->provisioner, sizeof out->provisioner, "%s", db_col_text(s, 8));
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int64_t catalog_product_id(db *d, const char *code)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM catalog_products WHERE code = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : st == DB_DONE ? 0 : -1;
    db_done(s);
    return id;
}

const char *catalog_product_name(const catalog_product *p, const char *lang)
{
    return lang && !strcmp(lang, "it") ? p->name_it : p->name_en;
}

bool catalog_period_allowed(const catalog_product *p, int months)
{
    return p->promotional ? period_valid_promotional(months) : period_valid(months);
}

bool catalog_is_reseller(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM resellers WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    bool yes = db_step(s) == DB_ROW;
    db_done(s);
    return yes;
}

int catalog_reseller_discount_bp(db *d, int64_t org_id, int64_t category_id)
{
    if (org_id <= 0)
        return 0;
    db_stmt *s = db_prepare(d,
        "SELECT percent_bp FROM reseller_discounts WHERE org_id = $1 AND category_id = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, category_id);
    db_status st = db_step(s);
    int bp = st == DB_ROW ? (int)db_col_int64(s, 0) : 0;
    db_done(s);
    if (st != DB_ROW && st != DB_DONE)
        return -1;
    assert(bp >= 0 && bp <= CATALOG_BP_ONE);
    return bp;
}

/* amount less bp basis points, the discount rounded half-up (so the buyer
 * gets the half cent). */
static int64_t less_bp(int64_t amount, int bp)
{
    __int128 off;
    round_div_i128((__int128)amount * bp, CATALOG_BP_ONE, ROUND_HALF_UP, &off);
    assert(off >= 0 && off <= amount);
    return amount - (int64_t)off;
}

int catalog_price_for(db *d, int64_t org_id, const catalog_product *p, const char *currency_code, int months,
                      catalog_price *out)
{
    if (!catalog_period_allowed(p, months))
        return 0;
    db_stmt *s = db_prepare(d,
        "SELECT price_minor, setup_minor FROM catalog_prices"
        " WHERE product_id = $1 AND currency = $2 AND period_months = $3");
    if (!s)
        return -1;
    db_bind_int64(s, 1, p->id);
    db_bind_text(s, 2, currency_code);
    db_bind_int64(s, 3, months);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->list_price_minor = db_col_int64(s, 0);
        out->list_setup_minor = db_col_int64(s, 1);
    }
    db_done(s);
    if (st != DB_ROW)
        return st == DB_DONE ? 0 : -1;
    int bp = catalog_reseller_discount_bp(d, org_id, p->category_id);
    if (bp < 0)
        return -1;
    out->discount_bp = bp;
    out->price_minor = less_bp(out->list_price_minor, bp);
    out->setup_minor = less_bp(out->list_setup_minor, bp);
    return 1;
}

int catalog_category_get(db *d, int64_t id, catalog_category *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, position, code, name_en, name_it, description_en, description_it"
        " FROM catalog_categories WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_col_int64(s, 0);
        out->position = db_col_int64(s, 1);
        snprintf(out->code, sizeof out->code, "%s", db_col_text(s, 2));
        snprintf(out->name_en, sizeof out->name_en, "%s", db_col_text(s, 3));
        snprintf(out->name_it, sizeof out->name_it, "%s", db_col_text(s, 4));
        snprintf(out->description_en, sizeof out->description_en, "%s", db_col_text(s, 5));
        snprintf(out->description_it, sizeof out->description_it, "%s", db_col_text(s, 6));
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

const char *catalog_category_name(const catalog_category *c, const char *lang)
{
    return lang && !strcmp(lang, "it") ? c->name_it : c->name_en;
}

/* The one text column sql selects of product id ($1) into out. */
static bool product_column(db *d, int64_t id, const char *sql, char *out, size_t size)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        buf_copy_utf8(out, size, db_col_text(s, 0));
    db_done(s);
    return found;
}

bool catalog_product_text(db *d, int64_t id, const char *lang, char *instructions, size_t size)
{
    bool it = lang && !strcmp(lang, "it");
    return product_column(d, id,
                          it ? "SELECT instructions_it FROM catalog_products WHERE id = $1"
                             : "SELECT instructions_en FROM catalog_products WHERE id = $1",
                          instructions, size);
}

bool catalog_product_description(db *d, int64_t id, const char *lang, char *out, size_t size)
{
    bool it = lang && !strcmp(lang, "it");
    return product_column(d, id,
                          it ? "SELECT description_it FROM catalog_products WHERE id = $1"
                             : "SELECT description_en FROM catalog_products WHERE id = $1",
                          out, size);
}

int catalog_currencies(db *d, const currency **out, size_t max)
{
    db_stmt *s = db_prepare(d, "SELECT DISTINCT currency FROM catalog_prices ORDER BY currency");
    if (!s)
        return -1;
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < max)
        if ((out[n] = currency_find(db_col_text(s, 0))))
            n++;
    db_done(s);
    return st == DB_ROW || st == DB_DONE ? (int)n : -1;
}
