/* web_staff_catalog.c - the back office's catalog: categories and products
 * with their status (/staff/catalog), retire and un-retire buttons, the
 * product form with its prices grid (currency x period, price and setup fee,
 * amounts typed as people type them in the page's language) and the category
 * form. Errors go next to their fields and nothing is saved; the changes are
 * catalog_admin.h's, the same the staff API makes (audited). */
#include "feature/web/web_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/number_text.h"
#include "core/money.h"
#include "core/period.h"
#include "feature/catalog/catalog_admin.h"
#include "feature/web/web.h"

enum { WEB_GRID_CURRENCIES_MAX = 8 };
_Static_assert(WEB_GRID_CURRENCIES_MAX * PERIOD_COUNT * 2 + 16 <= FORM_FIELDS_MAX, "the product form fits a form");

/* The currencies of the prices grid, always offered, then the product's others. */
static const char *const grid_common[] = {"EUR", "CHF", "USD", "GBP"};

const char *web_catalog_field_message(http_request *r, catalog_field_error e)
{
    switch (e) {
    case CATALOG_FIELD_REQUIRED: return _("This field is required.");
    case CATALOG_FIELD_TOO_LONG: return _("This is too long.");
    case CATALOG_FIELD_CHARS: return _("This contains characters that are not allowed.");
    case CATALOG_FIELD_CODE: return _("Use 1 to 64 lowercase letters, digits or dashes.");
    case CATALOG_FIELD_CODE_TAKEN: return _("Another entry already uses this code.");
    case CATALOG_FIELD_PROVISIONER:
        return _("Enter manual or the name of a provisioner: lowercase letters, digits, _ or -.");
    case CATALOG_FIELD_CATEGORY: return _("Choose a category.");
    case CATALOG_FIELD_POSITION: return _("Enter a whole number from 0 to 100000.");
    case CATALOG_FIELD_PERIOD: return _("This period is not sold.");
    case CATALOG_FIELD_PROMO_PERIOD: return _("A promotional product is sold for 1 or 2 years only.");
    case CATALOG_FIELD_AMOUNT: return _("Enter an amount of 0 or more.");
    case CATALOG_FIELD_PERCENT: return _("Enter a percentage from 0 to 100.");
    default: return _("This value is not valid.");
    }
}

/* The form's field name trimmed of surrounding spaces ("" when absent). */
static const char *field_value(http_request *r, const form *f, const char *name)
{
    const char *v = form_get(f, name);
    if (!v)
        return "";
    v += strspn(v, " \t");
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return arena_strndup(r->a, v, n);
}

/* A position as typed ("" is 0); -1, which the catalog's check refuses, when it
 * is not a whole number from 0 to CATALOG_POSITION_MAX. */
static int64_t position_value(const char *text)
{
    int64_t v = 0;
    return !*text || int_text_parse(text, 0, CATALOG_POSITION_MAX, &v) ? v : -1;
}

/* The form's field name as typed ("" when absent): free text keeps its spaces. */
static const char *text_value(const form *f, const char *name)
{
    const char *v = form_get(f, name);
    return v ? v : "";
}

/* ---- the list ---- */

static json_t *product_row(http_request *r, const catalog_product_full *f)
{
    return json_pack("{s:I, s:s, s:s, s:b, s:b, s:b, s:I}", "id", (json_int_t)f->p.id, "code", f->p.code, "name",
                     catalog_product_name(&f->p, r->lang), "retired", f->p.retired_at != 0, "auto_renew",
                     f->p.auto_renew, "promotional", f->p.promotional, "prices", (json_int_t)f->price_count);
}

