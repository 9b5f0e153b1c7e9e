/* web_renewals.c - the To pay page: the current organization's services due
 * for renewal (expiring within the renewal window, or expired and not
 * terminated), each with a checkbox and a period select showing the price of
 * each period (net), the total of the selection with its VAT (decided once
 * for the organization today: sale_tax, as renewals_pay charges it) against
 * the balance, and "Pay":
 * from the balance, which renews every chosen service in one transaction or
 * none, or by card or PayPal through the gateway's page (pay_gateway), the
 * services being renewed when the payment is confirmed; or "Get a
 * pro-forma" of the selection (renewals_proforma), shown on its page.
 * Without JavaScript, "Update total" posts the selection back and the page
 * shows its total. Members with the billing right only (404 page otherwise),
 * and limited members see only their services, as in the API. */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/currency.h"
#include "core/number_text.h"
#include "core/money.h"
#include "core/period.h"
#include "core/zone.h"
#include "feature/auth/secret.h"
#include "feature/invoices/sale_tax.h"
#include "feature/orgs/orgs.h"
#include "feature/renewals/renewals.h"
#include "feature/web/web.h"

/* A form holds FORM_FIELDS_MAX fields: three per service (checkbox, period,
 * the expiry shown), plus _csrf, action, pay_with and key. */
enum { WEB_RENEWALS_MAX = (FORM_FIELDS_MAX - 4) / 3, WEB_CURRENCIES_MAX = 4 };

typedef struct selection {
    bool chosen;
    int months;
} selection;

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *money_text(http_request *r, int64_t minor, const char *code)
{
    char text[MONEY_FORMAT_BYTES_MAX];
    const currency *c = currency_find(code);
    if (!c || money_format(money_make(minor, c), r->lang, text, sizeof text) != MONEY_OK)
        return arena_printf(r->a, "%lld %s", (long long)minor, code);
    return arena_strdup(r->a, text);
}

static const char *period_label(http_request *r, int months)
{
    if (months % 12)
        return months == 1 ? _("1 month") : arena_printf(r->a, _("%d months"), months);
    return months == 12 ? _("1 year") : arena_printf(r->a, _("%d years"), months / 12);
}

/* The period shown selected when nothing was posted: the service's own
 * period if it is offered, else the first one. */
static int default_months(const renewal_due *due)
{
    for (int i = 0; i < due->quote_count; i++)
        if (due->quotes[i].months == due->s.period_months)
            return due->s.period_months;
    return due->quote_count ? due->quotes[0].months : 0;
}

/* What f chose for due (everything renewable, at its default period, when
 * nothing was posted). */
static selection selected(http_request *r, const form *f, const renewal_due *due)
{
    selection sel = {due->quote_count > 0, default_months(due)};
    if (!f)
        return sel;
    const char *box = form_get(f, arena_printf(r->a, "renew_%lld", (long long)due->s.id));
    const char *period = form_get(f, arena_printf(r->a, "period_%lld", (long long)due->s.id));
    int64_t months = 0;
    sel.chosen = sel.chosen && box && !strcmp(box, "1");
    int_text_parse(period, 1, PERIOD_MONTHS_MAX, &months); /* not a period: the default stays */
    for (int i = 0; i < due->quote_count; i++)
        if (due->quotes[i].months == months)
            sel.months = due->quotes[i].months;
    return sel;
}

static json_t *service_json(http_request *r, const renewal_due *due, selection sel, int64_t now)
{
    char day[11];
    json_t *periods = json_array();
    for (int i = 0; i < due->quote_count; i++)
        json_array_append_new(periods, json_pack("{s:i, s:s, s:s, s:b}", "months", due->quotes[i].months, "label",
                                                 period_label(r, due->quotes[i].months), "price",
                                                 money_text(r, due->quotes[i].price_minor, due->s.currency),
                                                 "selected", due->quotes[i].months == sel.months));
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:o}", "id", (json_int_t)due->s.id,
                     "expires_at", (json_int_t)due->s.expires_at, "label",
                     due->s.label, "product", due->product_name, "expires",
                     zone_provider_date(due->s.expires_at, day) ? day : "", "expired", due->s.expires_at <= now,
                     "suspended", due->s.status == SERVICE_SUSPENDED, "checked", sel.chosen, "no_price",
                     due->quote_count == 0, "periods", periods);
}

