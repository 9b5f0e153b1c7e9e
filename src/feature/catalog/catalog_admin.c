/* catalog_admin.c - storing the catalog's changes (catalog_admin.h): categories,
 * products with their whole price list, retiring, and the staff audit entry
 * of each change in the caller's transaction. */
#include "feature/catalog/catalog_admin.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/staff/staff.h"
#include "http/json_in.h"

/* The audit entry of a change by who (none for the demo data). */
static bool audit(db *d, const catalog_actor *who, const char *action, const char *kind, int64_t id,
                  json_t *detail)
{
    bool ok = true;
    if (who) {
        char *text = json_dumps(detail, JSON_COMPACT);
        if (!text)
            abort(); /* out of memory */
        ok = staff_audit(d, who->staff_id, action, kind, id, text, who->ip);
        free(text);
    }
    json_decref(detail);
    return ok;
}

/* Runs s (bound by the caller) expecting one row with an id: RETURNING id. */
static bool step_id(db_stmt *s, int64_t *id_out)
{
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *id_out = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

catalog_result catalog_category_save(db *d, const catalog_actor *who, int64_t id, const catalog_category_in *in,
                                     catalog_error *err, int64_t *id_out)
{
    assert(db_in_tx(d) && id >= 0);
    assert(in->code && in->name_en && in->name_it && in->description_en && in->description_it);
    catalog_category cur;
    int found = id ? catalog_category_get(d, id, &cur) : 1;
    if (found <= 0)
        return found < 0 ? CATALOG_STORE_ERROR : CATALOG_NOT_FOUND;
    catalog_result res = catalog_category_check(d, id, in, err);
    if (res != CATALOG_OK)
        return res;
    db_stmt *s = db_prepare(d, id ? "UPDATE catalog_categories SET code = $1, name_en = $2, name_it = $3,"
                                    " description_en = $4, description_it = $5, position = $6 WHERE id = $7"
                                    " RETURNING id"
                                  : "INSERT INTO catalog_categories (code, name_en, name_it, description_en,"
                                    " description_it, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                                    " RETURNING id");
    if (!s)
        return CATALOG_STORE_ERROR;
    db_bind_text(s, 1, in->code);
    db_bind_text(s, 2, in->name_en);
    db_bind_text(s, 3, in->name_it);
    db_bind_text(s, 4, in->description_en);
    db_bind_text(s, 5, in->description_it);
    db_bind_int64(s, 6, in->position);
    db_bind_int64(s, 7, id ? id : (int64_t)time(NULL));
    if (!step_id(s, id_out))
        return CATALOG_STORE_ERROR;
    json_t *detail = json_pack("{s:s}", "code", in->code);
    return audit(d, who, id ? "catalog.category.update" : "catalog.category.create", "category", *id_out, detail)
               ? CATALOG_OK
               : CATALOG_STORE_ERROR;
}

int catalog_category_list(db *d, catalog_category *out, size_t max)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM catalog_categories ORDER BY position, id");
    if (!s)
        return -1;
    int64_t ids[CATALOG_CATEGORIES_MAX];
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < max && n < CATALOG_CATEGORIES_MAX)
        ids[n++] = db_col_int64(s, 0);
    db_done(s);
    if (st != DB_ROW && st != DB_DONE)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (catalog_category_get(d, ids[i], &out[i]) != 1)
            return -1;
    return (int)n;
}

