/* web_topup.c - "Top up" of the current organization's balance by card,
 * wallet, PayPal or crypto through the payment gateway: the form (amount,
 * currency, the methods enabled for that currency and the organization's
 * country with their settlement times, bank transfer as a link to its own
 * page), the redirect to the gateway's page, and the return page, which
 * trusts nothing in its URL: it asks the gateway (payment_sync) and shows
 * done, pending or failed; an order or To pay selection paid by card or
 * PayPal (web_cart.c, web_renewals.c) comes back to the same page, which then
 * says "order placed" with the order's link, "services renewed", or that the
 * money stayed as balance. Each form carries a fresh random key used as the
 * Idempotency-Key, so a double submit makes one payment. Members with the
 * billing right only (404 page otherwise), as in the API.
 * The organization's saved cards (not expired) are offered first, the default
 * one chosen: a saved card is charged off-session at once and the payment's
 * page shows the outcome; "Save this card" asks the gateway to keep a new card
 * (or wallet card) once the payment succeeds. */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/number_text.h"
#include "core/money.h"
#include "feature/cards/cards.h"
#include "feature/orgs/orgs.h"
#include "feature/payments/payments.h"
#include "feature/web/web.h"

static const char *const topup_currencies[] = {"EUR", "USD", "GBP", "CHF", NULL};

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *method_label(http_request *r, const char *code)
{
    static const struct { const char *code, *label, *settlement; } t[] = {
        {"card", N_("Card"), N_("immediate")},
        {"wallet", N_("Apple Pay or Google Pay"), N_("immediate")},
        {"paypal", N_("PayPal"), N_("immediate")},
        {"crypto", N_("Bitcoin"), N_("after network confirmation")},
        {"bank_transfer", N_("Bank transfer"), N_("1-3 business days")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, code))
            return i18n_text(r->lang, t[i].label);
    return code;
}

static const char *settlement_label(http_request *r, const payment_method *m)
{
    if (!strcmp(m->settlement, "immediate"))
        return _("immediate");
    if (!strcmp(m->settlement, "after network confirmation"))
        return _("after network confirmation");
    return _("1-3 business days");
}

/* [{"code", "label", "settlement", "checked", "saved"}] of the saved cards and
 * the gateway methods enabled for cur in org's country. */
static json_t *method_options(http_request *r, int64_t org, const char *cur, const char *chosen, bool *bank)
{
    char country[3];
    payment_org_country(r->db, r->app, org, country);
    json_t *list = json_array();
    bool online = gateway_get(r->app->cfg) != NULL;
    size_t saved = online && payment_method_enabled(payment_method_find("card"), cur, country)
                       ? web_saved_card_choices(r, org, chosen, list) : 0;
    *bank = false;
    for (size_t i = 0; i < PAYMENT_METHOD_COUNT; i++) {
        const payment_method *m = &payment_methods[i];
        if (!payment_method_enabled(m, cur, country))
            continue;
        if (!m->gateway) {
            *bank = true;
            continue;
        }
        bool new_card = saved && !strcmp(m->code, "card");
        if (online)
            json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", m->code, "label",
                                                  new_card ? _("A new card") : method_label(r, m->code),
                                                  "settlement", settlement_label(r, m), "checked",
                                                  chosen ? !strcmp(chosen, m->code) : !saved && i == 0, "saved", 0));
    }
    return list;
}

static void page(http_request *r, int64_t org, int status, const char *cur, json_t *values, json_t *errors)
{
    json_t *currencies = json_array();
    for (size_t i = 0; topup_currencies[i]; i++)
        json_array_append_new(currencies, json_pack("{s:s, s:b}", "code", topup_currencies[i], "selected",
                                                     !strcmp(topup_currencies[i], cur)));
    bool bank;
    const char *chosen = json_string_value(json_object_get(values, "method"));
    json_t *methods = method_options(r, org, cur, chosen, &bank);
    web_page(r, status, "pages/topup", _("Top up"), "billing",
             json_pack("{s:s, s:o, s:b, s:o, s:b, s:s, s:s, s:o, s:o}", "currency", cur, "currencies", currencies,
                       "has_methods", json_array_size(methods) > 0, "methods", methods, "bank", bank,
                       "bank_settlement", _("1-3 business days"), "key", web_form_key(r),
                       "form", values ? values : json_object(), "errors", errors ? errors : json_object()));
}

