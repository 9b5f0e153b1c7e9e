/* order_payment.c - an order paid by card or PayPal on the gateway's hosted
 * page. Nothing of the order is written when the payment starts: its input
 * (items, periods, credits, code, currency, address, terms version and time,
 * language) is kept as JSON with the payment (purpose "order"), whose amount
 * is the gross (net + VAT) priced then. When payment_sync sees the payment succeeded it
 * credits the wallet and calls order_settle_payment in the same transaction,
 * which places the kept order from that balance through order_checkout: one
 * checkout for both paths. A card payment turns auto-renew on for every
 * product that allows it (auto_renew_all); PayPal keeps the customer's
 * choice. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/ledger/ledger.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

/* The order's input as kept with its payment. */
static json_t *kept_json(http_request *r, const order_in *in)
{
    json_t *items = json_array();
    for (size_t i = 0; i < in->n; i++)
        json_array_append_new(items, json_pack("{s:I, s:i, s:I, s:i}", "product_id",
            (json_int_t)in->items[i].product_id, "period", in->items[i].period_months, "credit_id",
            (json_int_t)in->items[i].credit_id, "auto_renew", in->items[i].auto_renew));
    return json_pack("{s:o, s:s, s:s, s:I, s:b, s:b, s:s, s:I, s:s}", "items", items, "currency", in->cur->code,
                     "discount_code", in->discount_code ? in->discount_code : "", "billing_address_id",
                     (json_int_t)in->billing_address_id, "clear_cart", in->clear_cart, "auto_renew_all",
                     in->auto_renew_all, "terms_version", order_terms_version(r), "terms_accepted_at",
                     (json_int_t)time(NULL), "lang", !strcmp(r->lang, "it") ? "it" : "en");
}

static bool gateway_refuse(order_fail *fail, int status, const char *code)
{
    const char *message =
        status == 409   ? N_("This request was already used for another payment.")
        : status == 502 ? N_("The payment service cannot be reached right now: please try again in a few minutes.")
                        : N_("The order could not be saved; nothing was charged.");
    return order_refuse(fail, status, code, message, NULL);
}

bool order_pay_start(http_request *r, const order_in *in, const payment *card, const char *idem_key, payment *out,
                     order_fail *fail)
{
    assert(in->pay_with == ORDER_PAY_CARD || in->pay_with == ORDER_PAY_PAYPAL);
    if ((in->wallet_cur && in->wallet_cur != in->cur) || in->quote_id)
        return order_refuse(fail, 422, "invalid_field", N_("Another currency's balance can pay only from the balance."),
                            in->quote_id ? "quote_id" : "wallet_currency");
    order_priced *pr = arena_alloc(r->a, sizeof *pr);
    int64_t address_id;
    if (!order_validate(r, in, pr, &address_id, fail))
        return false;
    if (pr->tax.gross_minor == 0)
        return order_refuse(fail, 422, "nothing_to_pay",
                            N_("Nothing is left to pay: place the order from the balance."), "pay_with");
    const char *method = order_pay_with_names[in->pay_with];
    char country[3];
    payment_org_country(r->db, r->app, in->org_id, country);
    if (!gateway_get(r->app->cfg) || !payment_method_enabled(payment_method_find(method), in->cur->code, country))
        return order_refuse(fail, 422, "method_not_available",
                            N_("This payment method is not available for this currency."), "pay_with");
    json_t *kept = kept_json(r, in);
    char *text = json_dumps(kept, JSON_COMPACT);
    json_decref(kept);
    if (!text)
        abort();
    payment p = {.org_id = in->org_id, .user_id = in->user_id, .amount = money_make(pr->tax.gross_minor, in->cur),
                 .purpose = "order", .purpose_data = arena_strdup(r->a, text)};
    free(text);
    snprintf(p.method, sizeof p.method, "%s", method);
    snprintf(p.idem_key, sizeof p.idem_key, "%s", idem_key);
    if (card) {
        p.save_method = card->save_method;
        snprintf(p.card_token, sizeof p.card_token, "%s", card->card_token);
    }
    int status;
    const char *code;
    if (!payment_start(r, &p, out, &status, &code))
        return gateway_refuse(fail, status, code);
    /* A saved card is charged off-session and decided at once: settle now. */
    if (p.card_token[0] && payment_sync(r->db, r->app, out, NULL, NULL) == SYNC_STORE_ERROR)
        return order_refuse(fail, 500, "store_error", N_("The order could not be saved; nothing was charged."), NULL);
    return true;
}

/* The kept order back as an order_in paid from the balance; false when the
 * JSON is not one this version wrote. */
static bool kept_read(json_t *j, const payment *p, order_in *in)
{
    json_t *items = json_object_get(j, "items");
    const char *code = json_string_value(json_object_get(j, "discount_code"));
    *in = (order_in){.org_id = p->org_id, .user_id = p->user_id, .accept_terms = true, .pay_with = ORDER_PAY_BALANCE,
                     .cur = currency_find(json_string_value(json_object_get(j, "currency"))),
                     .discount_code = code, .n = json_array_size(items),
                     .billing_address_id = json_integer_value(json_object_get(j, "billing_address_id")),
                     .clear_cart = json_is_true(json_object_get(j, "clear_cart")),
                     .auto_renew_all = json_is_true(json_object_get(j, "auto_renew_all"))};
    if (!in->cur || !code || in->n < 1 || in->n > ORDER_ITEMS_MAX)
        return false;
    for (size_t i = 0; i < in->n; i++) {
        json_t *it = json_array_get(items, i);
        in->items[i] = (order_item_in){
            .product_id = json_integer_value(json_object_get(it, "product_id")),
            .period_months = (int)json_integer_value(json_object_get(it, "period")),
            .credit_id = json_integer_value(json_object_get(it, "credit_id")),
            .auto_renew = (int)json_integer_value(json_object_get(it, "auto_renew")),
        };
    }
    return true;
}

payment_purpose_result order_settle_payment(db *d, const struct app *ap, arena *a, const payment_purpose_in *pin,
                                            int64_t *order_id, const char **why)
{
    const payment *p = pin->p;
    assert(db_in_tx(d) && !strcmp(p->purpose, "order"));
    const char *lang = json_string_value(json_object_get(pin->data, "lang"));
    http_request r = {.a = a, .app = (struct app *)ap, .db = d, .lang = lang && !strcmp(lang, "it") ? "it" : "en",
                      .method = "PAYMENT", .path = "order", .user_id = p->user_id};
    order_in in;
    if (!kept_read(pin->data, p, &in))
        return *why = "invalid_order", PURPOSE_REFUSED;
    in.paid_by = p->method; /* the invoice says how it was paid */
    const char *terms = json_string_value(json_object_get(pin->data, "terms_version"));
    if (!terms || strcmp(terms, order_terms_version(&r)))
        return *why = "terms_changed", PURPOSE_REFUSED;
    order_result *res = arena_alloc(a, sizeof *res);
    order_fail fail;
    if (!order_checkout(&r, &in, arena_printf(a, "payment:%" PRId64, p->id), res, &fail)) {
        *why = fail.code;
        return fail.status >= 500 ? PURPOSE_ERROR : PURPOSE_REFUSED;
    }
    if (in.cur != p->amount.cur || res->priced.tax.gross_minor != p->amount.minor)
        return *why = "price_changed", PURPOSE_REFUSED; /* checkout's writes are rolled back */
    *order_id = res->order_id;
    return PURPOSE_DONE;
}
