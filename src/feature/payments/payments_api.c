/* payments_api.c - the customer's API of top-ups (members with the billing
 * right; anyone else gets 404):
 *   POST /api/v1/orgs/{org_id}/topups            {amount, method, save_method?, payment_method_id?}
 *                                                 + Idempotency-Key
 *   GET  /api/v1/orgs/{org_id}/payments
 *   GET  /api/v1/orgs/{org_id}/payments/{payment_id}
 * A top-up's row is committed before the gateway is called (no lock is held
 * over the network); the gateway's own Idempotency-Key "saldo-payment-<id>"
 * makes a retried or double-clicked request find the same gateway payment.
 * A top-up with a saved card (payment_method_id) is charged off-session and
 * decided at once: it is applied (credited or failed) before the answer. */
#include "feature/payments/payments.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/bank/bank.h"
#include "feature/cards/cards.h"
#include "feature/orgs/orgs.h"
#include "http/idempotency.h"
#include "http/json_in.h"

#define PAYMENTS_LIST_MAX 100

static bool org_or_404(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static json_t *instructions_json(const app *ap, const payment *p)
{
    bank_instructions in;
    buf epc;
    buf_init(&epc, 0);
    bool ok = bank_instructions_get(ap->cfg, p->org_id, p->amount.cur, p->amount.minor, &in, &epc);
    json_t *j = ok ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "beneficiary", in.beneficiary, "iban", in.iban,
                               "bic", in.bic, "reference", in.reference, "settlement", in.settlement,
                               "epc_qr_payload", in.sepa ? json_string(buf_cstr(&epc)) : json_null())
                   : NULL;
    buf_free(&epc);
    return j;
}

json_t *payment_json(const app *ap, const payment *p, const char *lang)
{
    const payment_method *m = payment_method_find(p->method);
    json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)p->id, "status", p->status,
                          "method", p->method, "amount", jout_money(p->amount, lang), "settlement", m->settlement,
                          "failure_code", p->failure_code[0] ? json_string(p->failure_code) : json_null(),
                          "created_at", jout_time(p->created_at),
                          "settled_at", p->settled_at ? jout_time(p->settled_at) : json_null());
    json_object_set_new(j, "purpose", json_string(p->purpose));
    json_object_set_new(j, "purpose_status", p->purpose_status[0] ? json_string(p->purpose_status) : json_null());
    json_object_set_new(j, "purpose_error", p->purpose_error[0] ? json_string(p->purpose_error) : json_null());
    json_object_set_new(j, "order_id", p->purpose_ref ? json_integer(p->purpose_ref) : json_null());
    if (p->redirect_url[0] && !strcmp(p->status, "pending"))
        json_object_set_new(j, "redirect_url", json_string(p->redirect_url));
    if (!m->gateway) {
        json_t *in = instructions_json(ap, p);
        if (!in)
            return json_decref(j), NULL;
        json_object_set_new(j, "instructions", in);
    }
    return j;
}

bool payment_card_choice(http_request *r, json_t *b, int64_t org_id, payment *in)
{
    json_t *id = json_object_get(b, "payment_method_id");
    if (!jin_bool(r, b, "save_method", JIN_OPTIONAL, &in->save_method))
        return false;
    if (in->save_method && strcmp(in->method, "card") && strcmp(in->method, "wallet"))
        return http_error(r, 422, "invalid_save_method", "save_method: only cards and wallets can be saved",
                          "save_method"), false;
    if (!id || json_is_null(id))
        return true;
    saved_card c;
    int found = json_is_integer(id) ? cards_get(r->db, org_id, json_integer_value(id), &c) : 0;
    if (found < 0)
        return http_error(r, 500, "store_error", "cannot read the payment methods", NULL), false;
    if (!found || cards_expired(&c, (int64_t)time(NULL)))
        return http_error(r, 422, "invalid_payment_method",
                          found ? "payment_method_id: this card has expired"
                                : "payment_method_id: no such saved card of this organization", "payment_method_id"),
               false;
    if (strcmp(in->method, "card") || in->save_method)
        return http_error(r, 422, "invalid_field", "payment_method_id: a saved card pays with method card, and is"
                          " saved already (no save_method)", strcmp(in->method, "card") ? "method" : "save_method"),
               false;
    snprintf(in->card_token, sizeof in->card_token, "%s", c.token);
    return true;
}

/* The body's amount and method, checked against the limits and the table;
 * then the card to save or to charge. */
static bool read_topup(http_request *r, int64_t org_id, payment *in)
{
    static const char *const codes[] = {"card", "wallet", "paypal", "crypto", "bank_transfer", NULL};
    json_t *b;
    const char *method, *problem;
    if (!jin_body(r, &b) || !jin_money(r, b, "amount", &in->amount) ||
        !jin_enum(r, b, "method", JIN_REQUIRED, codes, &method))
        return false;
    if ((problem = payment_amount_problem(in->amount)))
        return http_error(r, 422, "invalid_field", problem, "amount"), false;
    char country[3];
    payment_org_country(r->db, r->app, org_id, country);
    const payment_method *m = payment_method_find(method);
    if (!payment_method_enabled(m, in->amount.cur->code, country) || (m->gateway && !gateway_get(r->app->cfg)))
        return http_error(r, 422, "method_not_available",
                          arena_printf(r->a, "method: %s is not available for %s in %s", method,
                                       in->amount.cur->code, country), "method"), false;
    snprintf(in->method, sizeof in->method, "%s", method);
    return payment_card_choice(r, b, org_id, in);
}