static const char *chosen_currency(const char *code)
{
    for (size_t i = 0; code && topup_currencies[i]; i++)
        if (!strcmp(code, topup_currencies[i]))
            return topup_currencies[i];
    return "EUR";
}

static void get_topup(http_request *r)
{
    int64_t org = billing_org(r);
    if (org)
        page(r, org, 200, chosen_currency(http_query(r, "currency")), NULL, NULL);
}

/* The amount and key of a form that chose the saved card id_text: in charges
 * that card. False with messages in errors. */
static bool read_saved(http_request *r, int64_t org, const form *f, const currency *cur, const char *id_text,
                       payment *in, json_t *errors)
{
    const char *text = form_get(f, "amount"), *key = form_get(f, "key");
    int64_t id;
    saved_card c;
    int found = int_text_id(id_text, &id) ? cards_get(r->db, org, id, &c) : 0;
    char country[3];
    payment_org_country(r->db, r->app, org, country);
    if (!text || money_parse_locale(text, cur, r->lang, &in->amount) != MONEY_OK || payment_amount_problem(in->amount))
        json_object_set_new(errors, "amount", json_string(_("Enter an amount from 5.00 to 10000.00.")));
    if (found != 1 || cards_expired(&c, (int64_t)time(NULL)) || !gateway_get(r->app->cfg) ||
        !payment_method_enabled(payment_method_find("card"), cur->code, country))
        json_object_set_new(errors, "method", json_string(_("This card cannot be used: choose another method.")));
    if (!key || !web_token_ok(key))
        json_object_set_new(errors, "amount", json_string(_("The form has expired: please fill it in again.")));
    if (json_object_size(errors))
        return false;
    snprintf(in->method, sizeof in->method, "card");
    snprintf(in->idem_key, sizeof in->idem_key, "web:%s", key);
    snprintf(in->card_token, sizeof in->card_token, "%s", c.token);
    return true;
}

/* Fills in (amount, method, key) from the form; false with messages in errors. */
static bool read_form(http_request *r, int64_t org, const form *f, payment *in, json_t *errors)
{
    static const char *const methods[] = {"card", "wallet", "paypal", "crypto", NULL};
    const currency *cur = currency_find(chosen_currency(form_get(f, "currency")));
    const char *text = form_get(f, "amount"), *key = form_get(f, "key");
    if (!text || money_parse_locale(text, cur, r->lang, &in->amount) != MONEY_OK ||
        payment_amount_problem(in->amount))
        json_object_set_new(errors, "amount", json_string(_("Enter an amount from 5.00 to 10000.00.")));
    const char *choice = form_get(f, "method");
    if (choice && !strncmp(choice, "saved:", 6))
        return read_saved(r, org, f, cur, choice + 6, in, errors);
    const char *method = web_choice(r, f, "method", methods, errors);
    char country[3];
    payment_org_country(r->db, r->app, org, country);
    if (method && (!payment_method_enabled(payment_method_find(method), cur->code, country) ||
                   !gateway_get(r->app->cfg)))
        json_object_set_new(errors, "method", json_string(_("This method is not available for this currency.")));
    if (!key || !web_token_ok(key))
        json_object_set_new(errors, "amount", json_string(_("The form has expired: please fill it in again.")));
    if (json_object_size(errors))
        return false;
    snprintf(in->method, sizeof in->method, "%s", method);
    snprintf(in->idem_key, sizeof in->idem_key, "web:%s", key);
    in->save_method = form_get(f, "save_method") && (!strcmp(method, "card") || !strcmp(method, "wallet"));
    return true;
}