static void get_catalog(http_request *r)
{
    catalog_category *cats = arena_alloc(r->a, sizeof *cats * CATALOG_CATEGORIES_MAX);
    int64_t *ids = arena_alloc(r->a, sizeof *ids * CATALOG_PRODUCTS_MAX);
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    int n = catalog_category_list(r->db, cats, CATALOG_CATEGORIES_MAX);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        int m = catalog_product_ids(r->db, cats[i].id, true, ids, CATALOG_PRODUCTS_MAX);
        json_t *products = json_array();
        for (int j = 0; j < m; j++) {
            if (catalog_product_full_get(r->db, ids[j], f) != 1) {
                m = -1;
                break;
            }
            json_array_append_new(products, product_row(r, f));
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:b}", "id", (json_int_t)cats[i].id, "code",
                                              cats[i].code, "name", catalog_category_name(&cats[i], r->lang),
                                              "products", products, "empty", m == 0));
        if (m < 0)
            n = -1;
    }
    if (n < 0)
        return (void)json_decref(list), web_fail(r);
    web_staff_page(r, 200, "staff/catalog", _("Catalog"), "catalog",
                   json_pack("{s:o, s:b}", "categories", list, "has_categories", n > 0));
}

static void post_retire(http_request *r, bool retired)
{
    int64_t id;
    form f;
    if (!http_param_id(r, "product_id", &id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    catalog_actor who = {r->staff_id, r->client_ip};
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    catalog_result res = catalog_product_retire(r->db, &who, id, retired);
    if (res == CATALOG_NOT_FOUND)
        return db_rollback(r->db), web_error_page(r, 404);
    if (res != CATALOG_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, retired ? "product_retired" : "product_unretired");
    http_redirect(r, "/staff/catalog");
}

static void post_product_retire(http_request *r) { post_retire(r, true); }
static void post_product_unretire(http_request *r) { post_retire(r, false); }

/* ---- the product form ---- */

/* The grid's currencies: the common ones, then the product's others (f may be NULL). */
static size_t grid_currencies(const catalog_product_full *f, const currency **out)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof grid_common / sizeof grid_common[0]; i++)
        out[n++] = currency_find(grid_common[i]);
    for (size_t i = 0; f && i < f->price_count && n < WEB_GRID_CURRENCIES_MAX; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || out[j] == f->prices[i].cur;
        if (!seen)
            out[n++] = f->prices[i].cur;
    }
    return n;
}

static const char *cell_name(http_request *r, const char *kind, const currency *cur, int months)
{
    return arena_printf(r->a, "%s_%s_%d", kind, cur->code, months);
}

/* The stored amount of a cell as the form shows it ("" when there is no price). */
static const char *stored_cell(http_request *r, const catalog_product_full *f, const currency *cur, int months,
                               bool setup)
{
    for (size_t i = 0; f && i < f->price_count; i++)
        if (f->prices[i].cur == cur && f->prices[i].months == months) {
            char text[MONEY_FORMAT_BYTES_MAX];
            int64_t minor = setup ? f->prices[i].setup_minor : f->prices[i].price_minor;
            if (setup && minor == 0)
                return "";
            money_format(money_make(minor, cur), r->lang, text, sizeof text);
            return arena_strdup(r->a, text);
        }
    return "";
}

/* {"currencies": [...], "rows": [{"label", "cells": [{price_name, price, setup_name, setup, error}]}]}. */
static json_t *grid_json(http_request *r, const catalog_product_full *stored, const form *posted, json_t *errors)
{
    const currency *curs[WEB_GRID_CURRENCIES_MAX];
    size_t n = grid_currencies(stored, curs);
    json_t *heads = json_array(), *rows = json_array();
    for (size_t c = 0; c < n; c++)
        json_array_append_new(heads, json_string(curs[c]->code));
    for (int p = 0; p < PERIOD_COUNT; p++) {
        int months = period_all[p];
        json_t *cells = json_array();
        for (size_t c = 0; c < n; c++) {
            const char *pn = cell_name(r, "price", curs[c], months), *sn = cell_name(r, "setup", curs[c], months);
            const char *pv = posted ? form_get(posted, pn) : stored_cell(r, stored, curs[c], months, false);
            const char *sv = posted ? form_get(posted, sn) : stored_cell(r, stored, curs[c], months, true);
            json_t *err = json_object_get(errors, pn);
            json_array_append_new(cells, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O?}", "currency", curs[c]->code,
                                                   "price_name", pn, "price", pv ? pv : "", "setup_name", sn,
                                                   "setup", sv ? sv : "", "id", pn, "error", err));
        }
        json_array_append_new(rows, json_pack("{s:s, s:i, s:o}", "label", web_period_label(r, months), "months",
                                              months, "cells", cells));
    }
    return json_pack("{s:o, s:o}", "currencies", heads, "rows", rows);
}

