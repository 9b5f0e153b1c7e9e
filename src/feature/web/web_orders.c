/* web_orders.c - the current organization's orders (a list, and one order
 * with its lines and totals) for members with the billing right (the 404
 * page for anyone else, as in the API), and /terms: which version of the
 * terms of contract applies. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>

#include "feature/orders/orders.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

static int64_t orders_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static void add_date(http_request *r, json_t *o)
{
    json_object_set_new(o, "date", json_string(web_datetime(r, json_string_value(json_object_get(o, "created_at")))));
}

static void get_orders(http_request *r)
{
    int64_t org = orders_org(r);
    if (!org)
        return;
    json_t *page = order_list_json(r, org, 0, ORDER_LIST_MAX);
    if (!page)
        return web_fail(r);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(page, "orders"), i, o)
        add_date(r, o);
    json_object_set_new(page, "has_orders", json_boolean(json_array_size(json_object_get(page, "orders")) > 0));
    web_page(r, 200, "pages/orders", _("Orders"), "orders", page);
}

static void get_order(http_request *r)
{
    int64_t org = orders_org(r), id;
    bool found = false;
    if (!org)
        return;
    json_t *o = http_param_id(r, "order_id", &id) ? order_json(r, org, id, &found) : NULL;
    if (!o)
        return found ? web_fail(r) : web_error_page(r, 404);
    add_date(r, o);
    json_object_set_new(o, "accepted", json_string(web_datetime(r, json_string_value(json_object_get(o, "terms_accepted_at")))));
    json_object_set_new(o, "converted", json_boolean(strcmp(json_string_value(json_object_get(json_object_get(o, "paid"), "currency")),
                                                            json_string_value(json_object_get(o, "currency"))) != 0));
    json_object_set_new(o, "has_discount", json_boolean(json_integer_value(json_object_get(json_object_get(o, "discount"), "minor")) > 0));
    json_object_set_new(o, "has_credit", json_boolean(json_integer_value(json_object_get(json_object_get(o, "credit"), "minor")) > 0));
    web_page(r, 200, "pages/order", arena_printf(r->a, "%s %" PRId64, _("Order"), id), "orders", o);
}

static void get_terms(http_request *r)
{
    web_page(r, 200, "pages/terms", _("Terms of contract"), NULL,
             json_pack("{s:s}", "terms_version", order_terms_version(r)));
}

void web_orders_routes(router *rt)
{
    router_add(rt, "GET", "/orders", get_orders, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/orders/{order_id}", get_order, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/terms", get_terms, ROUTE_PAGE);
}