typedef struct total {
    char currency[4];
    int64_t minor;
} total;

/* Adds minor in code to the totals; false when there are too many currencies. */
static bool add_total(total *t, int *n, const char *code, int64_t minor)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(t[i].currency, code)) {
            t[i].minor += minor;
            return true;
        }
    if (*n == WEB_CURRENCIES_MAX)
        return false;
    snprintf(t[*n].currency, sizeof t[*n].currency, "%s", code);
    t[(*n)++].minor = minor;
    return true;
}

/* The VAT of the organization's renewals today into *tax: 1 decided, 0 not
 * (no rate: paying will say so), -1 store error. */
static int renewals_tax(http_request *r, int64_t org, int64_t now, sale_tax *tax)
{
    char today[11];
    if (!zone_provider_date(now, today))
        return -1;
    sale_tax_result res = sale_tax_decide(r->db, r->app, org, 0, today, tax);
    return res == SALE_TAX_OK ? 1 : res == SALE_TAX_STORE_ERROR ? -1 : 0;
}

/* [{currency, total (gross), taxed, net, vat, rate, mention, balance,
 * enough, shortfall}] of the selection; decided NULL when the VAT is not. */
static json_t *totals_json(http_request *r, int64_t org, const total *t, int n, const sale_tax *decided)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        int64_t balance = 0;
        sale_tax tax = decided ? *decided : (sale_tax){0};
        if (!renewals_balance(r->db, org, t[i].currency, &balance) || !sale_tax_compute(&tax, &t[i].minor, 1)) {
            json_decref(list);
            return NULL;
        }
        char rate[8];
        vat_rate_text(tax.decision.rate_bp, rate);
        const char *mention = tax.decision.mention_text ? i18n_text(r->lang, tax.decision.mention_text) : NULL;
        bool enough = balance >= tax.gross_minor;
        json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s?, s:s, s:b, s:s}", "currency",
                                              t[i].currency, "total", money_text(r, tax.gross_minor, t[i].currency),
                                              "taxed", decided != NULL, "net", money_text(r, t[i].minor, t[i].currency),
                                              "vat", money_text(r, tax.vat_minor, t[i].currency), "rate", rate,
                                              "mention", mention, "balance", money_text(r, balance, t[i].currency),
                                              "enough", enough, "shortfall",
                                              money_text(r, enough ? 0 : tax.gross_minor - balance, t[i].currency)));
    }
    return list;
}

/* The ways to pay: the balance, and the saved cards, a new card and PayPal
 * when the gateway is configured (the currency is checked when paying). */
static json_t *pay_choices(http_request *r, int64_t org, const form *f)
{
    static const struct { const char *code, *label; } t[] = {
        {"balance", N_("Pay from balance")}, {"card", N_("Card")}, {"paypal", N_("PayPal")},
    };
    const char *chosen = f ? form_get(f, "pay_with") : NULL;
    json_t *list = json_array();
    size_t saved = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0] && (i == 0 || gateway_get(r->app->cfg)); i++) {
        if (i == 1)
            saved = web_saved_card_choices(r, org, chosen ? chosen : "", list);
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", t[i].code, "label",
                                              saved && i == 1 ? _("A new card") : i18n_text(r->lang, t[i].label),
                                              "checked", chosen ? !strcmp(chosen, t[i].code) : i == 0));
    }
    return list;
}

/* The page for the selection posted in f (NULL: the default one), with a
 * message for the whole form when error is not NULL. */
