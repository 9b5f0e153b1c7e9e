/* web_payment_methods.c - the "Cards" page of billing: the current
 * organization's saved cards (brand, last four digits, expiry, expired
 * flagged, the default marked), "Set as default", "Remove" after a
 * confirmation page, and "Add a card", which starts a card verification at the
 * gateway: the form leads to a page linking to the gateway's card page (the
 * CSP lets forms post only to saldo), and the gateway sends the customer back
 * to the return page, which asks the gateway and records the card. Members
 * with the billing right only (404 page otherwise), as in the API. */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/cards/cards.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *brand_name(http_request *r, const char *brand)
{
    static const struct { const char *code, *label; } t[] = {
        {"visa", "Visa"}, {"mastercard", "Mastercard"}, {"amex", "American Express"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, brand))
            return t[i].label;
    return _("Card");
}

/* cards_json plus "brand_name" and "expiry" ("MM/YYYY"). */
static json_t *card_view(http_request *r, const saved_card *c)
{
    json_t *j = cards_json(c, (int64_t)time(NULL));
    json_object_set_new(j, "brand_name", json_string(brand_name(r, c->brand)));
    json_object_set_new(j, "expiry", json_sprintf("%02d/%d", c->exp_month, c->exp_year));
    return j;
}

static void get_list(http_request *r)
{
    int64_t org = billing_org(r);
    if (!org)
        return;
    saved_card *cards = arena_alloc(r->a, CARDS_MAX * sizeof *cards);
    int n = cards_list(r->db, org, cards, CARDS_MAX);
    if (n < 0)
        return web_fail(r);
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, card_view(r, &cards[i]));
    web_page(r, 200, "pages/payment_methods", _("Cards"), "billing",
             json_pack("{s:o, s:b, s:b}", "cards", list, "has_cards", n > 0, "online",
                       gateway_get(r->app->cfg) != NULL));
}

/* The path's card of the current organization; 0 after the 404 page. */
static bool path_card(http_request *r, saved_card *c)
{
    int64_t org = billing_org(r), id;
    if (!org)
        return false;
    int found = http_param_id(r, "method_id", &id) ? cards_get(r->db, org, id, c) : 0;
    if (found < 0)
        web_fail(r);
    else if (!found)
        web_error_page(r, 404);
    return found == 1;
}

static void post_default(http_request *r)
{
    form f;
    saved_card c;
    if (!web_form(r, &f) || !path_card(r, &c))
        return;
    if (!cards_make_default(r->db, &c, r->user_id))
        return web_fail(r);
    web_flash(r, "card_default");
    http_redirect(r, "/billing/payment-methods");
}

static void get_remove(http_request *r)
{
    saved_card c;
    if (path_card(r, &c))
        web_page(r, 200, "pages/payment_method_remove", _("Remove the card"), "billing",
                 json_pack("{s:o}", "card", card_view(r, &c)));
}

static void post_remove(http_request *r)
{
    form f;
    saved_card c;
    if (!web_form(r, &f) || !path_card(r, &c))
        return;
    cards_remove_result res = cards_remove(r->db, r->app->cfg, &c, r->user_id);
    if (res == CARDS_REMOVE_STORE_ERROR)
        return web_fail(r);
    web_flash(r, res == CARDS_REMOVED ? "card_removed" : "card_gateway_down");
    http_redirect(r, "/billing/payment-methods");
}

static void post_add(http_request *r)
{
    form f;
    card_setup s;
    int64_t org = billing_org(r);
    if (!org || !web_form(r, &f))
        return;
    card_setup_result res = cards_setup_start(r->db, r->app, org, r->user_id, &s);
    if (res == CARD_SETUP_STORE_ERROR)
        return web_fail(r);
    if (res != CARD_SETUP_STARTED) {
        web_flash(r, "card_gateway_down");
        return http_redirect(r, "/billing/payment-methods");
    }
    http_redirect(r, arena_printf(r->a, "/billing/payment-methods/add/%lld", (long long)s.id));
}

static void get_add(http_request *r)
{
    int64_t org = billing_org(r), id;
    card_setup s;
    if (!org)
        return;
    int found = http_param_id(r, "setup_id", &id) ? cards_setup_get(r->db, org, id, &s) : 0;
    if (found < 0)
        return web_fail(r);
    if (!found)
        return web_error_page(r, 404);
    web_page(r, 200, "pages/payment_method_add", _("Add a card"), "billing",
             json_pack("{s:s}", "redirect_url", s.redirect_url));
}

/* The gateway sends the customer here with ?setup_id=: asked of the gateway, never trusted. */
static void get_return(http_request *r)
{
    int64_t org = billing_org(r);
    if (!org)
        return;
    const char *setup_id = http_query(r, "setup_id");
    saved_card c;
    char failure[GATEWAY_CODE_MAX + 1];
    card_setup_result res = setup_id ? cards_setup_finish(r->db, r->app->cfg, setup_id, org, &c, failure)
                                     : CARD_SETUP_NOT_FOUND;
    static const char *const flash[] = {
        [CARD_SETUP_STARTED] = "card_pending", [CARD_SETUP_ADDED] = "card_added", [CARD_SETUP_FAILED] = "card_failed",
        [CARD_SETUP_UNAVAILABLE] = "card_gateway_down"};
    if (res == CARD_SETUP_STORE_ERROR)
        return web_fail(r);
    if (res == CARD_SETUP_NOT_FOUND)
        return web_error_page(r, 404);
    web_flash(r, flash[res]);
    http_redirect(r, "/billing/payment-methods");
}

void web_payment_methods_routes(router *rt)
{
    router_add(rt, "GET", "/billing/payment-methods", get_list, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/payment-methods/add", post_add, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/payment-methods/add/{setup_id}", get_add, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/payment-methods/return", get_return, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/payment-methods/{method_id}/default", post_default, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/payment-methods/{method_id}/remove", get_remove, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/payment-methods/{method_id}/remove", post_remove, ROUTE_USER | ROUTE_PAGE);
}
