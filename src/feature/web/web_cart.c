/* web_cart.c - the cart of the current organization and checkout from the
 * balance, without JavaScript: lines with net price, discount and total, a
 * discount-code field with the reason a code is refused, a drop-down of
 * matching free credits per product, the terms checkbox, the wallet's balance
 * with the shortfall and a link to top up, and, when paying from a wallet in
 * another currency, a confirmation step with the quote's rate, converted
 * amount, source, date and expiry before "Order and pay"; or card or PayPal
 * through the gateway (checkout_gateway). Members with the
 * billing right only (the 404 page for anyone else), as in the API. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/number_text.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/secret.h"
#include "feature/orders/orders.h"
#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"

static int64_t cart_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

/* The message of a refusal in the page's language (msgids of orders). */
static const char *fail_text(http_request *r, const order_fail *f)
{
    const char *msg = i18n_text(r->lang, f->message);
    if (!f->shortfall_cur)
        return msg;
    char amount[MONEY_FORMAT_BYTES_MAX];
    money_format(money_make(f->shortfall_minor, f->shortfall_cur), r->lang, amount, sizeof amount);
    return arena_printf(r->a, "%s %s %s", msg, _("Missing:"), amount);
}

/* The free credits of org that match line (product, period) as options. */
static json_t *credit_options(const free_credit *credits, int n, const json_t *line, int64_t chosen)
{
    json_t *opts = json_array();
    int64_t product = json_integer_value(json_object_get(line, "product_id"));
    int period = (int)json_integer_value(json_object_get(line, "period"));
    for (int i = 0; i < n; i++)
        if (credits[i].product_id == product && (!credits[i].period_months || credits[i].period_months == period))
            json_array_append_new(opts, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)credits[i].id, "reason",
                                                  credits[i].reason, "selected", credits[i].id == chosen));
    return opts;
}

/* The organization's wallets as choices of where to pay from: the order's
 * currency first (selected unless another was chosen), then the others. */
static json_t *wallet_choices(http_request *r, int64_t org, const char *order_cur, const char *chosen)
{
    json_t *w = wallet_list_json(r, org), *list = json_array(), *x;
    size_t i;
    bool have_order_cur = false;
    json_array_foreach(json_object_get(w, "wallets"), i, x) {
        const char *code = json_string_value(json_object_get(x, "currency"));
        have_order_cur = have_order_cur || !strcmp(code, order_cur);
        json_array_append_new(list, json_pack("{s:s, s:O, s:b}", "currency", code, "balance",
            json_object_get(json_object_get(x, "balance"), "display"), "selected",
            chosen ? !strcmp(chosen, code) : !strcmp(order_cur, code)));
    }
    json_decref(w);
    if (!have_order_cur)
        json_array_insert_new(list, 0, json_pack("{s:s, s:s, s:b}", "currency", order_cur, "balance", "-",
                                                 "selected", !chosen || !strcmp(chosen, order_cur)));
    return list;
}

/* The currencies a cart may be priced in (those the catalog prices in). */
static const char *const cart_currencies[] = {"EUR", "USD", "GBP", "CHF", NULL};

static json_t *currency_choices(const char *chosen)
{
    json_t *list = json_array();
    for (const char *const *c = cart_currencies; *c; c++)
        json_array_append_new(list, json_pack("{s:s, s:b}", "code", *c, "selected", !strcmp(*c, chosen)));
    return list;
}

/* The organization's billing addresses, the default first and selected. */
static json_t *address_choices(http_request *r, int64_t org)
{
    address *list = arena_alloc(r->a, sizeof *list * ADDRESSES_PER_ORG_MAX);
    int n = address_list(r->db, org, list, ADDRESSES_PER_ORG_MAX);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)list[i].id, "line",
                                             address_one_line(r->a, &list[i]), "selected", list[i].is_default));
    return arr;
}

/* Lines of the preview with their cart item ids and credit drop-downs. */
static void decorate_lines(http_request *r, int64_t org, const cart *c, json_t *lines)
{
    free_credit *credits = arena_alloc(r->a, sizeof *credits * ORDER_CREDITS_MAX);
    int n = credit_list_unused(r->db, org, credits, ORDER_CREDITS_MAX);
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line) {
        json_t *opts = credit_options(credits, n < 0 ? 0 : n, line, c->items[i].credit_id);
        json_object_set_new(line, "item_id", json_integer(c->items[i].id));
        json_object_set_new(line, "has_credits", json_boolean(json_array_size(opts) > 0));
        json_object_set_new(line, "credits", opts);
    }
}