static json_t *category_options(http_request *r, int64_t chosen)
{
    catalog_category *cats = arena_alloc(r->a, sizeof *cats * CATALOG_CATEGORIES_MAX);
    int n = catalog_category_list(r->db, cats, CATALOG_CATEGORIES_MAX);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)cats[i].id, "name",
                                             catalog_category_name(&cats[i], r->lang), "selected",
                                             cats[i].id == chosen));
    return arr;
}

/* The form's values: in's, with position as typed. */
static json_t *product_values(const catalog_product_in *in, const char *position)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "code", in->code, "name_en",
                     in->name_en, "name_it", in->name_it, "description_en", in->description_en, "description_it",
                     in->description_it, "instructions_en", in->instructions_en, "instructions_it",
                     in->instructions_it, "provisioner", in->provisioner, "position", position, "auto_renew",
                     in->auto_renew, "promotional", in->promotional);
}

/* The product form: new (stored NULL) or of stored; values from in (as posted). */
static void product_page(http_request *r, int status, const catalog_product_full *stored, const catalog_product_in *in,
                         const form *posted, json_t *errors, const char *position)
{
    if (!position)
        position = arena_printf(r->a, "%lld", (long long)in->position);
    json_t *data = json_pack("{s:o, s:o, s:o, s:o, s:b}", "form", product_values(in, position), "categories",
                             category_options(r, in->category_id), "grid", grid_json(r, stored, posted, errors),
                             "errors", errors, "is_new", stored == NULL);
    if (stored) {
        json_object_set_new(data, "id", json_integer(stored->p.id));
        json_object_set_new(data, "retired", json_boolean(stored->p.retired_at != 0));
    }
    const char *title = stored ? catalog_product_name(&stored->p, r->lang) : _("New product");
    web_staff_page(r, status, "staff/product", title, "catalog", data);
}

static void get_product_new(http_request *r)
{
    catalog_product_in *in = arena_alloc(r->a, sizeof *in);
    *in = (catalog_product_in){.code = "", .name_en = "", .name_it = "", .description_en = "", .description_it = "",
                               .instructions_en = "", .instructions_it = "", .provisioner = "manual"};
    int_text_id(http_query(r, "category_id"), &in->category_id); /* kept 0, none, when it is not an id */
    product_page(r, 200, NULL, in, NULL, json_object(), NULL);
}

/* The product of the path into f; 0 after answering the 404 page. */
static int64_t path_product(http_request *r, catalog_product_full *f)
{
    int64_t id;
    int found = http_param_id(r, "product_id", &id) ? catalog_product_full_get(r->db, id, f) : 0;
    if (found < 0)
        web_fail(r);
    else if (!found)
        web_error_page(r, 404);
    return found == 1 ? id : 0;
}

static void get_product(http_request *r)
{
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    catalog_product_in *in = arena_alloc(r->a, sizeof *in);
    if (!path_product(r, f))
        return;
    catalog_product_in_of(f, in);
    product_page(r, 200, f, in, NULL, json_object(), NULL);
}

/* One cell of the grid: an amount in cur typed in the page's language, or "";
 * a message under key (the period's price cell) in errors otherwise. */
static bool read_cell(http_request *r, const form *f, const char *name, const char *key, const currency *cur,
                      int64_t *minor, bool *present, json_t *errors)
{
    const char *text = form_get(f, name);
    money m;
    *present = text && text[strspn(text, " ")];
    if (!*present)
        return true;
    money_err e = money_parse_locale(text, cur, r->lang, &m);
    if (e == MONEY_OK && m.minor >= 0 && m.minor <= CATALOG_AMOUNT_MAX) {
        *minor = m.minor;
        return true;
    }
    const char *message = _("Enter an amount such as 1,234.56.");
    if (e == MONEY_TOO_PRECISE)
        message = _("This currency does not have that many decimals.");
    else if (e == MONEY_OK || e == MONEY_RANGE)
        message = _("Enter an amount of 0 or more.");
    json_object_set_new(errors, key, json_string(message));
    return false;
}