/* Replaces product id's price list with in's. */
static bool store_prices(db *d, int64_t id, const catalog_product_in *in)
{
    db_stmt *s = db_prepare(d, "DELETE FROM catalog_prices WHERE product_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    if (db_exec1(s) != DB_DONE)
        return false;
    for (size_t i = 0; i < in->price_count; i++) {
        const catalog_price_row *p = &in->prices[i];
        assert(p->cur && p->price_minor >= 0 && p->setup_minor >= 0); /* checked by catalog_product_check */
        s = db_prepare(d, "INSERT INTO catalog_prices (product_id, currency, period_months, price_minor,"
                          " setup_minor) VALUES ($1, $2, $3, $4, $5)");
        if (!s)
            return false;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, p->cur->code);
        db_bind_int64(s, 3, p->months);
        db_bind_int64(s, 4, p->price_minor);
        db_bind_int64(s, 5, p->setup_minor);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

/* Binds in's fields to $1..$13 of the product INSERT or UPDATE. */
static void bind_product(db_stmt *s, const catalog_product_in *in)
{
    db_bind_int64(s, 1, in->category_id);
    db_bind_text(s, 2, in->code);
    db_bind_text(s, 3, in->name_en);
    db_bind_text(s, 4, in->name_it);
    db_bind_text(s, 5, in->description_en);
    db_bind_text(s, 6, in->description_it);
    db_bind_text(s, 7, in->instructions_en);
    db_bind_text(s, 8, in->instructions_it);
    db_bind_text(s, 9, in->provisioner);
    db_bind_int64(s, 10, in->auto_renew);
    db_bind_int64(s, 11, in->promotional);
    db_bind_int64(s, 12, in->position);
    db_bind_int64(s, 13, (int64_t)time(NULL));
}

catalog_result catalog_product_save(db *d, const catalog_actor *who, int64_t id, const catalog_product_in *in,
                                    catalog_error *err, int64_t *id_out)
{
    assert(db_in_tx(d) && id >= 0);
    assert(in->code && in->name_en && in->name_it && in->provisioner && in->price_count <= CATALOG_PRICES_MAX);
    catalog_product cur;
    int found = id ? catalog_product_get(d, id, &cur) : 1;
    if (found <= 0)
        return found < 0 ? CATALOG_STORE_ERROR : CATALOG_NOT_FOUND;
    catalog_result res = catalog_product_check(d, id, in, err);
    if (res != CATALOG_OK)
        return res;
    db_stmt *s = db_prepare(d, id ? "UPDATE catalog_products SET category_id = $1, code = $2, name_en = $3,"
                                    " name_it = $4, description_en = $5, description_it = $6, instructions_en = $7,"
                                    " instructions_it = $8, provisioner = $9, auto_renew = $10, promotional = $11,"
                                    " position = $12, updated_at = $13 WHERE id = $14 RETURNING id"
                                  : "INSERT INTO catalog_products (category_id, code, name_en, name_it,"
                                    " description_en, description_it, instructions_en, instructions_it, provisioner,"
                                    " auto_renew, promotional, position, created_at, updated_at) VALUES ($1, $2, $3,"
                                    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id");
    if (!s)
        return CATALOG_STORE_ERROR;
    bind_product(s, in);
    if (id)
        db_bind_int64(s, 14, id);
    if (!step_id(s, id_out) || !store_prices(d, *id_out, in))
        return CATALOG_STORE_ERROR;
    assert(*id_out > 0 && (!id || *id_out == id));
    json_t *detail = json_pack("{s:s, s:I}", "code", in->code, "prices", (json_int_t)in->price_count);
    return audit(d, who, id ? "catalog.product.update" : "catalog.product.create", "product", *id_out, detail)
               ? CATALOG_OK
               : CATALOG_STORE_ERROR;
}

catalog_result catalog_product_retire(db *d, const catalog_actor *who, int64_t id, bool retired)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, retired ? "UPDATE catalog_products SET retired_at = COALESCE(retired_at, $1),"
                                         " updated_at = $1 WHERE id = $2 RETURNING id"
                                       : "UPDATE catalog_products SET retired_at = NULL, updated_at = $1"
                                         " WHERE id = $2 RETURNING id");
    if (!s)
        return CATALOG_STORE_ERROR;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, id);
    db_status st = db_step(s);
    db_done(s);
    if (st != DB_ROW)
        return st == DB_DONE ? CATALOG_NOT_FOUND : CATALOG_STORE_ERROR;
    return audit(d, who, retired ? "catalog.product.retire" : "catalog.product.unretire", "product", id,
                 json_object())
               ? CATALOG_OK
               : CATALOG_STORE_ERROR;
}

/* Reads product id's price list into f. */
static bool read_prices(db *d, int64_t id, catalog_product_full *f)
{
    db_stmt *s = db_prepare(d, "SELECT currency, period_months, price_minor, setup_minor FROM catalog_prices"
                               " WHERE product_id = $1 ORDER BY currency, period_months");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    db_status st;
    f->price_count = 0;
    while ((st = db_step(s)) == DB_ROW && f->price_count < CATALOG_PRICES_MAX) {
        catalog_price_row *p = &f->prices[f->price_count++];
        p->cur = currency_find(db_col_text(s, 0));
        p->months = (int)db_col_int64(s, 1);
        p->price_minor = db_col_int64(s, 2);
        p->setup_minor = db_col_int64(s, 3);
        assert(p->cur);
    }
    db_done(s);
    return st == DB_ROW || st == DB_DONE;
}