static void renewals_page(http_request *r, int64_t org, int status, const form *f, const char *error)
{
    renewal_due *due = arena_alloc(r->a, sizeof *due * WEB_RENEWALS_MAX);
    int64_t now = (int64_t)time(NULL);
    int n = renewals_due(r->db, org, r->user_id, now, r->app->cfg->renewal_window_days, r->lang, due,
                         WEB_RENEWALS_MAX);
    if (n < 0)
        return web_fail(r);
    json_t *list = json_array();
    total t[WEB_CURRENCIES_MAX];
    int currencies = 0, chosen = 0;
    bool fits = true;
    for (int i = 0; i < n; i++) {
        selection sel = selected(r, f, &due[i]);
        json_array_append_new(list, service_json(r, &due[i], sel, now));
        for (int q = 0; sel.chosen && q < due[i].quote_count; q++)
            if (due[i].quotes[q].months == sel.months) {
                fits = fits && add_total(t, &currencies, due[i].s.currency, due[i].quotes[q].price_minor);
                chosen++;
            }
    }
    sale_tax tax;
    int taxed = currencies ? renewals_tax(r, org, now, &tax) : 0;
    json_t *totals = taxed < 0 ? NULL : fits ? totals_json(r, org, t, currencies, taxed ? &tax : NULL) : json_array();
    if (!totals)
        return (void)json_decref(list), web_fail(r);
    char key[SECRET_TOKEN_CHARS + 1];
    secret_token_new(key);
    web_page(r, status, "pages/renewals", _("To pay"), "renewals",
             json_pack("{s:o, s:b, s:o, s:b, s:s?, s:b, s:o, s:s}", "services", list, "has_services", n > 0, "totals",
                       totals, "has_chosen", chosen > 0, "error", error, "full", n == WEB_RENEWALS_MAX, "pay_with",
                       pay_choices(r, org, f), "key", key));
}

static void get_renewals(http_request *r)
{
    int64_t org = billing_org(r);
    if (org)
        renewals_page(r, org, 200, NULL, NULL);
}

static const char *failure_message(http_request *r, renewals_result res)
{
    switch (res) {
    case RENEWALS_INSUFFICIENT_FUNDS:
        return _("Your balance does not cover the total: top up, or choose fewer services or shorter periods. Nothing has been paid.");
    case RENEWALS_MIXED_CURRENCIES:
        return _("Services billed in different currencies are paid separately: choose services of one currency.");
    case RENEWALS_CONFLICT:
        return _("One of the services was renewed meanwhile. Check the list and try again.");
    default:
        return _("These services cannot be renewed now. Nothing has been paid.");
    }
}

/* The checked services of f with their periods: how many, -1 on a store
 * error. *stale is set when a checked service no longer expires when the page
 * showed (renewed meanwhile, or the form posted twice). */
static int chosen_items(http_request *r, int64_t org, const form *f, renewal_item *items, bool *stale)
{
    renewal_due *due = arena_alloc(r->a, sizeof *due * WEB_RENEWALS_MAX);
    int n = renewals_due(r->db, org, r->user_id, (int64_t)time(NULL), r->app->cfg->renewal_window_days, r->lang,
                         due, WEB_RENEWALS_MAX), count = 0;
    *stale = false;
    for (int i = 0; i < n; i++) {
        selection sel = selected(r, f, &due[i]);
        const char *shown = form_get(f, arena_printf(r->a, "expires_%lld", (long long)due[i].s.id));
        int64_t shown_at;
        if (!sel.chosen)
            continue;
        *stale = *stale || !int_text_parse(shown, 0, INT64_MAX, &shown_at) || shown_at != due[i].s.expires_at;
        items[count++] = (renewal_item){due[i].s.id, sel.months};
    }
    return n < 0 ? -1 : count;
}

/* Card or PayPal: the gateway's payment of the selection (renewed when it is
 * paid), then its page, which links to the gateway's. The form's key makes a
 * double submit find the same payment. */
