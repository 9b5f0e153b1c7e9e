/* web_staff_reseller.c - the reseller section of the back office's
 * organization page: mark or unmark the organization as a reseller and set
 * its discount per category, typed as a percentage ("12,5" or "12.5", two
 * decimals at most). A form with errors comes back on a page of its own with
 * the messages next to the fields; nothing is saved. The change is
 * catalog_reseller_set/unset, the same the staff API makes (audited). */
#include "feature/web/web_internal.h"

#include <string.h>

#include "core/number_text.h"
#include "feature/catalog/catalog_admin.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

/* bp as the form shows it: "12,5" in Italian, "12.5" in English, "" for none. */
static const char *percent_text(http_request *r, int bp)
{
    if (bp < 0)
        return "";
    const char *mark = !strcmp(r->lang, "it") ? "," : ".";
    if (bp % 100 == 0)
        return arena_printf(r->a, "%d", bp / 100);
    return bp % 10 == 0 ? arena_printf(r->a, "%d%s%d", bp / 100, mark, bp % 100 / 10)
                        : arena_printf(r->a, "%d%s%02d", bp / 100, mark, bp % 100);
}

json_t *web_staff_reseller_json(http_request *r, int64_t org_id, const form *posted, json_t *errors)
{
    catalog_category *cats = arena_alloc(r->a, sizeof *cats * CATALOG_CATEGORIES_MAX);
    catalog_discount *ds = arena_alloc(r->a, sizeof *ds * CATALOG_CATEGORIES_MAX);
    int n = catalog_category_list(r->db, cats, CATALOG_CATEGORIES_MAX);
    int m = n < 0 ? -1 : catalog_reseller_discounts(r->db, org_id, ds, CATALOG_CATEGORIES_MAX);
    if (m < 0)
        return NULL;
    bool is = catalog_is_reseller(r->db, org_id);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        const char *field = arena_printf(r->a, "discount_%lld", (long long)cats[i].id);
        int bp = -1;
        for (int j = 0; j < m; j++)
            if (ds[j].category_id == cats[i].id)
                bp = ds[j].percent_bp;
        const char *value = posted ? form_get(posted, field) : percent_text(r, bp);
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:O?}", "name", catalog_category_name(&cats[i], r->lang),
                                              "field", field, "value", value ? value : "", "error",
                                              json_object_get(errors, field)));
    }
    bool checked = posted ? form_get(posted, "reseller") != NULL : is;
    return json_pack("{s:b, s:b, s:o, s:b}", "is", is, "checked", checked, "rows", rows, "has_rows", n > 0);
}

/* The reseller form on a page of its own (after errors, or by its URL). */
static void reseller_page(http_request *r, int status, int64_t org_id, const form *posted, json_t *errors)
{
    char name[ORG_NAME_MAX + 1];
    if (!org_name(r->db, org_id, name, sizeof name))
        return (void)json_decref(errors), web_error_page(r, 404);
    json_t *reseller = web_staff_reseller_json(r, org_id, posted, errors);
    json_decref(errors);
    if (!reseller)
        return web_fail(r);
    web_staff_page(r, status, "staff/org_reseller", name, "orgs",
                   json_pack("{s:{s:I, s:s}, s:o}", "org", "id", (json_int_t)org_id, "name", name, "reseller",
                             reseller));
}

static void get_reseller(http_request *r)
{
    int64_t org_id;
    if (!http_param_id(r, "org_id", &org_id))
        return web_error_page(r, 404);
    reseller_page(r, 200, org_id, NULL, NULL);
}

/* The posted discounts into ds; false with the errors next to their fields. */
static bool read_discounts(http_request *r, const form *f, catalog_discount *ds, size_t *n, json_t *errors)
{
    catalog_category *cats = arena_alloc(r->a, sizeof *cats * CATALOG_CATEGORIES_MAX);
    int count = catalog_category_list(r->db, cats, CATALOG_CATEGORIES_MAX);
    *n = 0;
    for (int i = 0; i < count; i++) {
        const char *field = arena_printf(r->a, "discount_%lld", (long long)cats[i].id);
        const char *text = form_get(f, field);
        if (!text || !*text)
            continue;
        int bp;
        if (!percent_text_parse(text, CATALOG_BP_ONE, &bp))
            json_object_set_new(errors, field, json_string(web_catalog_field_message(r, CATALOG_FIELD_PERCENT)));
        else
            ds[(*n)++] = (catalog_discount){cats[i].id, bp};
    }
    return count >= 0 && json_object_size(errors) == 0;
}

static void post_reseller(http_request *r)
{
    int64_t org_id;
    form f;
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &org_id) || !org_name(r->db, org_id, name, sizeof name))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    bool make = form_get(&f, "reseller") != NULL;
    catalog_discount *ds = arena_alloc(r->a, sizeof *ds * CATALOG_CATEGORIES_MAX);
    size_t n = 0;
    json_t *errors = json_object();
    if (make && !read_discounts(r, &f, ds, &n, errors))
        return reseller_page(r, 422, org_id, &f, errors);
    json_decref(errors);
    catalog_actor who = {r->staff_id, r->client_ip};
    catalog_error err;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    catalog_result res = make ? catalog_reseller_set(r->db, &who, org_id, ds, n, &err)
                              : catalog_reseller_unset(r->db, &who, org_id);
    if (!make && res == CATALOG_NOT_FOUND)
        res = CATALOG_OK; /* it was not a reseller: nothing to undo */
    if (res != CATALOG_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, make ? "reseller_saved" : "reseller_removed");
    http_redirect(r, arena_printf(r->a, "/staff/orgs/%lld#reseller", (long long)org_id));
}

void web_staff_reseller_routes(router *rt)
{
    router_add(rt, "GET", "/staff/orgs/{org_id}/reseller", get_reseller, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/orgs/{org_id}/reseller", post_reseller, ROUTE_STAFF | ROUTE_PAGE);
}