int catalog_product_full_get(db *d, int64_t id, catalog_product_full *out)
{
    int found = catalog_product_get(d, id, &out->p);
    if (found != 1)
        return found;
    db_stmt *s = db_prepare(d, "SELECT position, created_at, updated_at, description_en, description_it,"
                               " instructions_en, instructions_it FROM catalog_products WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        out->position = db_col_int64(s, 0);
        out->created_at = db_col_int64(s, 1);
        out->updated_at = db_col_int64(s, 2);
        snprintf(out->description_en, sizeof out->description_en, "%s", db_col_text(s, 3));
        snprintf(out->description_it, sizeof out->description_it, "%s", db_col_text(s, 4));
        snprintf(out->instructions_en, sizeof out->instructions_en, "%s", db_col_text(s, 5));
        snprintf(out->instructions_it, sizeof out->instructions_it, "%s", db_col_text(s, 6));
    }
    db_done(s);
    return ok && read_prices(d, id, out) ? 1 : -1;
}

void catalog_product_in_of(const catalog_product_full *f, catalog_product_in *out)
{
    *out = (catalog_product_in){
        .category_id = f->p.category_id, .position = f->position, .code = f->p.code, .name_en = f->p.name_en,
        .name_it = f->p.name_it, .description_en = f->description_en, .description_it = f->description_it,
        .instructions_en = f->instructions_en, .instructions_it = f->instructions_it,
        .provisioner = f->p.provisioner, .auto_renew = f->p.auto_renew, .promotional = f->p.promotional,
        .price_count = f->price_count,
    };
    memcpy(out->prices, f->prices, sizeof f->prices[0] * f->price_count);
}

int catalog_product_ids(db *d, int64_t category_id, bool with_retired, int64_t *out, size_t max)
{
    db_stmt *s = db_prepare(d, "SELECT p.id FROM catalog_products p JOIN catalog_categories c ON c.id = p.category_id"
                               " WHERE ($1 = 0 OR p.category_id = $1) AND ($2 = 1 OR p.retired_at IS NULL)"
                               " ORDER BY c.position, c.id, p.position, p.id");
    if (!s)
        return -1;
    db_bind_int64(s, 1, category_id);
    db_bind_int64(s, 2, with_retired);
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < max)
        out[n++] = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW || st == DB_DONE ? (int)n : -1;
}

json_t *catalog_category_json(const catalog_category *c)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)c->id, "code", c->code, "name_en",
                     c->name_en, "name_it", c->name_it, "description_en", c->description_en, "description_it",
                     c->description_it, "position", (json_int_t)c->position);
}

json_t *catalog_product_full_json(const catalog_product_full *f, const char *lang)
{
    json_t *prices = json_array();
    for (size_t i = 0; i < f->price_count; i++) {
        const catalog_price_row *p = &f->prices[i];
        json_array_append_new(prices, json_pack("{s:i, s:o, s:o}", "period", p->months, "price",
                                                jout_money(money_make(p->price_minor, p->cur), lang), "setup_fee",
                                                jout_money(money_make(p->setup_minor, p->cur), lang)));
    }
    const catalog_product *p = &f->p;
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:I, s:b}", "id",
                          (json_int_t)p->id, "category_id", (json_int_t)p->category_id, "code", p->code, "name_en",
                          p->name_en, "name_it", p->name_it, "description_en", f->description_en, "description_it",
                          f->description_it, "instructions_en", f->instructions_en, "instructions_it",
                          f->instructions_it, "provisioner", p->provisioner, "auto_renew", p->auto_renew,
                          "promotional", p->promotional, "position", (json_int_t)f->position, "retired",
                          p->retired_at != 0);
    json_object_set_new(j, "retired_at", p->retired_at ? jout_time(p->retired_at) : json_null());
    json_object_set_new(j, "created_at", jout_time(f->created_at));
    json_object_set_new(j, "updated_at", jout_time(f->updated_at));
    json_object_set_new(j, "prices", prices);
    return j;
}