/* The raw items of a cart that cannot be priced, so they can be removed. */
static json_t *raw_items(http_request *r, const cart *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->n; i++) {
        catalog_product p;
        bool named = catalog_product_get(r->db, c->items[i].product_id, &p) == 1;
        json_array_append_new(items, json_pack("{s:I, s:s, s:i}", "item_id", (json_int_t)c->items[i].id,
                              "product_name", named ? catalog_product_name(&p, r->lang) : "?", "period",
                              c->items[i].period_months));
    }
    return items;
}

/* The ways to pay the order: the balance, and the saved cards, a new card
 * and PayPal when the gateway is configured and takes the cart's currency in
 * the organization's country. [{"code", "label", "checked"}]. */
static json_t *pay_choices(http_request *r, int64_t org, const char *cur, const char *chosen)
{
    static const struct { const char *code, *label; } t[] = {
        {"balance", N_("Pay from balance")}, {"card", N_("Card")}, {"paypal", N_("PayPal")},
    };
    char country[3];
    payment_org_country(r->db, r->app, org, country);
    json_t *list = json_array();
    size_t saved = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const payment_method *m = payment_method_find(t[i].code);
        if (m && (!gateway_get(r->app->cfg) || !payment_method_enabled(m, cur, country)))
            continue;
        if (!strcmp(t[i].code, "card"))
            saved = web_saved_card_choices(r, org, chosen ? chosen : "", list);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", t[i].code, "label",
                                              saved && i == 1 ? _("A new card") : i18n_text(r->lang, t[i].label),
                                              "checked", chosen ? !strcmp(chosen, t[i].code) : i == 0));
    }
    return list;
}

/* The cart page; errors: {"field": message} next to fields, error: for the
 * whole page (NULL = none). */
static void cart_page_with(http_request *r, int64_t org, int status, json_t *errors, const char *error,
                           const char *wallet_cur, const char *pay_with)
{
    cart *c = arena_alloc(r->a, sizeof *c);
    order_in in;
    order_priced *pr = arena_alloc(r->a, sizeof *pr);
    order_fail fail;
    char key[SECRET_TOKEN_CHARS + 1];
    if (!errors)
        errors = json_object();
    if (!cart_get(r->db, org, c))
        return (void)json_decref(errors), web_fail(r);
    secret_token_new(key);
    json_t *ctx = json_pack("{s:b, s:s, s:s, s:o, s:s, s:s?}", "has_items", c->n > 0, "key", key,
                            "terms_version", order_terms_version(r), "errors", errors,
                            "code_typed", c->discount_code, "error", error);
    if (c->n && cart_order_in(c, org, r->user_id, &in)) {
        if (order_prepare(r, &in, pr, &fail)) {
            json_t *p = orders_preview_json(r, &in, pr);
            decorate_lines(r, org, c, json_object_get(p, "lines"));
            json_object_set_new(p, "code_refused", json_boolean(pr->verdict != ORDER_CODE_OK));
            json_object_set_new(p, "code_message", json_string(i18n_text(r->lang, order_code_verdict_message(pr->verdict))));
            json_object_set_new(p, "other_wallets", wallet_choices(r, org, in.cur->code, wallet_cur));
            json_object_set_new(p, "pay_with", pay_choices(r, org, in.cur->code, pay_with));
            json_t *addresses = address_choices(r, org);
            json_object_set_new(p, "has_addresses", json_boolean(json_array_size(addresses) > 0));
            json_object_set_new(p, "addresses", addresses);
            json_object_set_new(ctx, "preview", p);
        } else {
            json_object_set_new(ctx, "blocked", json_string(fail_text(r, &fail)));
            json_object_set_new(ctx, "raw_items", raw_items(r, c));
        }
    }
    if (c->n)
        json_object_set_new(ctx, "currencies", currency_choices(c->currency));
    web_page(r, status, "pages/cart", _("Cart"), "cart", ctx);
}