static void post_topup(http_request *r)
{
    form f;
    int64_t org = billing_org(r);
    if (!org || !web_form(r, &f))
        return;
    payment in = {.org_id = org, .user_id = r->user_id}, p;
    json_t *errors = json_object();
    const char *cur = chosen_currency(form_get(&f, "currency"));
    if (!read_form(r, org, &f, &in, errors)) {
        const char *amount = form_get(&f, "amount"), *method = form_get(&f, "method");
        return page(r, org, 422, cur, json_pack("{s:s, s:s}", "amount", amount ? amount : "", "method",
                                                method ? method : ""), errors);
    }
    int status;
    const char *code;
    if (!payment_start(r, &in, &p, &status, &code)) {
        json_object_set_new(errors, "amount", json_string(status == 502
            ? _("The payment service cannot be reached right now: please try again in a few minutes.")
            : _("The form has expired: please fill it in again.")));
        return page(r, org, status == 502 ? 502 : 422, cur, NULL, errors);
    }
    json_decref(errors);
    if (in.card_token[0] && payment_sync(r->db, r->app, &p, NULL, NULL) == SYNC_STORE_ERROR)
        return web_fail(r); /* a saved card is decided at once: the payment's page shows the outcome */
    /* The CSP's form-action 'self' forbids redirecting a form to the gateway:
     * the payment's page links there instead. */
    http_redirect(r, arena_printf(r->a, "/billing/topups/%lld", (long long)p.id));
}

/* Why the gateway failed a payment, for the customer; "" when it gave no reason we know. */
static const char *failure_reason(http_request *r, const char *code)
{
    static const struct { const char *code, *text; } t[] = {
        {"card_declined", N_("The card was declined.")},
        {"insufficient_funds", N_("The card has insufficient funds.")},
        {"expired_card", N_("The card has expired.")},
        {"authentication_required", N_("The bank asks you to confirm this payment: pay with the card as a new card to confirm it.")},
        {"authentication_failed", N_("The bank's confirmation (3-D Secure) failed.")},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, code))
            return i18n_text(r->lang, t[i].text);
    return "";
}

/* What the page says of p's purpose once decided: for an order, placed (with
 * its link) or refused; for renewals, paid or refused. */
static const char *page_title(http_request *r, const payment *p, bool done, bool pending)
{
    bool placed = !strcmp(p->purpose_status, "done");
    if (pending)
        return _("Payment pending");
    if (!done)
        return _("Payment not completed");
    if (!strcmp(p->purpose, "order") && placed)
        return _("Order placed");
    if (!strcmp(p->purpose, "renewals") && placed)
        return _("Services renewed");
    return _("Payment received");
}

/* GET /billing/topups/{id} and its /return: the same page, after asking the
 * gateway; for an order or renewals paid by card or PayPal as well. */
static void get_payment_page(http_request *r)
{
    int64_t id;
    payment p;
    if (!http_param_id(r, "payment_id", &id) || payment_get(r->db, id, &p) != 1 ||
        !org_user_may(r->db, r->user_id, p.org_id, ORG_NEED_BILLING))
        return web_error_page(r, 404);
    payment_sync_result res = payment_sync(r->db, r->app, &p, NULL, NULL);
    if (res == SYNC_STORE_ERROR)
        return web_fail(r);
    char amount[MONEY_FORMAT_BYTES_MAX];
    if (money_format(p.amount, r->lang, amount, sizeof amount) != MONEY_OK)
        return web_fail(r);
    bool done = !strcmp(p.status, "succeeded"), pending = !strcmp(p.status, "pending");
    bool topup = !strcmp(p.purpose, "topup"), order = !strcmp(p.purpose, "order");
    const char *title = page_title(r, &p, done, pending);
    json_t *ctx = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:s, s:b}", "id", (json_int_t)p.id, "title", title,
                            "amount", amount, "method", method_label(r, p.method), "done", done && topup, "pending",
                            pending, "failed", !done && !pending, "redirect_url", p.redirect_url, "can_continue",
                            pending && p.redirect_url[0] && res == SYNC_OK);
    json_object_set_new(ctx, "topup", json_boolean(topup));
    json_object_set_new(ctx, "order", json_boolean(order));
    json_object_set_new(ctx, "renewals", json_boolean(!topup && !order));
    json_object_set_new(ctx, "placed", json_boolean(done && !strcmp(p.purpose_status, "done")));
    json_object_set_new(ctx, "refused", json_boolean(done && !strcmp(p.purpose_status, "refused")));
    json_object_set_new(ctx, "order_id", json_integer(p.purpose_ref));
    json_object_set_new(ctx, "reason", json_string(failure_reason(r, p.failure_code)));
    web_page(r, 200, "pages/topup_return", title, "billing", ctx);
}

void web_topup_routes(router *rt)
{
    router_add(rt, "GET", "/billing/topup", get_topup, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/topup", post_topup, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/topups/{payment_id}", get_payment_page, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/topups/{payment_id}/return", get_payment_page, ROUTE_USER | ROUTE_PAGE);
}
