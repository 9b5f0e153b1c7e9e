/* catalog_api.c - the catalog's staff API (reading and changing categories,
 * products with their price lists, resellers' discounts):
 *   GET/POST  /api/v1/staff/categories     PATCH /api/v1/staff/categories/{category_id}
 *   GET/POST  /api/v1/staff/products       GET/PATCH /api/v1/staff/products/{product_id}
 *   GET/PUT/DELETE /api/v1/staff/orgs/{org_id}/reseller
 * The public GET /api/v1/catalog is in catalog_public.c. */
#include "feature/catalog/catalog_admin.h"
#include "feature/catalog/catalog_internal.h"

#include <assert.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

/* Answers a result other than CATALOG_OK: 422 naming the field, 404, 500. */
static void answer_error(http_request *r, catalog_result res, const catalog_error *err, const char *what)
{
    if (res == CATALOG_NOT_FOUND)
        return http_error(r, 404, "not_found", arena_printf(r->a, "no such %s", what), NULL);
    if (res != CATALOG_INVALID)
        return http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    assert(err); /* CATALOG_INVALID names a field */
    const char *msg = catalog_field_message(err->e);
    const char *text = err->index >= 0 ? arena_printf(r->a, "%s[%d]: %s", err->field, err->index, msg)
                                       : arena_printf(r->a, "%s: %s", err->field, msg);
    http_error(r, 422, "invalid_field", text, err->field);
}

/* Commits, or rolls back and answers 500. */
static bool commit_or_answer(http_request *r)
{
    if (db_commit(r->db) == DB_OK)
        return true;
    db_rollback(r->db);
    http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    return false;
}

static bool begin_or_answer(http_request *r)
{
    if (db_begin(r->db, DB_TX_WRITE) == DB_OK)
        return true;
    http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    return false;
}

/* ---- categories ---- */

static void list_categories(http_request *r)
{
    catalog_category *list = arena_alloc(r->a, sizeof *list * CATALOG_CATEGORIES_MAX);
    int n = catalog_category_list(r->db, list, CATALOG_CATEGORIES_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "cannot read the catalog", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, catalog_category_json(&list[i]));
    http_json(r, 200, json_pack("{s:o}", "categories", arr));
}

/* The category fields present in b over in; 422 answered on a wrong type. */
static bool read_category(http_request *r, json_t *b, catalog_category_in *in)
{
    const char **slots[] = {&in->code, &in->name_en, &in->name_it};
    static const char *const names[] = {"code", "name_en", "name_it"};
    for (size_t i = 0; i < 3; i++)
        if (!catalog_api_line(r, b, names[i], slots[i]))
            return false;
    return catalog_api_multiline(r, b, "description_en", &in->description_en) &&
           catalog_api_multiline(r, b, "description_it", &in->description_it) &&
           catalog_api_int(r, b, "position", &in->position);
}

/* Saves category id (0 = new) and answers it with status. */
static void save_category(http_request *r, int64_t id, const catalog_category_in *in, int status)
{
    catalog_error err;
    int64_t saved;
    catalog_actor who = {r->staff_id, r->client_ip};
    if (!begin_or_answer(r))
        return;
    catalog_result res = catalog_category_save(r->db, &who, id, in, &err, &saved);
    if (res != CATALOG_OK) {
        db_rollback(r->db);
        return answer_error(r, res, &err, "category");
    }
    catalog_category c;
    if (!commit_or_answer(r))
        return;
    if (catalog_category_get(r->db, saved, &c) != 1)
        return http_error(r, 500, "store_error", "cannot read the category", NULL);
    http_json(r, status, catalog_category_json(&c));
}

static void create_category(http_request *r)
{
    json_t *b;
    catalog_category_in in = {"", "", "", "", "", 0};
    if (jin_body(r, &b) && read_category(r, b, &in))
        save_category(r, 0, &in, 201);
}

static void patch_category(http_request *r)
{
    int64_t id;
    json_t *b;
    catalog_category c;
    int found = http_param_id(r, "category_id", &id) ? catalog_category_get(r->db, id, &c) : 0;
    if (found <= 0)
        return answer_error(r, found < 0 ? CATALOG_STORE_ERROR : CATALOG_NOT_FOUND, NULL, "category");
    catalog_category_in in = {c.code, c.name_en, c.name_it, c.description_en, c.description_it, c.position};
    if (jin_body(r, &b) && read_category(r, b, &in))
        save_category(r, id, &in, 200);
}

/* ---- products ---- */

static void list_products(http_request *r)
{
    int64_t category_id = 0;
    const char *q = http_query(r, "category_id");
    if (q && !int_text_id(q, &category_id))
        return http_error(r, 422, "invalid_field", "category_id: must be a positive integer", "category_id");
    int64_t *ids = arena_alloc(r->a, sizeof *ids * CATALOG_PRODUCTS_MAX);
    int n = catalog_product_ids(r->db, category_id, true, ids, CATALOG_PRODUCTS_MAX);
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        if (catalog_product_full_get(r->db, ids[i], f) != 1) {
            n = -1;
            break;
        }
        json_array_append_new(arr, catalog_product_full_json(f, r->lang));
    }
    if (n < 0) {
        json_decref(arr);
        return http_error(r, 500, "store_error", "cannot read the catalog", NULL);
    }
    http_json(r, 200, json_pack("{s:o}", "products", arr));
}

/* Answers product id as stored now with status. */
static void answer_product(http_request *r, int status, int64_t id)
{
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    int found = catalog_product_full_get(r->db, id, f);
    if (found != 1)
        return answer_error(r, found < 0 ? CATALOG_STORE_ERROR : CATALOG_NOT_FOUND, NULL, "product");
    http_json(r, status, catalog_product_full_json(f, r->lang));
}

