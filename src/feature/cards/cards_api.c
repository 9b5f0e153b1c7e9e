/* cards_api.c - the API of an organization's saved cards (members with the
 * billing right; anyone else gets 404, as does another organization's card):
 *   GET    /api/v1/orgs/{org_id}/payment-methods
 *   POST   /api/v1/orgs/{org_id}/payment-methods                no body or {} -> {"redirect_url"}: add a card
 *   PATCH  /api/v1/orgs/{org_id}/payment-methods/{method_id}   {"default": true}
 *   DELETE /api/v1/orgs/{org_id}/payment-methods/{method_id}
 * A removal deletes the card at the gateway first (no transaction is open
 * during the call), then marks it removed here; a card the gateway no longer
 * knows is removed here all the same. Adding a card starts a verification at
 * the gateway (cards_setup.c); the card appears once the customer completed
 * it and saldo heard of it (the return page or the webhook). */
#include "feature/cards/cards.h"

#include <time.h>

#include "app.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

static bool org_or_404(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

/* The path's card of the caller's organization, else 404 (500 on a store error). */
static bool card_or_404(http_request *r, saved_card *c)
{
    int64_t org_id, id;
    if (!org_or_404(r, &org_id))
        return false;
    int found = http_param_id(r, "method_id", &id) ? cards_get(r->db, org_id, id, c) : 0;
    if (found < 0)
        http_error(r, 500, "store_error", "cannot read the payment methods", NULL);
    else if (found == 0)
        http_error(r, 404, "not_found", "no such payment method", NULL);
    return found == 1;
}

static void list(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    saved_card *cards = arena_alloc(r->a, CARDS_MAX * sizeof *cards);
    int n = cards_list(r->db, org_id, cards, CARDS_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "cannot read the payment methods", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, cards_json(&cards[i], (int64_t)time(NULL)));
    http_json(r, 200, json_pack("{s:o}", "payment_methods", arr));
}

static void add(http_request *r)
{
    int64_t org_id;
    json_t *b;
    card_setup s;
    if (!org_or_404(r, &org_id) || (r->body_len && !jin_body(r, &b)))
        return;
    if (r->body_len && json_object_size(b))
        return http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: is not a field of this request",
                                                                json_object_iter_key(json_object_iter(b))),
                          json_object_iter_key(json_object_iter(b)));
    switch (cards_setup_start(r->db, r->app, org_id, r->user_id, &s)) {
    case CARD_SETUP_STARTED:
        return http_json(r, 201, json_pack("{s:s}", "redirect_url", s.redirect_url));
    case CARD_SETUP_UNAVAILABLE:
        return http_error(r, 502, "gateway_unavailable", "the payment gateway cannot be reached; try again", NULL);
    default:
        return http_error(r, 500, "store_error", "the card verification could not be saved", NULL);
    }
}

static void patch(http_request *r)
{
    saved_card c;
    json_t *b;
    bool make_default = false;
    if (!card_or_404(r, &c) || !jin_body(r, &b) || !jin_bool(r, b, "default", JIN_REQUIRED, &make_default))
        return;
    if (!make_default)
        return http_error(r, 422, "invalid_field",
                          "default: only true is accepted; make another card the default instead", "default");
    if (!cards_make_default(r->db, &c, r->user_id) || cards_get(r->db, c.org_id, c.id, &c) != 1)
        return http_error(r, 500, "store_error", "the default could not be changed", NULL);
    http_json(r, 200, json_pack("{s:o}", "payment_method", cards_json(&c, (int64_t)time(NULL))));
}

static void delete_one(http_request *r)
{
    saved_card c;
    if (!card_or_404(r, &c))
        return;
    switch (cards_remove(r->db, r->app->cfg, &c, r->user_id)) {
    case CARDS_REMOVED:
        return http_text(r, 204, NULL, "", 0);
    case CARDS_REMOVE_UNAVAILABLE:
        return http_error(r, 502, "gateway_unavailable",
                          "the payment gateway cannot be reached; the card was not removed, try again", NULL);
    default:
        return http_error(r, 500, "store_error", "the card was removed at the gateway but not recorded here", NULL);
    }
}

void cards_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/payment-methods", list, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/payment-methods", add, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}/payment-methods/{method_id}", patch, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/payment-methods/{method_id}", delete_one, ROUTE_USER);
}