/* The grid's prices into in; false with the cells' errors. */
static bool read_grid(http_request *r, const form *f, const catalog_product_full *stored, catalog_product_in *in,
                      json_t *errors)
{
    const currency *curs[WEB_GRID_CURRENCIES_MAX];
    size_t n = grid_currencies(stored, curs);
    bool ok = true;
    in->price_count = 0;
    for (size_t c = 0; c < n; c++)
        for (int p = 0; p < PERIOD_COUNT; p++) {
            catalog_price_row row = {curs[c], period_all[p], 0, 0};
            bool has_price, has_setup;
            const char *pn = cell_name(r, "price", curs[c], row.months);
            bool good = read_cell(r, f, pn, pn, curs[c], &row.price_minor, &has_price, errors) &&
                        read_cell(r, f, cell_name(r, "setup", curs[c], row.months), pn, curs[c], &row.setup_minor,
                                  &has_setup, errors);
            if (good && has_setup && !has_price) {
                const char *m = _("Enter the price of this period, or leave its setup fee empty.");
                json_object_set_new(errors, pn, json_string(m));
                good = false;
            }
            ok = ok && good;
            if (good && has_price && in->price_count < CATALOG_PRICES_MAX)
                in->prices[in->price_count++] = row;
        }
    return ok;
}

/* The posted fields into in (strings from the form); false with errors. */
static bool read_product(http_request *r, const form *f, const catalog_product_full *stored, catalog_product_in *in,
                         json_t *errors, const char **position)
{
    static const char *const names[] = {"code", "name_en", "name_it", "provisioner", "description_en",
                                        "description_it", "instructions_en", "instructions_it"};
    const char **slots[] = {&in->code, &in->name_en, &in->name_it, &in->provisioner, &in->description_en,
                            &in->description_it, &in->instructions_en, &in->instructions_it};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        *slots[i] = i < 4 ? field_value(r, f, names[i]) : text_value(f, names[i]); /* 4..: free text */
    }
    const char *cat = form_get(f, "category_id"), *pos = field_value(r, f, "position");
    *position = pos;
    in->category_id = 0; /* none or not an id: refused by the catalog's check */
    int_text_id(cat, &in->category_id);
    in->position = position_value(pos);
    in->auto_renew = form_get(f, "auto_renew") != NULL;
    in->promotional = form_get(f, "promotional") != NULL;
    return read_grid(r, f, stored, in, errors);
}

/* Puts the service's error under its field (a price's under its cell). */
static void service_error(http_request *r, const catalog_product_in *in, const catalog_error *err, json_t *errors)
{
    const char *field = err->field;
    if (!strcmp(err->field, "prices") && err->index >= 0 && (size_t)err->index < in->price_count)
        field = cell_name(r, "price", in->prices[err->index].cur, in->prices[err->index].months);
    json_object_set_new(errors, field, json_string(web_catalog_field_message(r, err->e)));
}

static void save_product(http_request *r, const catalog_product_full *stored)
{
    form f;
    catalog_product_in *in = arena_alloc(r->a, sizeof *in);
    const char *position;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    bool ok = read_product(r, &f, stored, in, errors, &position);
    catalog_actor who = {r->staff_id, r->client_ip};
    catalog_error err;
    int64_t id = stored ? stored->p.id : 0;
    catalog_result res = CATALOG_INVALID;
    if (ok) {
        if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
            return (void)json_decref(errors), web_fail(r);
        res = catalog_product_save(r->db, &who, id, in, &err, &id);
        if (res == CATALOG_INVALID)
            service_error(r, in, &err, errors);
        if (res != CATALOG_OK)
            db_rollback(r->db);
    }
    if (res == CATALOG_INVALID)
        return product_page(r, 422, stored, in, &f, errors, position);
    json_decref(errors);
    if (res != CATALOG_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "product_saved");
    http_redirect(r, arena_printf(r->a, "/staff/catalog/products/%lld", (long long)id));
}

static void post_product_new(http_request *r) { save_product(r, NULL); }

static void post_product(http_request *r)
{
    catalog_product_full *f = arena_alloc(r->a, sizeof *f);
    if (path_product(r, f))
        save_product(r, f);
}

