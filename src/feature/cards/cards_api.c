/* cards_api.c - the API of an organization's saved cards (members with the
 * billing right; anyone else gets 404, as does another organization's card):
 *   GET    /api/v1/orgs/{org_id}/payment-methods
 *   PATCH  /api/v1/orgs/{org_id}/payment-methods/{method_id}   {"default": true}
 *   DELETE /api/v1/orgs/{org_id}/payment-methods/{method_id}
 * A removal deletes the card at the gateway first (no transaction is open
 * during the call), then marks it removed here; a card the gateway no longer
 * knows is removed here all the same. */
#include "feature/cards/cards.h"

#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "feature/orgs/org_audit.h"
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

static json_t *audit_detail(const saved_card *c)
{
    return json_pack("{s:I, s:s, s:s}", "payment_method_id", (json_int_t)c->id, "brand", c->brand, "last4", c->last4);
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
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK && cards_set_default(r->db, c.org_id, c.id) == 1 &&
              org_audit_record_json(r->db, c.org_id, r->user_id, "payment_method.default", audit_detail(&c),
                                    NULL) && db_commit(r->db) == DB_OK;
    if (!ok || cards_get(r->db, c.org_id, c.id, &c) != 1) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the default could not be changed", NULL);
    }
    http_json(r, 200, json_pack("{s:o}", "payment_method", cards_json(&c, (int64_t)time(NULL))));
}

static void delete_one(http_request *r)
{
    saved_card c;
    if (!card_or_404(r, &c))
        return;
    const gateway *g = gateway_get(r->app->cfg);
    gateway_result gr = g ? g->delete_method(r->app->cfg, c.token) : GATEWAY_UNAVAILABLE;
    if (gr == GATEWAY_UNAVAILABLE)
        return http_error(r, 502, "gateway_unavailable",
                          "the payment gateway cannot be reached; the card was not removed, try again", NULL);
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK && cards_mark_removed(r->db, &c, (int64_t)time(NULL)) >= 0 &&
              org_audit_record_json(r->db, c.org_id, r->user_id, "payment_method.removed", audit_detail(&c),
                                    NULL) && db_commit(r->db) == DB_OK;
    if (!ok) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the card was removed at the gateway but not recorded here", NULL);
    }
    http_text(r, 204, NULL, "", 0);
}

void cards_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/payment-methods", list, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}/payment-methods/{method_id}", patch, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/payment-methods/{method_id}", delete_one, ROUTE_USER);
}