/* Saves the product's fields (when save), then its retirement (when set). */
static void store_product(http_request *r, int64_t id, const catalog_product_in *in, bool save, int retired,
                          int status)
{
    catalog_error err = {0};
    catalog_actor who = {r->staff_id, r->client_ip};
    int64_t saved = id;
    if (!begin_or_answer(r))
        return;
    catalog_result res = save ? catalog_product_save(r->db, &who, id, in, &err, &saved) : CATALOG_OK;
    if (res == CATALOG_OK && retired >= 0)
        res = catalog_product_retire(r->db, &who, saved, retired == 1);
    if (res != CATALOG_OK) {
        db_rollback(r->db);
        return answer_error(r, res, &err, "product");
    }
    if (commit_or_answer(r))
        answer_product(r, status, saved);
}

static void create_product(http_request *r)
{
    json_t *b;
    catalog_product_in *in = arena_alloc(r->a, sizeof *in);
    *in = (catalog_product_in){.code = "", .name_en = "", .name_it = "", .description_en = "",
                               .description_it = "", .instructions_en = "", .instructions_it = "",
                               .provisioner = "manual"};
    int retired = -1;
    if (jin_body(r, &b) && catalog_api_read_product(r, b, in, &retired))
        store_product(r, 0, in, true, retired, 201);
}

static void get_product(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "product_id", &id))
        return answer_error(r, CATALOG_NOT_FOUND, NULL, "product");
    answer_product(r, 200, id);
}

/* PATCH: the fields sent replace the current ones ("prices" the whole list);
 * "retired" retires the product or puts it back on sale. */
static void patch_product(http_request *r)
{
    int64_t id;
    json_t *b;
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    int found = http_param_id(r, "product_id", &id) ? catalog_product_full_get(r->db, id, f) : 0;
    if (found <= 0)
        return answer_error(r, found < 0 ? CATALOG_STORE_ERROR : CATALOG_NOT_FOUND, NULL, "product");
    catalog_product_in *in = arena_alloc(r->a, sizeof *in);
    catalog_product_in_of(f, in);
    int retired = -1;
    if (!jin_body(r, &b) || !catalog_api_read_product(r, b, in, &retired))
        return;
    bool fields = json_object_size(b) > (size_t)(json_object_get(b, "retired") ? 1 : 0);
    store_product(r, id, in, fields, retired, 200);
}

/* ---- resellers ---- */

/* The path's organization, or a 404 answer. */
static bool path_org(http_request *r, int64_t *org_id)
{
    char name[ORG_NAME_MAX + 1];
    if (http_param_id(r, "org_id", org_id) && org_name(r->db, *org_id, name, sizeof name))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static void answer_reseller(http_request *r, int64_t org_id)
{
    catalog_discount *ds = arena_alloc(r->a, sizeof *ds * CATALOG_CATEGORIES_MAX);
    int n = catalog_reseller_discounts(r->db, org_id, ds, CATALOG_CATEGORIES_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "cannot read the reseller", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:i}", "category_id", (json_int_t)ds[i].category_id,
                                             "percent_bp", ds[i].percent_bp));
    http_json(r, 200, json_pack("{s:I, s:b, s:o}", "org_id", (json_int_t)org_id, "reseller",
                                catalog_is_reseller(r->db, org_id), "discounts", arr));
}

static void get_reseller(http_request *r)
{
    int64_t org_id;
    if (path_org(r, &org_id))
        answer_reseller(r, org_id);
}

static void put_reseller(http_request *r)
{
    int64_t org_id;
    json_t *b;
    catalog_discount *ds = arena_alloc(r->a, sizeof *ds * CATALOG_CATEGORIES_MAX);
    size_t n;
    if (!path_org(r, &org_id) || !jin_body(r, &b) || !catalog_api_read_discounts(r, b, ds, &n) ||
        !begin_or_answer(r))
        return;
    catalog_actor who = {r->staff_id, r->client_ip};
    catalog_error err;
    catalog_result res = catalog_reseller_set(r->db, &who, org_id, ds, n, &err);
    if (res != CATALOG_OK) {
        db_rollback(r->db);
        return answer_error(r, res, &err, "organization");
    }
    if (commit_or_answer(r))
        answer_reseller(r, org_id);
}

static void delete_reseller(http_request *r)
{
    int64_t org_id;
    if (!path_org(r, &org_id) || !begin_or_answer(r))
        return;
    catalog_actor who = {r->staff_id, r->client_ip};
    catalog_result res = catalog_reseller_unset(r->db, &who, org_id);
    if (res != CATALOG_OK) {
        db_rollback(r->db);
        return answer_error(r, res, NULL, "reseller");
    }
    if (commit_or_answer(r))
        http_text(r, 204, NULL, "", 0);
}

void catalog_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/catalog", catalog_get_public, ROUTE_PUBLIC);
    router_add(rt, "GET", "/api/v1/staff/categories", list_categories, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/categories", create_category, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/categories/{category_id}", patch_category, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/products", list_products, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/products", create_product, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/products/{product_id}", get_product, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/products/{product_id}", patch_product, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}/reseller", get_reseller, ROUTE_STAFF);
    router_add(rt, "PUT", "/api/v1/staff/orgs/{org_id}/reseller", put_reseller, ROUTE_STAFF);
    router_add(rt, "DELETE", "/api/v1/staff/orgs/{org_id}/reseller", delete_reseller, ROUTE_STAFF);
}
