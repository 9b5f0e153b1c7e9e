/* web_catalog.c - the client area's catalog (/catalog): categories and the
 * products that can be ordered, with net prices per period in the chosen
 * currency ("VAT excluded"), the reseller's price next to the list price for
 * a reseller's current organization, and per product a form that puts it in
 * the cart (POST /cart/items, handled by the cart). */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/catalog/catalog.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

enum { WEB_CATALOG_CURRENCIES_MAX = 32 };

const char *web_period_label(http_request *r, int months)
{
    switch (months) {
    case 1: return _("1 month");
    case 3: return _("3 months");
    case 6: return _("6 months");
    case 12: return _("1 year");
    case 24: return _("2 years");
    case 36: return _("3 years");
    case 48: return _("4 years");
    case 60: return _("5 years");
    default: return "";
    }
}

/* The minor units of the money object named key in o (0 when absent). */
static json_int_t minor_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(o, key), "minor"));
}

/* Adds each price's "label" and "discounted" (a reseller price below the list
 * price), and the product's "has_setup", for the template. */
static void decorate(http_request *r, json_t *offer)
{
    size_t i, j, k;
    json_t *c, *p, *price;
    json_array_foreach(json_object_get(offer, "categories"), i, c) {
        json_array_foreach(json_object_get(c, "products"), j, p) {
            bool has_setup = false;
            json_array_foreach(json_object_get(p, "prices"), k, price) {
                int months = (int)json_integer_value(json_object_get(price, "period"));
                json_object_set_new(price, "label", json_string(web_period_label(r, months)));
                has_setup = has_setup || minor_of(price, "setup_fee") != 0;
                bool discounted = json_object_get(price, "your_price") &&
                                  minor_of(price, "your_price") != minor_of(price, "price");
                json_object_set_new(price, "discounted", json_boolean(discounted));
            }
            json_object_set_new(p, "has_setup", json_boolean(has_setup));
        }
    }
}

/* The currency select: the catalog's currencies (EUR at least), chosen marked. */
static json_t *currency_options(http_request *r, const currency *chosen)
{
    const currency *list[WEB_CATALOG_CURRENCIES_MAX];
    int n = catalog_currencies(r->db, list, WEB_CATALOG_CURRENCIES_MAX);
    json_t *arr = json_array();
    bool seen = false;
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, json_pack("{s:s, s:b}", "code", list[i]->code, "selected", list[i] == chosen));
        seen = seen || list[i] == chosen;
    }
    if (!seen)
        json_array_append_new(arr, json_pack("{s:s, s:b}", "code", chosen->code, "selected", 1));
    return arr;
}

static void get_catalog(http_request *r)
{
    const char *code = http_query(r, "currency");
    const currency *cur = currency_find(code ? code : "EUR");
    bool unknown = !cur;
    if (!cur)
        cur = currency_find("EUR");
    int64_t org = web_current_org(r);
    json_t *offer = catalog_offer_json(r->db, cur, org, r->lang);
    if (!offer)
        return web_fail(r);
    decorate(r, offer);
    json_object_set_new(offer, "currencies", currency_options(r, cur));
    json_object_set_new(offer, "unknown_currency", json_boolean(unknown));
    json_object_set_new(offer, "has_categories", json_boolean(json_array_size(json_object_get(offer, "categories"))));
    char name[ORG_NAME_MAX + 1] = "";
    if (org && org_name(r->db, org, name, sizeof name))
        json_object_set_new(offer, "org_name", json_string(name));
    web_page(r, 200, "pages/catalog", _("Catalog"), "catalog", offer);
}

void web_catalog_routes(router *rt)
{
    router_add(rt, "GET", "/catalog", get_catalog, ROUTE_USER | ROUTE_PAGE);
}
