/* gw_payments.c - the payments API: create a payment (hosted flow or
 * off-session with a saved card), read it back, saved methods, and the
 * sandbox's own controls (advance a crypto payment, re-send an event). */
#include "gateway/gw.h"
#include "gateway/gw_card.h"

#include <assert.h>
#include <string.h>

#include "http/json_in.h"

enum { GW_CUSTOMER_MAX = 200, GW_URL_MAX = 1000, GW_TOKEN_MAX = 64 };

static const char *const methods[] = {"card", "paypal", "crypto", "wallet", NULL};

typedef struct create_in {
    money amount;
    const char *method, *customer, *return_url, *token;
    bool save_method;
} create_in;

static bool read_create(http_request *r, create_in *in)
{
    json_t *b;
    if (!jin_body(r, &b) || !jin_money(r, b, "amount", &in->amount) ||
        !jin_enum(r, b, "method", JIN_REQUIRED, methods, &in->method) ||
        !jin_string(r, b, "customer", JIN_REQUIRED, 1, GW_CUSTOMER_MAX, &in->customer) ||
        !jin_string(r, b, "payment_method", JIN_OPTIONAL, 1, GW_TOKEN_MAX, &in->token) ||
        !jin_string(r, b, "return_url", in->token ? JIN_OPTIONAL : JIN_REQUIRED, 1, GW_URL_MAX, &in->return_url) ||
        !jin_bool(r, b, "save_method", JIN_OPTIONAL, &in->save_method))
        return false;
    if (in->amount.minor <= 0 || in->amount.minor > GW_AMOUNT_MINOR_MAX) {
        http_error(r, 422, "invalid_amount", "the amount must be more than zero and at most 10^12 minor units",
                   "amount");
        return false;
    }
    if (in->return_url && strncmp(in->return_url, "http://", 7) && strncmp(in->return_url, "https://", 8)) {
        http_error(r, 422, "invalid_return_url", "return_url must be an http or https URL", "return_url");
        return false;
    }
    if (in->token && strcmp(in->method, "card")) {
        http_error(r, 422, "invalid_method", "a saved payment_method is charged with method \"card\"", "method");
        return false;
    }
    if (in->save_method && (!strcmp(in->method, "paypal") || !strcmp(in->method, "crypto"))) {
        http_error(r, 422, "invalid_save_method", "only cards and wallets can be saved", "save_method");
        return false;
    }
    if (!in->return_url)
        in->return_url = "";
    return true;
}

/* The saved method's behavior, or false when token is not this customer's. */
static bool saved_behavior(db *d, const char *token, const char *customer, gw_card_behavior *out)
{
    db_stmt *s = db_prepare(d, "SELECT behavior FROM gw_methods WHERE id = $1 AND customer = $2 AND deleted IS NULL");
    if (!s)
        return false;
    db_bind_text(s, 1, token);
    db_bind_text(s, 2, customer);
    bool found = db_step(s) == DB_ROW;
    if (found)
        *out = gw_card_behavior_from(db_col_text(s, 0));
    db_done(s);
    return found;
}

static bool insert_payment(db *d, const char *id, const create_in *in)
{
    assert(db_in_tx(d) && in->amount.cur && in->amount.minor > 0 && in->amount.minor <= GW_AMOUNT_MINOR_MAX);
    db_stmt *s = db_prepare(d, "INSERT INTO gw_payments (id, method, customer, return_url, currency, amount_minor,"
                               " status, save_method, payment_method, created, updated)"
                               " VALUES ($1, $2, $3, $4, $5, $6, 'requires_action', $7, $8, $9, $9)");
    if (!s)
        return false;
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, in->method);
    db_bind_text(s, 3, in->customer);
    db_bind_text(s, 4, in->return_url);
    db_bind_text(s, 5, in->amount.cur->code);
    db_bind_int64(s, 6, in->amount.minor);
    db_bind_int64(s, 7, in->save_method && !in->token);
    db_bind_text(s, 8, in->token);
    db_bind_int64(s, 9, gw_now_s());
    return db_exec1(s) == DB_DONE;
}

/* Off-session charge of a saved card: decided at once. */
static bool charge_saved(db *d, arena *a, const char *id, gw_card_behavior b)
{
    assert(db_in_tx(d) && b < GW_CARD_BEHAVIOR_COUNT);
    if (b == GW_CARD_SUCCEEDS)
        return gw_payment_set_status(d, a, id, "succeeded", NULL);
    return gw_payment_set_status(d, a, id, "failed",
                                 b == GW_CARD_NEEDS_3DS ? "authentication_required" : "card_declined");
}

