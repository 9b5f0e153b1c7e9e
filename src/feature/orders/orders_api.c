/* orders_api.c - the customer API of buying; every route needs the billing
 * right (money is shown or spent), anyone else gets 404:
 *   POST/GET /api/v1/orgs/{org_id}/orders, GET .../orders/{order_id}
 *     (POST with pay_with "card" or "paypal": 201 {"order": null, "payment"}) 
 *   GET/POST .../cart/items, DELETE .../cart/items/{item_id}, POST .../cart/preview
 *   POST .../quotes, GET .../credits */
#include "feature/orders/orders_internal.h"

#include <inttypes.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "http/idempotency.h"
#include "http/json_in.h"

static bool org_or_reply(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

/* Answers a refusal: the error, with the shortfall when funds are short. */
void orders_answer_fail(http_request *r, const order_fail *f)
{
    const char *message = f->field && f->status == 422 ? arena_printf(r->a, "%s: %s", f->field, f->message)
                                                       : f->message;
    json_t *err = json_pack("{s:s, s:s}", "code", f->code, "message", message);
    if (f->field)
        json_object_set_new(err, "field", json_string(f->field));
    json_t *body = json_pack("{s:o}", "error", err);
    if (f->shortfall_cur)
        json_object_set_new(body, "shortfall", jout_money(money_make(f->shortfall_minor, f->shortfall_cur), r->lang));
    http_json(r, f->status, body);
}

/* An optional integer field in min..max; *out untouched when absent. */
static bool jin_int(http_request *r, json_t *obj, const char *key, const char *field, int64_t min, int64_t max,
                    int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return true;
    if (json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max) {
        *out = json_integer_value(v);
        return true;
    }
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: must be an integer from %" PRId64 " to %" PRId64,
                                                     field, min, max), field);
    return false;
}

static bool jin_currency(http_request *r, json_t *obj, const char *key, jin_need need, const currency **out)
{
    const char *code;
    *out = NULL;
    if (!jin_string(r, obj, key, need, 3, 3, &code))
        return false;
    if (code && !(*out = currency_find(code))) {
        http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: is not an ISO 4217 currency", key), key);
        return false;
    }
    return true;
}

static bool read_item(http_request *r, json_t *o, size_t i, order_item_in *out)
{
    const char *p = arena_printf(r->a, "items[%zu]", i);
    if (!json_is_object(o)) {
        http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: must be an object", p), p);
        return false;
    }
    int64_t product = 0, period = 0, credit = 0;
    *out = (order_item_in){.auto_renew = -1};
    json_t *ar = json_object_get(o, "auto_renew");
    if (ar && !json_is_boolean(ar)) {
        const char *f = arena_printf(r->a, "%s.auto_renew", p);
        http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: must be true or false", f), f);
        return false;
    }
    if (ar)
        out->auto_renew = json_is_true(ar) ? -1 : 0;
    if (!jin_int(r, o, "product_id", arena_printf(r->a, "%s.product_id", p), 1, INT64_MAX, &product) ||
        !jin_int(r, o, "period", arena_printf(r->a, "%s.period", p), 1, 60, &period) ||
        !jin_int(r, o, "credit_id", arena_printf(r->a, "%s.credit_id", p), 1, INT64_MAX, &credit))
        return false;
    const char *missing = !product ? "product_id" : !period ? "period" : NULL;
    if (missing) {
        const char *f = arena_printf(r->a, "%s.%s", p, missing);
        http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: is required", f), f);
        return false;
    }
    out->product_id = product;
    out->period_months = (int)period;
    out->credit_id = credit;
    return true;
}

static bool read_items(http_request *r, json_t *b, order_in *in)
{
    json_t *items = json_object_get(b, "items");
    if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > ORDER_ITEMS_MAX) {
        http_error(r, 422, "invalid_field", "items: must be a list of 1 to 20 products", "items");
        return false;
    }
    in->n = json_array_size(items);
    for (size_t i = 0; i < in->n; i++)
        if (!read_item(r, json_array_get(items, i), i, &in->items[i]))
            return false;
    return true;
}