/* Creates the gateway's payment of p (the same one on every retry). */
static gateway_result start_at_gateway(http_request *r, payment *p, const payment *in)
{
    const app *ap = r->app;
    const gateway *g = gateway_get(ap->cfg);
    gateway_payment gp;
    gateway_create c = {
        .method = p->method,
        .currency = p->amount.cur->code,
        .amount_minor = p->amount.minor,
        .customer = arena_printf(r->a, "org_%" PRId64, p->org_id),
        .return_url = arena_printf(r->a, "%s/billing/topups/%" PRId64 "/return", ap->cfg->base_url, p->id),
        .idempotency_key = arena_printf(r->a, "saldo-payment-%" PRId64, p->id),
        .save_method = in->save_method,
        .payment_method = in->card_token[0] ? in->card_token : NULL,
    };
    gateway_result gr = g->create_payment(ap->cfg, &c, &gp);
    if (gr == GATEWAY_OK && (!payment_set_gateway(r->db, p->id, &gp) || payment_get(r->db, p->id, p) != 1))
        return GATEWAY_UNAVAILABLE;
    return gr;
}

/* Records what a new payment is for (inside payment_start's transaction). */
static bool set_purpose(db *d, const payment *in, payment *out)
{
    if (!in->purpose[0])
        return true; /* a top-up: the column's default */
    db_stmt *s = db_prepare(d, "UPDATE payments SET purpose = $1, purpose_data = $2 WHERE id = $3");
    if (!s)
        return false;
    db_bind_text(s, 1, in->purpose);
    db_bind_text(s, 2, in->purpose_data);
    db_bind_int64(s, 3, out->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    snprintf(out->purpose, sizeof out->purpose, "%s", in->purpose);
    return true;
}

bool payment_start(http_request *r, payment *in, payment *out, int *status, const char **code)
{
    bool created;
    *status = 201;
    *code = NULL;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !payment_open(r->db, in, out, &created) ||
        (created && !set_purpose(r->db, in, out)) || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return *status = 500, *code = "store_error", false;
    }
    const char *purpose = in->purpose[0] ? in->purpose : "topup";
    if (!created && (strcmp(out->method, in->method) || out->amount.cur != in->amount.cur ||
                     out->amount.minor != in->amount.minor || strcmp(out->purpose, purpose)))
        return *status = 409, *code = "idempotency_conflict", false;
    if (!payment_method_find(out->method)->gateway || out->gateway_id[0] || strcmp(out->status, "pending"))
        return true;
    if (!db_settle(r->db)) /* the gateway learns of no payment that could vanish */
        return *status = 500, *code = "store_error", false;
    if (start_at_gateway(r, out, in) != GATEWAY_OK)
        return *status = 502, *code = "gateway_unavailable", false;
    return true;
}

static void create(http_request *r)
{
    payment in = {0}, p;
    idem k;
    if (!org_or_404(r, &in.org_id) || !read_topup(r, in.org_id, &in) ||
        !idem_start(r, arena_printf(r->a, "user:%" PRId64, r->user_id), &k))
        return;
    in.user_id = r->user_id;
    snprintf(in.idem_key, sizeof in.idem_key, "%s", k.key);
    int status;
    const char *code;
    bool ok = payment_start(r, &in, &p, &status, &code);
    if (ok && in.card_token[0] && payment_sync(r->db, r->app, &p, NULL, NULL) == SYNC_STORE_ERROR)
        return http_error(r, 500, "store_error", "the top-up could not be saved", NULL);
    if (!ok) {
        const char *msg = status == 409   ? "the Idempotency-Key was used for another top-up"
                          : status == 502 ? "the payment gateway cannot be reached; try again with the same key"
                                          : "the top-up could not be saved";
        return http_error(r, status, code, msg, NULL);
    }
    json_t *j = payment_json(r->app, &p, r->lang);
    if (!j)
        return http_error(r, 500, "configuration_error", "the provider's bank details are incomplete", NULL);
    http_json(r, 201, json_pack("{s:o}", "payment", j));
}

static void list(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    db_stmt *s = db_prepare(r->db, "SELECT id FROM payments WHERE org_id = $1 ORDER BY id DESC LIMIT $2");
    if (!s)
        return http_error(r, 500, "store_error", "cannot read the payments", NULL);
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, PAYMENTS_LIST_MAX);
    int64_t ids[PAYMENTS_LIST_MAX];
    size_t n = 0;
    while (n < PAYMENTS_LIST_MAX && db_step(s) == DB_ROW)
        ids[n++] = db_col_int64(s, 0);
    db_done(s);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        payment p;
        json_t *j = payment_get(r->db, ids[i], &p) == 1 ? payment_json(r->app, &p, r->lang) : NULL;
        if (!j) {
            json_decref(arr);
            return http_error(r, 500, "store_error", "cannot read the payments", NULL);
        }
        json_array_append_new(arr, j);
    }
    http_json(r, 200, json_pack("{s:o}", "payments", arr));
}

static void get_one(http_request *r)
{
    int64_t org_id, id;
    payment p;
    if (!org_or_404(r, &org_id))
        return;
    if (!http_param_id(r, "payment_id", &id) || payment_get(r->db, id, &p) != 1 || p.org_id != org_id)
        return http_error(r, 404, "not_found", "no such payment", NULL);
    json_t *j = payment_json(r->app, &p, r->lang);
    if (!j)
        return http_error(r, 500, "configuration_error", "the provider's bank details are incomplete", NULL);
    http_json(r, 200, json_pack("{s:o}", "payment", j));
}

void payments_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/topups", create, ROUTE_USER | ROUTE_GROUPED);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/payments", list, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/payments/{payment_id}", get_one, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/webhooks/gateway", payments_webhook, ROUTE_PUBLIC | ROUTE_GROUPED);
}