static void pay_gateway(http_request *r, int64_t org, const form *f, const char *choice)
{
    const char *key = form_get(f, "key");
    if (!key || !web_token_ok(key))
        return web_error_page(r, 400);
    payment card;
    const char *method = strcmp(choice, "paypal") ? "card" : "paypal"; /* "card" or "saved:<id>" */
    if (!strcmp(method, "card") && !web_card_choice(r, org, f, choice, &card))
        return renewals_page(r, org, 422, f, _("This card cannot be used: choose another method."));
    renewal_item *items = arena_alloc(r->a, sizeof *items * WEB_RENEWALS_MAX);
    bool stale = false;
    int n = chosen_items(r, org, f, items, &stale);
    if (n < 0)
        return web_fail(r);
    if (n == 0 || stale)
        return renewals_page(r, org, n ? 409 : 422, f,
                             n ? failure_message(r, RENEWALS_CONFLICT) : _("Choose at least one service to renew."));
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res;
    payment p;
    int status;
    const char *code;
    if (!renewals_pay_start(r, org, items, n, method, strcmp(method, "card") ? NULL : &card, arena_printf(r->a, "web-%s", key), &res, out, &p, &status,
                            &code)) {
        if (res == RENEWALS_STORE_ERROR || status == 500)
            return web_fail(r);
        if (res != RENEWALS_OK)
            return renewals_page(r, org, 422, f, failure_message(r, res));
        return renewals_page(r, org, status == 502 ? 502 : 422, f, status == 502
            ? _("The payment service cannot be reached right now: please try again in a few minutes.")
            : status == 409 ? _("The form has expired: please fill it in again.")
                            : _("This payment method is not available for this currency."));
    }
    http_redirect(r, arena_printf(r->a, "/billing/topups/%lld", (long long)p.id));
}

/* Begins the write transaction and reads the chosen items: how many, or 0
 * when the page was answered (nothing chosen, renewed meanwhile, a store
 * error) and nothing is open. */
static int begin_chosen(http_request *r, int64_t org, const form *f, renewal_item *items)
{
    bool stale = false;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r), 0;
    int n = chosen_items(r, org, f, items, &stale);
    if (n > 0 && !stale)
        return n;
    db_rollback(r->db);
    if (n < 0)
        return web_fail(r), 0;
    renewals_page(r, org, n ? 409 : 422, f,
                  n ? failure_message(r, RENEWALS_CONFLICT) : _("Choose at least one service to renew."));
    return 0;
}

/* "Get a pro-forma": issues it for the selection and shows it. */
static void get_proforma(http_request *r, int64_t org, const form *f)
{
    renewal_item *items = arena_alloc(r->a, sizeof *items * WEB_RENEWALS_MAX);
    int n = begin_chosen(r, org, f, items);
    if (!n)
        return;
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res = renewals_proforma(r->db, r->app, org, r->user_id, items, n, (int64_t)time(NULL), out);
    if (res != RENEWALS_OK)
        db_rollback(r->db);
    if (res == RENEWALS_STORE_ERROR || (res == RENEWALS_OK && db_commit(r->db) != DB_OK))
        return web_fail(r);
    if (res != RENEWALS_OK)
        return renewals_page(r, org, 422, f, failure_message(r, res));
    http_redirect(r, arena_printf(r->a, "/billing/invoices/%lld", (long long)out->invoice_id));
}

static void post_renewals(http_request *r)
{
    form f;
    int64_t org = billing_org(r);
    if (!org || !web_form(r, &f))
        return;
    const char *action = form_get(&f, "action");
    if (action && !strcmp(action, "proforma"))
        return get_proforma(r, org, &f);
    if (!action || strcmp(action, "pay"))
        return renewals_page(r, org, 200, &f, NULL); /* "Update total" */
    const char *pay = form_get(&f, "pay_with");
    if (pay && (!strcmp(pay, "card") || !strcmp(pay, "paypal") || !strncmp(pay, "saved:", 6)))
        return pay_gateway(r, org, &f, pay);
    renewal_item *items = arena_alloc(r->a, sizeof *items * WEB_RENEWALS_MAX);
    int n = begin_chosen(r, org, &f, items);
    if (!n)
        return;
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res = renewals_pay(r->db, r->app, org, r->user_id, items, n, (int64_t)time(NULL), "balance", out);
    if (res == RENEWALS_STORE_ERROR)
        return web_fail(r);
    if (res != RENEWALS_OK) {
        db_rollback(r->db);
        return renewals_page(r, org, 422, &f, failure_message(r, res));
    }
    if (db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "renewed");
    http_redirect(r, "/renewals");
}

void web_renewals_routes(router *rt)
{
    router_add(rt, "GET", "/renewals", get_renewals, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/renewals", post_renewals, ROUTE_USER | ROUTE_PAGE);
}