/* The order's body; answers 400/422 itself. */
static bool read_order(http_request *r, json_t *b, order_in *in)
{
    const char *pay;
    bool accept = false;
    int64_t quote = 0, billing_address = 0;
    if (!read_items(r, b, in) || !jin_currency(r, b, "currency", JIN_REQUIRED, &in->cur) ||
        !jin_string(r, b, "discount_code", JIN_OPTIONAL, 0, ORDER_CODE_TEXT_MAX, &in->discount_code) ||
        !jin_bool(r, b, "accept_terms", JIN_OPTIONAL, &accept) ||
        !jin_enum(r, b, "pay_with", JIN_REQUIRED, order_pay_with_names, &pay) ||
        !jin_currency(r, b, "wallet_currency", JIN_OPTIONAL, &in->wallet_cur) ||
        !jin_int(r, b, "quote_id", "quote_id", 1, INT64_MAX, &quote) ||
        !jin_int(r, b, "billing_address_id", "billing_address_id", 1, INT64_MAX, &billing_address))
        return false;
    in->accept_terms = accept;
    for (int i = 0; i < ORDER_PAY_COUNT; i++)
        if (!strcmp(pay, order_pay_with_names[i]))
            in->pay_with = (order_pay_with)i;
    in->auto_renew_all = in->pay_with == ORDER_PAY_CARD;
    in->quote_id = quote;
    in->billing_address_id = billing_address;
    return true;
}

/* The services the checkout wrote, as written (not read back). */
static json_t *services_json(const order_result *res)
{
    json_t *list = json_array();
    for (size_t i = 0; i < res->priced.n; i++) {
        const service *sv = &res->services[i];
        json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:i, s:b, s:o, s:o}", "id", (json_int_t)sv->id,
            "product_id", (json_int_t)sv->product_id, "status", service_status_names[sv->status], "period",
            sv->period_months, "auto_renew", sv->auto_renew, "starts_at", jout_time(sv->starts_at),
            "expires_at", jout_time(sv->expires_at)));
    }
    return list;
}

static void fail_rollback(http_request *r, const order_fail *f)
{
    db_rollback(r->db);
    orders_answer_fail(r, f);
}

/* Card or PayPal: {"order": null, "payment": {...redirect_url}}; the order is
 * placed when the gateway confirms the payment. One payment per key. */
static void post_order_gateway(http_request *r, const order_in *in, const payment *card, const idem *k)
{
    payment p;
    order_fail fail;
    if (!order_pay_start(r, in, card, k->key, &p, &fail))
        return orders_answer_fail(r, &fail);
    json_t *j = payment_json(r->app, &p, r->lang);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the payment", NULL);
    http_json(r, 201, json_pack("{s:n, s:o}", "order", "payment", j));
}

static void post_order(http_request *r)
{
    order_in in = {.user_id = r->user_id};
    order_result *res = arena_alloc(r->a, sizeof *res);
    order_fail fail;
    json_t *b;
    idem k;
    payment card = {0};
    if (!org_or_reply(r, &in.org_id) || !jin_body(r, &b) || !read_order(r, b, &in))
        return;
    if (in.pay_with != ORDER_PAY_BALANCE) {
        snprintf(card.method, sizeof card.method, "%s", order_pay_with_names[in.pay_with]);
        if (!payment_card_choice(r, b, in.org_id, &card))
            return;
    }
    if (!idem_start(r, arena_printf(r->a, "user:%" PRId64 ":org:%" PRId64, r->user_id, in.org_id), &k))
        return;
    if (in.pay_with != ORDER_PAY_BALANCE)
        return post_order_gateway(r, &in, &card, &k);
    if (!idem_begin(r, &k))
        return;
    if (!order_checkout(r, &in, k.key, res, &fail))
        return fail_rollback(r, &fail);
    json_t *order = order_json_placed(r, in.org_id, res);
    if (!order)
        return fail_rollback(r, &(order_fail){500, "store_error", "cannot read the order", NULL, 0, NULL});
    idem_save_and_answer(r, &k, 201, json_pack("{s:o, s:o}", "order", order, "services", services_json(res)));
}

static void list_orders(http_request *r)
{
    int64_t org_id, before = 0, limit = ORDER_LIST_DEFAULT;
    if (!org_or_reply(r, &org_id))
        return;
    const char *l = http_query(r, "limit"), *c = http_query(r, "cursor");
    if (l && !int_text_parse(l, 1, ORDER_LIST_MAX, &limit))
        return http_error(r, 422, "invalid_field", "limit: must be an integer from 1 to 99", "limit");
    if (c && !int_text_id(c, &before))
        return http_error(r, 422, "invalid_field", "cursor: must be a cursor from an earlier page", "cursor");
    json_t *j = order_list_json(r, org_id, before, (size_t)limit);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the orders", NULL);
    http_json(r, 200, j);
}