static void cart_page(http_request *r, int64_t org, int status, json_t *errors, const char *error,
                      const char *wallet_cur)
{
    cart_page_with(r, org, status, errors, error, wallet_cur, NULL);
}

static void get_cart(http_request *r)
{
    int64_t org = cart_org(r);
    if (org)
        cart_page(r, org, 200, NULL, NULL, NULL);
}

/* A positive id from a form field, or 0. */
static int64_t form_id(const form *f, const char *name)
{
    int64_t id = 0;
    return int_text_id(form_get(f, name), &id) ? id : 0;
}

/* POST /cart/items: product_id, period, currency (the catalog's pages post here). */
static void post_item(http_request *r)
{
    form f;
    int64_t org = cart_org(r), id;
    order_fail fail;
    if (!org || !web_form(r, &f))
        return;
    const currency *cur = form_get(&f, "currency") ? currency_find(form_get(&f, "currency")) : NULL;
    cart_item item = {.product_id = form_id(&f, "product_id"), .period_months = (int)form_id(&f, "period"),
                      .auto_renew = true};
    if (!cur || !item.product_id || !item.period_months)
        return cart_page(r, org, 422, NULL, _("Choose a product, a period and a currency."), NULL);
    if (!cart_add(r, org, &item, cur, &id, &fail))
        return cart_page(r, org, fail.status == 500 ? 500 : 422, NULL, fail_text(r, &fail), NULL);
    web_flash(r, "cart_added");
    http_redirect(r, "/cart");
}

static void post_remove(http_request *r)
{
    form f;
    int64_t org = cart_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "item_id", &id) || cart_remove(r->db, org, id) < 0)
        return web_fail(r);
    http_redirect(r, "/cart");
}

static void post_code(http_request *r)
{
    form f;
    int64_t org = cart_org(r);
    if (!org || !web_form(r, &f))
        return;
    const char *code = form_get(&f, "discount_code");
    if (code && strlen(code) > ORDER_CODE_TEXT_MAX) {
        json_t *errors = json_pack("{s:s}", "discount_code", _("This is too long."));
        return cart_page(r, org, 422, errors, NULL, NULL);
    }
    if (!cart_set_code(r->db, org, code))
        return web_fail(r);
    http_redirect(r, "/cart");
}

static void post_currency(http_request *r)
{
    form f;
    int64_t org = cart_org(r);
    if (!org || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *code = web_choice(r, &f, "currency", cart_currencies, errors);
    if (!code)
        return cart_page(r, org, 422, errors, NULL, NULL);
    json_decref(errors);
    if (!cart_set_currency(r->db, org, currency_find(code)))
        return web_fail(r);
    http_redirect(r, "/cart");
}

static void post_credit(http_request *r)
{
    form f;
    int64_t org = cart_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "item_id", &id) || !cart_set_credit(r->db, org, id, form_id(&f, "credit_id")))
        return web_fail(r);
    http_redirect(r, "/cart");
}

/* The confirmation step of a payment from a wallet in another currency. */
static void confirm_page(http_request *r, int64_t org, const char *key, const currency *from)
{
    cart *c = arena_alloc(r->a, sizeof *c);
    order_in in;
    order_priced *pr = arena_alloc(r->a, sizeof *pr);
    order_fail fail;
    fx_quote q;
    if (!cart_get(r->db, org, c) || !cart_order_in(c, org, r->user_id, &in))
        return cart_page(r, org, 422, NULL, _("The cart is empty."), NULL);
    if (!order_prepare(r, &in, pr, &fail) ||
        !quote_create(r, org, money_make(pr->tax.gross_minor, in.cur), from, &q, &fail))
        return cart_page(r, org, 422, json_pack("{s:s}", "wallet_currency", fail_text(r, &fail)), NULL, from->code);
    json_t *quote = quote_json(r, &q);
    json_object_set_new(quote, "expires", json_string(web_datetime(r, json_string_value(json_object_get(quote, "expires_at")))));
    web_page(r, 200, "pages/cart_confirm", _("Confirm the conversion"), "cart",
             json_pack("{s:o, s:s, s:s}", "quote", quote, "key", key, "terms_version", order_terms_version(r)));
}

/* Card or PayPal: the gateway's payment of the order (placed when it is
 * paid), then its page, which links to the gateway's (the CSP's form-action
 * 'self' forbids redirecting a form there). The same form twice finds the
 * same payment. */