static void payment_create(http_request *r)
{
    create_in in = {0};
    gw_idem k;
    if (!read_create(r, &in) || !gw_idem_begin(r, "payments", &k))
        return;
    gw_card_behavior b = GW_CARD_SUCCEEDS;
    if (in.token && !saved_behavior(r->db, in.token, in.customer, &b)) {
        db_rollback(r->db);
        http_error(r, 422, "no_such_payment_method", "no saved payment method with this token for this customer",
                   "payment_method");
        return;
    }
    char id[GW_ID_CHARS + 1];
    gw_id_new("pay", id);
    gw_payment p;
    if (!insert_payment(r->db, id, &in) || !gw_payment_get(r->db, r->a, id, &p) ||
        !gw_event_emit(r->db, "payment.created", gw_payment_json(&p)) ||
        (in.token && !charge_saved(r->db, r->a, id, b)) || !gw_payment_get(r->db, r->a, id, &p))
        return gw_store_failed(r);
    gw_idem_finish(r, &k, 201, gw_payment_json(&p));
}

static void payment_show(http_request *r)
{
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p))
        return http_error(r, 404, "not_found", "no such payment", NULL);
    http_json(r, 200, gw_payment_json(&p));
}

static void methods_list(http_request *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT " GW_METHOD_COLUMNS " FROM gw_methods WHERE customer = $1"
                                   " AND deleted IS NULL ORDER BY created, id LIMIT $2");
    if (!s)
        return gw_store_failed(r);
    db_bind_text(s, 1, http_param(r, "customer"));
    db_bind_int64(s, 2, GW_METHODS_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, gw_method_json(s));
    db_done(s);
    http_json(r, 200, json_pack("{s:o}", "data", list));
}

static void method_delete(http_request *r)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return gw_store_failed(r);
    db_stmt *s = db_prepare(r->db, "UPDATE gw_methods SET deleted = $1 WHERE id = $2 AND deleted IS NULL");
    if (!s)
        return gw_store_failed(r);
    db_bind_int64(s, 1, gw_now_s());
    db_bind_text(s, 2, http_param(r, "token"));
    if (db_exec1(s) != DB_DONE)
        return gw_store_failed(r);
    bool gone = db_changes(r->db) == 1;
    if (!gone || !gw_event_emit(r->db, "payment_method.deleted",
                                json_pack("{s:s}", "id", http_param(r, "token"))) ||
        db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return gone ? gw_store_failed(r) : http_error(r, 404, "not_found", "no such payment method", NULL);
    }
    http_json(r, 200, json_pack("{s:s, s:b}", "id", http_param(r, "token"), "deleted", 1));
}

static void sandbox_confirm(http_request *r)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return gw_store_failed(r);
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p)) {
        db_rollback(r->db);
        return http_error(r, 404, "not_found", "no such payment", NULL);
    }
    if (strcmp(p.method, "crypto") || (strcmp(p.status, "requires_action") && strcmp(p.status, "processing"))) {
        db_rollback(r->db);
        return http_error(r, 409, "not_confirmable", "only a crypto payment awaiting confirmations can be confirmed",
                          NULL);
    }
    if (!gw_crypto_confirm(r->db, r->a, &p) || !gw_payment_get(r->db, r->a, p.id, &p) ||
        db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    http_json(r, 200, gw_payment_json(&p));
}

static void sandbox_resend(http_request *r)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return gw_store_failed(r);
    if (!gw_event_requeue(r->db, http_param(r, "id"))) {
        db_rollback(r->db);
        return http_error(r, 404, "not_found", "no such event", NULL);
    }
    if (db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    http_json(r, 202, json_pack("{s:s, s:b}", "id", http_param(r, "id"), "queued", 1));
}

void gw_api_routes(router *rt)
{
    router_add(rt, "POST", "/v1/payments", payment_create, ROUTE_PUBLIC);
    router_add(rt, "GET", "/v1/payments/{id}", payment_show, ROUTE_PUBLIC);
    router_add(rt, "GET", "/v1/customers/{customer}/payment-methods", methods_list, ROUTE_PUBLIC);
    router_add(rt, "DELETE", "/v1/payment-methods/{token}", method_delete, ROUTE_PUBLIC);
    router_add(rt, "POST", "/v1/sandbox/payments/{id}/confirm", sandbox_confirm, ROUTE_PUBLIC);
    router_add(rt, "POST", "/v1/sandbox/events/{id}/resend", sandbox_resend, ROUTE_PUBLIC);
}
