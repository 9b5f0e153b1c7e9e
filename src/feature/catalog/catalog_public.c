/* catalog_public.c - the catalog as customers see it (GET /api/v1/catalog and
 * the client area's page): what can be ordered in one currency, with net
 * prices (VAT excluded) and, for a reseller, its own price next to each. */
#include "feature/catalog/catalog_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

/* Names and descriptions in both languages plus "name" and "description" in lang. */
static void set_texts(json_t *j, const char *name_en, const char *name_it, const char *desc_en,
                      const char *desc_it, const char *lang)
{
    bool it = lang && !strcmp(lang, "it");
    json_object_set_new(j, "name", json_string(it ? name_it : name_en));
    json_object_set_new(j, "name_en", json_string(name_en));
    json_object_set_new(j, "name_it", json_string(name_it));
    json_object_set_new(j, "description", json_string(it ? desc_it : desc_en));
    json_object_set_new(j, "description_en", json_string(desc_en));
    json_object_set_new(j, "description_it", json_string(desc_it));
}

/* f's prices in cur, with the reseller's when reseller; NULL on a store error. */
static json_t *prices_json(db *d, const catalog_product_full *f, const currency *cur, int64_t org_id,
                           bool reseller, const char *lang)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < f->price_count; i++) {
        const catalog_price_row *p = &f->prices[i];
        if (p->cur != cur || !catalog_period_allowed(&f->p, p->months))
            continue;
        json_t *e = json_pack("{s:i, s:o, s:o}", "period", p->months, "price",
                              jout_money(money_make(p->price_minor, cur), lang), "setup_fee",
                              jout_money(money_make(p->setup_minor, cur), lang));
        json_array_append_new(arr, e);
        catalog_price mine;
        if (!reseller)
            continue;
        if (catalog_price_for(d, org_id, &f->p, cur->code, p->months, &mine) != 1) {
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(e, "your_price", jout_money(money_make(mine.price_minor, cur), lang));
        json_object_set_new(e, "your_setup_fee", jout_money(money_make(mine.setup_minor, cur), lang));
        json_object_set_new(e, "discount_bp", json_integer(mine.discount_bp));
    }
    return arr;
}

/* The orderable products of category c in cur (may be empty); NULL on a store error. */
static json_t *products_json(db *d, const catalog_category *c, const currency *cur, int64_t org_id, bool reseller,
                             const char *lang, catalog_product_full *f, int64_t *ids)
{
    int n = catalog_product_ids(d, c->id, false, ids, CATALOG_PRODUCTS_MAX);
    json_t *arr = n < 0 ? NULL : json_array();
    for (int i = 0; arr && i < n; i++) {
        json_t *prices = catalog_product_full_get(d, ids[i], f) == 1
                             ? prices_json(d, f, cur, org_id, reseller, lang) : NULL;
        if (!prices) {
            json_decref(arr);
            return NULL;
        }
        if (json_array_size(prices) == 0) {
            json_decref(prices);
            continue;
        }
        json_t *j = json_pack("{s:I, s:s}", "id", (json_int_t)f->p.id, "code", f->p.code);
        set_texts(j, f->p.name_en, f->p.name_it, f->description_en, f->description_it, lang);
        json_object_set_new(j, "auto_renew", json_boolean(f->p.auto_renew));
        json_object_set_new(j, "promotional", json_boolean(f->p.promotional));
        json_object_set_new(j, "prices", prices);
        json_array_append_new(arr, j);
    }
    return arr;
}

/* The categories of the offer (work: room for the categories, one product and its ids). */
static json_t *categories_json(db *d, const currency *cur, int64_t org_id, bool reseller, const char *lang,
                               catalog_category *cats, catalog_product_full *f, int64_t *ids)
{
    int n = catalog_category_list(d, cats, CATALOG_CATEGORIES_MAX);
    json_t *arr = n < 0 ? NULL : json_array();
    for (int i = 0; arr && i < n; i++) {
        json_t *products = products_json(d, &cats[i], cur, org_id, reseller, lang, f, ids);
        if (!products) {
            json_decref(arr);
            return NULL;
        }
        if (json_array_size(products) == 0) {
            json_decref(products);
            continue;
        }
        json_t *j = json_pack("{s:I, s:s}", "id", (json_int_t)cats[i].id, "code", cats[i].code);
        set_texts(j, cats[i].name_en, cats[i].name_it, cats[i].description_en, cats[i].description_it, lang);
        json_object_set_new(j, "products", products);
        json_array_append_new(arr, j);
    }
    return arr;
}

json_t *catalog_offer_json(db *d, const currency *cur, int64_t org_id, const char *lang)
{
    catalog_category *cats = malloc(sizeof *cats * CATALOG_CATEGORIES_MAX);
    catalog_product_full *f = malloc(sizeof *f);
    int64_t *ids = malloc(sizeof *ids * CATALOG_PRODUCTS_MAX);
    if (!cats || !f || !ids)
        abort(); /* out of memory */
    bool reseller = org_id > 0 && catalog_is_reseller(d, org_id);
    json_t *arr = categories_json(d, cur, org_id, reseller, lang, cats, f, ids);
    free(cats);
    free(f);
    free(ids);
    if (!arr)
        return NULL;
    return json_pack("{s:s, s:b, s:b, s:o}", "currency", cur->code, "vat_included", 0, "reseller", reseller,
                     "categories", arr);
}

static void answer_offer(http_request *r, json_t *offer)
{
    if (!offer)
        return http_error(r, 500, "store_error", "cannot read the catalog", NULL);
    http_json(r, 200, offer);
}

void catalog_get_public(http_request *r)
{
    const char *code = http_query(r, "currency");
    const currency *cur = currency_find(code ? code : "EUR");
    if (!cur)
        return http_error(r, 422, "invalid_field", "currency: is not a known ISO 4217 currency code", "currency");
    const char *q = http_query(r, "org_id");
    int64_t org_id = 0;
    if (q && !int_text_id(q, &org_id))
        return http_error(r, 422, "invalid_field", "org_id: must be a positive integer", "org_id");
    if (q && !r->user_id)
        return http_error(r, 401, "unauthenticated", "sign in to see an organization's prices", NULL);
    if (q && !org_user_may(r->db, r->user_id, org_id, ORG_NEED_MEMBER))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    if (org_id)
        return answer_offer(r, catalog_offer_json(r->db, cur, org_id, r->lang));
    buf body;
    buf_init(&body, 0);
    if (catalog_public_body(r->db, cur, r->lang, &body))
        http_text(r, 200, "application/json", buf_cstr(&body), body.len);
    else
        http_error(r, 500, "store_error", "cannot read the catalog", NULL);
    buf_free(&body);
}