static void get_order(http_request *r)
{
    int64_t org_id, id;
    bool found;
    if (!org_or_reply(r, &org_id))
        return;
    if (!http_param_id(r, "order_id", &id))
        return http_error(r, 404, "not_found", "no such order", NULL);
    json_t *j = order_json(r, org_id, id, &found);
    if (!j)
        return found ? http_error(r, 500, "store_error", "cannot read the order", NULL)
                     : http_error(r, 404, "not_found", "no such order", NULL);
    http_json(r, 200, j);
}

/* ---- cart ---- */

static json_t *cart_json(const cart *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++) {
        const cart_item *it = &c->items[i];
        json_array_append_new(items, json_pack("{s:I, s:I, s:i, s:o, s:b}", "id", (json_int_t)it->id,
            "product_id", (json_int_t)it->product_id, "period", it->period_months,
            "credit_id", it->credit_id ? json_integer(it->credit_id) : json_null(), "auto_renew", it->auto_renew));
    }
    return json_pack("{s:o, s:s, s:o}", "currency", c->currency[0] ? json_string(c->currency) : json_null(),
                     "discount_code", c->discount_code, "items", items);
}

static void get_cart(http_request *r)
{
    int64_t org_id;
    cart *c = arena_alloc(r->a, sizeof *c);
    if (!org_or_reply(r, &org_id))
        return;
    if (!cart_get(r->db, org_id, c))
        return http_error(r, 500, "store_error", "cannot read the cart", NULL);
    http_json(r, 200, cart_json(c));
}

static void post_cart_item(http_request *r)
{
    int64_t org_id, id, product = 0, period = 0, credit = 0;
    bool auto_renew = true;
    const currency *cur;
    json_t *b;
    order_fail fail;
    if (!org_or_reply(r, &org_id) || !jin_body(r, &b) ||
        !jin_int(r, b, "product_id", "product_id", 1, INT64_MAX, &product) ||
        !jin_int(r, b, "period", "period", 1, 60, &period) ||
        !jin_int(r, b, "credit_id", "credit_id", 1, INT64_MAX, &credit) ||
        !jin_currency(r, b, "currency", JIN_REQUIRED, &cur) || !jin_bool(r, b, "auto_renew", JIN_OPTIONAL, &auto_renew))
        return;
    if (!product || !period) {
        const char *f = !product ? "product_id" : "period";
        return http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: is required", f), f);
    }
    cart_item item = {.product_id = product, .period_months = (int)period, .credit_id = credit,
                      .auto_renew = auto_renew};
    if (!cart_add(r, org_id, &item, cur, &id, &fail))
        return orders_answer_fail(r, &fail);
    http_json(r, 201, json_pack("{s:I, s:I, s:i, s:o, s:b}", "id", (json_int_t)id, "product_id",
        (json_int_t)product, "period", (int)period, "credit_id", credit ? json_integer(credit) : json_null(),
        "auto_renew", auto_renew));
}

static void delete_cart_item(http_request *r)
{
    int64_t org_id, id;
    if (!org_or_reply(r, &org_id))
        return;
    int done = http_param_id(r, "item_id", &id) ? cart_remove(r->db, org_id, id) : 0;
    if (done < 0)
        return http_error(r, 500, "store_error", "cannot change the cart", NULL);
    if (!done)
        return http_error(r, 404, "not_found", "no such item in the cart", NULL);
    http_text(r, 204, NULL, "", 0);
}

/* The wallet in cur of org: balance (0 without one), whether it covers need. */
static json_t *wallet_json(http_request *r, int64_t org_id, const currency *cur, int64_t need)
{
    int64_t wallet, balance = 0;
    ledger_result lr = ledger_wallet(r->db, org_id, cur->code, false, &wallet);
    if (lr == LEDGER_OK && ledger_balance(r->db, wallet, &balance) != LEDGER_OK)
        balance = 0;
    return json_pack("{s:o, s:b, s:o}", "balance", jout_money(money_make(balance, cur), r->lang),
                     "sufficient", balance >= need,
                     "shortfall", jout_money(money_make(balance >= need ? 0 : need - balance, cur), r->lang));
}