static void checkout_gateway(http_request *r, int64_t org, order_in *in, const form *f, const char *idem_key,
                             const char *pay)
{
    payment p, card;
    order_fail fail;
    bool by_card = strcmp(pay, "paypal") != 0; /* "card" or "saved:<id>" */
    if (by_card && !web_card_choice(r, org, f, pay, &card))
        return cart_page_with(r, org, 422, json_pack("{s:s}", "checkout", _("This card cannot be used: choose another method.")),
                              NULL, NULL, "card");
    in->pay_with = by_card ? ORDER_PAY_CARD : ORDER_PAY_PAYPAL;
    in->auto_renew_all = in->pay_with == ORDER_PAY_CARD;
    in->wallet_cur = NULL;
    in->quote_id = 0;
    if (!order_pay_start(r, in, by_card ? &card : NULL, idem_key, &p, &fail)) {
        if (fail.status == 500)
            return web_fail(r);
        return cart_page_with(r, org, fail.status == 502 ? 502 : 422,
                              json_pack("{s:s}", "checkout", fail_text(r, &fail)), NULL, NULL, pay);
    }
    http_redirect(r, arena_printf(r->a, "/billing/topups/%" PRId64, p.id));
}

/* POST /cart/checkout: pay_with, accept_terms, wallet_currency, key (and
 * quote_id after the confirmation step). */
static void post_checkout(http_request *r)
{
    form f;
    int64_t org = cart_org(r);
    cart *c = arena_alloc(r->a, sizeof *c);
    order_in in;
    order_result *res = arena_alloc(r->a, sizeof *res);
    order_fail fail;
    if (!org || !web_form(r, &f))
        return;
    const char *key = form_get(&f, "key"), *wc = form_get(&f, "wallet_currency");
    if (!key || !web_token_ok(key))
        return web_error_page(r, 400);
    const char *idem_key = arena_printf(r->a, "web-%s", key);
    int64_t done = order_find_by_key(r->db, org, idem_key);
    if (done < 0)
        return web_fail(r);
    if (done) /* the same form sent twice: the order exists */
        return http_redirect(r, arena_printf(r->a, "/orders/%" PRId64, done));
    if (!cart_get(r->db, org, c) || !cart_order_in(c, org, r->user_id, &in))
        return cart_page(r, org, 422, NULL, _("The cart is empty."), NULL);
    in.accept_terms = form_get(&f, "accept_terms") != NULL;
    in.wallet_cur = wc ? currency_find(wc) : NULL;
    in.quote_id = form_id(&f, "quote_id");
    in.billing_address_id = form_id(&f, "billing_address_id");
    const char *pay = form_get(&f, "pay_with");
    if (pay && strcmp(pay, "balance") && strcmp(pay, "card") && strcmp(pay, "paypal") && strncmp(pay, "saved:", 6))
        pay = NULL;
    if (!in.accept_terms)
        return cart_page_with(r, org, 422,
                              json_pack("{s:s}", "accept_terms", _("Accept the terms of contract to order.")), NULL,
                              wc, pay);
    if (pay && strcmp(pay, "balance"))
        return checkout_gateway(r, org, &in, &f, idem_key, pay);
    if (in.wallet_cur && in.wallet_cur != in.cur && !in.quote_id)
        return confirm_page(r, org, key, in.wallet_cur);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    if (!order_checkout(r, &in, idem_key, res, &fail)) {
        db_rollback(r->db);
        if (fail.status == 500)
            return web_fail(r);
        json_t *errors = json_object();
        json_object_set_new(errors, !strcmp(fail.code, "insufficient_funds") ? "funds" : "checkout",
                            json_string(fail_text(r, &fail)));
        return cart_page(r, org, 422, errors, NULL, wc);
    }
    if (db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "order_placed");
    http_redirect(r, arena_printf(r->a, "/orders/%" PRId64, res->order_id));
}

void web_cart_routes(router *rt)
{
    router_add(rt, "GET", "/cart", get_cart, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/items", post_item, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/items/{item_id}/delete", post_remove, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/items/{item_id}/credit", post_credit, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/code", post_code, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/currency", post_currency, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/cart/checkout", post_checkout, ROUTE_USER | ROUTE_PAGE);
}