/* ---- the category form ---- */

static void category_page(http_request *r, int status, int64_t id, const catalog_category_in *in, const char *position,
                          json_t *errors)
{
    json_t *values = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code", in->code, "name_en", in->name_en, "name_it",
                               in->name_it, "description_en", in->description_en, "description_it",
                               in->description_it, "position", position);
    json_t *data = json_pack("{s:o, s:o, s:b, s:I}", "form", values, "errors", errors, "is_new", id == 0, "id",
                             (json_int_t)id);
    web_staff_page(r, status, "staff/category", id ? in->name_en : _("New category"), "catalog", data);
}

static void get_category_new(http_request *r)
{
    catalog_category_in in = {"", "", "", "", "", 0};
    category_page(r, 200, 0, &in, "0", json_object());
}

/* The category of the path into c; 0 after answering the 404 page. */
static int64_t path_category(http_request *r, catalog_category *c)
{
    int64_t id;
    int found = http_param_id(r, "category_id", &id) ? catalog_category_get(r->db, id, c) : 0;
    if (found < 0)
        web_fail(r);
    else if (!found)
        web_error_page(r, 404);
    return found == 1 ? id : 0;
}

static void get_category(http_request *r)
{
    catalog_category *c = arena_alloc(r->a, sizeof *c);
    int64_t id = path_category(r, c);
    if (!id)
        return;
    catalog_category_in in = {c->code, c->name_en, c->name_it, c->description_en, c->description_it, c->position};
    category_page(r, 200, id, &in, arena_printf(r->a, "%lld", (long long)c->position), json_object());
}

static void save_category(http_request *r, int64_t id)
{
    form f;
    if (!web_form(r, &f))
        return;
    const char *v[6];
    static const char *const names[] = {"code", "name_en", "name_it", "description_en", "description_it", "position"};
    for (size_t i = 0; i < 6; i++)
        v[i] = i == 3 || i == 4 ? text_value(&f, names[i]) : field_value(r, &f, names[i]); /* descriptions as typed */
    catalog_category_in in = {v[0], v[1], v[2], v[3], v[4], position_value(v[5])};
    catalog_actor who = {r->staff_id, r->client_ip};
    catalog_error err;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    catalog_result res = catalog_category_save(r->db, &who, id, &in, &err, &id);
    if (res != CATALOG_OK)
        db_rollback(r->db);
    if (res == CATALOG_INVALID) {
        json_t *errors = json_pack("{s:s}", err.field, web_catalog_field_message(r, err.e));
        return category_page(r, 422, id, &in, v[5], errors);
    }
    if (res == CATALOG_NOT_FOUND)
        return web_error_page(r, 404);
    if (res != CATALOG_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "category_saved");
    http_redirect(r, "/staff/catalog");
}

static void post_category_new(http_request *r) { save_category(r, 0); }

static void post_category(http_request *r)
{
    catalog_category *c = arena_alloc(r->a, sizeof *c);
    int64_t id = path_category(r, c);
    if (id)
        save_category(r, id);
}

void web_staff_catalog_routes(router *rt)
{
    const unsigned page = ROUTE_STAFF | ROUTE_PAGE;
    router_add(rt, "GET", "/staff/catalog", get_catalog, page);
    router_add(rt, "GET", "/staff/catalog/products/new", get_product_new, page);
    router_add(rt, "POST", "/staff/catalog/products", post_product_new, page);
    router_add(rt, "GET", "/staff/catalog/products/{product_id}", get_product, page);
    router_add(rt, "POST", "/staff/catalog/products/{product_id}", post_product, page);
    router_add(rt, "POST", "/staff/catalog/products/{product_id}/retire", post_product_retire, page);
    router_add(rt, "POST", "/staff/catalog/products/{product_id}/unretire", post_product_unretire, page);
    router_add(rt, "GET", "/staff/catalog/categories/new", get_category_new, page);
    router_add(rt, "POST", "/staff/catalog/categories", post_category_new, page);
    router_add(rt, "GET", "/staff/catalog/categories/{category_id}", get_category, page);
    router_add(rt, "POST", "/staff/catalog/categories/{category_id}", post_category, page);
}