json_t *orders_preview_json(http_request *r, const order_in *in, const order_priced *pr)
{
    json_t *lines = json_array();
    for (size_t i = 0; i < pr->n; i++) {
        const order_priced_item *it = &pr->items[i];
        json_array_append_new(lines, json_pack("{s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:o}",
            "product_id", (json_int_t)it->product.id, "product_name", catalog_product_name(&it->product, r->lang),
            "period", it->period_months, "price", jout_money(money_make(it->price.price_minor, pr->cur), r->lang),
            "setup", jout_money(money_make(it->price.setup_minor, pr->cur), r->lang),
            "discount", jout_money(money_make(it->discount_minor, pr->cur), r->lang),
            "credit_id", it->credit_id ? json_integer(it->credit_id) : json_null(),
            "total", jout_money(money_make(it->total_minor, pr->cur), r->lang)));
    }
    json_t *code = json_null();
    if (in->discount_code && *in->discount_code)
        code = json_pack("{s:s, s:b, s:s?, s:s}", "code", in->discount_code, "applies", pr->verdict == ORDER_CODE_OK,
                         "reason", pr->verdict == ORDER_CODE_OK ? NULL : order_code_verdict_name(pr->verdict),
                         "message", order_code_verdict_message(pr->verdict));
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o}", "currency", pr->cur->code, "lines", lines,
        "subtotal", jout_money(money_make(pr->totals.subtotal_minor, pr->cur), r->lang),
        "discount", jout_money(money_make(pr->totals.discount_minor, pr->cur), r->lang),
        "credit", jout_money(money_make(pr->totals.credit_minor, pr->cur), r->lang),
        "total", jout_money(money_make(pr->totals.total_minor, pr->cur), r->lang),
        "vat", order_tax_json(r, &pr->tax, pr->cur),
        "gross", jout_money(money_make(pr->tax.gross_minor, pr->cur), r->lang), "discount_code", code,
        "terms_version", order_terms_version(r),
        "wallet", wallet_json(r, in->org_id, pr->cur, pr->tax.gross_minor));
}

/* POST .../cart/preview {discount_code?}: the cart priced as checkout would. */
static void post_preview(http_request *r)
{
    int64_t org_id;
    cart *c = arena_alloc(r->a, sizeof *c);
    order_in in;
    order_priced *pr = arena_alloc(r->a, sizeof *pr);
    order_fail fail;
    json_t *b = NULL;
    const char *code = NULL;
    if (!org_or_reply(r, &org_id) || (r->body_len && (!jin_body(r, &b) ||
        !jin_string(r, b, "discount_code", JIN_OPTIONAL, 0, ORDER_CODE_TEXT_MAX, &code))))
        return;
    if (!cart_get(r->db, org_id, c))
        return http_error(r, 500, "store_error", "cannot read the cart", NULL);
    if (!cart_order_in(c, org_id, r->user_id, &in))
        return http_error(r, 422, "empty_cart", "the cart is empty", NULL);
    if (b && json_object_get(b, "discount_code"))
        in.discount_code = code;
    if (!order_prepare(r, &in, pr, &fail))
        return orders_answer_fail(r, &fail);
    http_json(r, 200, orders_preview_json(r, &in, pr));
}

static void post_quote(http_request *r)
{
    int64_t org_id;
    const currency *from;
    money amount;
    json_t *b;
    fx_quote q;
    order_fail fail;
    if (!org_or_reply(r, &org_id) || !jin_body(r, &b) ||
        !jin_currency(r, b, "wallet_currency", JIN_REQUIRED, &from) || !jin_money(r, b, "amount", &amount))
        return;
    if (amount.minor > LEDGER_AMOUNT_MAX)
        return http_error(r, 422, "invalid_field", "amount: is too large", "amount");
    if (!quote_create(r, org_id, amount, from, &q, &fail))
        return orders_answer_fail(r, &fail);
    http_json(r, 201, quote_json(r, &q));
}

static void get_credits(http_request *r)
{
    int64_t org_id;
    free_credit *list = arena_alloc(r->a, sizeof *list * ORDER_CREDITS_MAX);
    if (!org_or_reply(r, &org_id))
        return;
    int n = credit_list_unused(r->db, org_id, list, ORDER_CREDITS_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "cannot read the credits", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, credit_json(&list[i]));
    http_json(r, 200, json_pack("{s:o}", "credits", arr));
}

void orders_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/orders", post_order, ROUTE_USER | ROUTE_GROUPED);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/orders", list_orders, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/orders/{order_id}", get_order, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/cart/items", get_cart, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/cart/items", post_cart_item, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/cart/items/{item_id}", delete_cart_item, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/cart/preview", post_preview, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/quotes", post_quote, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/credits", get_credits, ROUTE_USER);
    orders_staff_routes(rt);
}
