/* renewals_api.c - the API of the To pay page (billing right; anyone else
 * gets 404):
 *   GET  /api/v1/orgs/{org_id}/renewals/due
 *   POST /api/v1/orgs/{org_id}/renewals   {items: [{service_id, period}], pay_with?} + Idempotency-Key
 *     (pay_with "balance" by default; "card" or "paypal" answer 201 with the
 *     gateway's payment, and the renewals are paid when it succeeds)
 *   POST /api/v1/orgs/{org_id}/proformas  {items: [{service_id, period}]}
 *     (201 the pro-forma: what the selection costs, to pay by bank transfer
 *     or later from To pay) */
#include "feature/renewals/renewals.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/currency.h"
#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/orgs/orgs.h"
#include "http/idempotency.h"
#include "http/json_in.h"

static bool org_or_reply(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static json_t *money_json(int64_t minor, const char *code, const char *lang)
{
    const currency *c = currency_find(code);
    if (!c)
        abort(); /* the stores accept only known currencies */
    return jout_money(money_make(minor, c), lang);
}

/* "€5.00" in English: the API's messages are English. */
static const char *money_display(http_request *r, int64_t minor, const char *code)
{
    char text[MONEY_FORMAT_BYTES_MAX];
    if (money_format(money_make(minor, currency_find(code)), "en", text, sizeof text) != MONEY_OK)
        return arena_printf(r->a, "%" PRId64 " %s", minor, code);
    return arena_strdup(r->a, text);
}

static json_t *due_json(const renewal_due *due, const char *lang)
{
    json_t *periods = json_array();
    for (int i = 0; i < due->quote_count; i++)
        json_array_append_new(periods, json_pack("{s:i, s:o}", "months", due->quotes[i].months, "price",
                                                 money_json(due->quotes[i].price_minor, due->s.currency, lang)));
    return json_pack("{s:I, s:s, s:s, s:{s:I, s:s}, s:o, s:i, s:b, s:o}", "id", (json_int_t)due->s.id,
                     "label", due->s.label, "status", service_status_names[due->s.status], "product", "id",
                     (json_int_t)due->s.product_id, "name", due->product_name, "expires_at",
                     jout_time(due->s.expires_at), "period_months", due->s.period_months, "auto_renew",
                     due->s.auto_renew, "periods", periods);
}

/* {"currency", "balance": money} of each currency among the services listed. */
static json_t *balances_json(http_request *r, int64_t org_id, const renewal_due *due, int n, bool *ok)
{
    json_t *list = json_array();
    for (int i = 0; i < n && *ok; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || !strcmp(due[j].s.currency, due[i].s.currency);
        int64_t minor = 0;
        if (seen)
            continue;
        *ok = renewals_balance(r->db, org_id, due[i].s.currency, &minor);
        json_array_append_new(list, json_pack("{s:s, s:o}", "currency", due[i].s.currency, "balance",
                                              money_json(minor, due[i].s.currency, r->lang)));
    }
    return list;
}

static void get_due(http_request *r)
{
    int64_t org_id;
    if (!org_or_reply(r, &org_id))
        return;
    renewal_due *due = arena_alloc(r->a, sizeof *due * RENEWALS_DUE_MAX);
    int window = r->app->cfg->renewal_window_days;
    int n = renewals_due(r->db, org_id, r->user_id, (int64_t)time(NULL), window, r->lang, due, RENEWALS_DUE_MAX);
    bool ok = n >= 0;
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, due_json(&due[i], r->lang));
    json_t *balances = ok ? balances_json(r, org_id, due, n, &ok) : json_array();
    if (!ok) {
        json_decref(list);
        json_decref(balances);
        return http_error(r, 500, "store_error", "cannot read the services due", NULL);
    }
    http_json(r, 200, json_pack("{s:o, s:o, s:i}", "services", list, "balances", balances, "window_days", window));
}

/* Reads {items: [{service_id, period}]}; answers 400/422 itself. */
static bool read_items(http_request *r, json_t *b, renewal_item *items, int *n)
{
    json_t *arr = json_object_get(b, "items");
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > RENEWALS_ITEMS_MAX) {
        http_error(r, 422, "invalid_field", "items: expected an array of 1 to 100 {service_id, period}", "items");
        return false;
    }
    *n = (int)json_array_size(arr);
    for (int i = 0; i < *n; i++) {
        json_t *it = json_array_get(arr, (size_t)i), *id = json_object_get(it, "service_id"),
               *period = json_object_get(it, "period");
        json_int_t months = json_is_integer(period) ? json_integer_value(period) : 0;
        const char *bad = !json_is_object(it) || !json_is_integer(id) || json_integer_value(id) <= 0 ? "service_id"
                          : months < 1 || months > PERIOD_MONTHS_MAX || !period_valid((int)months) ? "period"
                          : NULL;
        if (bad) {
            const char *field = arena_printf(r->a, "items[%d].%s", i, bad);
            http_error(r, 422, "invalid_field",
                       arena_printf(r->a, "%s: expected %s", field,
                                    *bad == 's' ? "a service id" : "a period in months (1, 3, 6, 12, 24, 36, 48 or 60)"),
                       field);
            return false;
        }
        items[i] = (renewal_item){json_integer_value(id), (int)months};
    }
    return true;
}

static void fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

static void answer_failure(http_request *r, renewals_result res, const renewals_outcome *out)
{
    const char *item = out->bad_item >= 0 ? arena_printf(r->a, "items[%d]", out->bad_item) : "items";
    switch (res) {
    case RENEWALS_NOT_FOUND:
        return fail(r, 404, "not_found", arena_printf(r->a, "%s.service_id: no such service", item),
                    arena_printf(r->a, "%s.service_id", item));
    case RENEWALS_NOT_RENEWABLE:
        return fail(r, 409, "not_renewable", arena_printf(r->a, "%s: this service cannot be renewed", item), item);
    case RENEWALS_BAD_PERIOD:
        return fail(r, 422, "invalid_field",
                    arena_printf(r->a, "%s.period: this service cannot be renewed for that period", item),
                    arena_printf(r->a, "%s.period", item));
    case RENEWALS_DUPLICATE:
        return fail(r, 422, "invalid_field", arena_printf(r->a, "%s: the same service twice", item), item);
    case RENEWALS_MIXED_CURRENCIES:
        return fail(r, 422, "mixed_currencies",
                    arena_printf(r->a, "%s: services billed in different currencies are paid separately", item),
                    item);
    case RENEWALS_INSUFFICIENT_FUNDS:
        return fail(r, 422, "insufficient_funds",
                    arena_printf(r->a, "the balance is %s short of the total of %s (VAT included)",
                                 money_display(r, out->shortfall_minor, out->currency),
                                 money_display(r, out->tax.gross_minor, out->currency)), "items");
    case RENEWALS_VAT_UNDECIDED:
        return fail(r, 422, "vat_undecided",
                    "the VAT of these renewals cannot be decided for the billing country: contact us", "items");
    case RENEWALS_CONFLICT:
        return fail(r, 409, "conflict", arena_printf(r->a, "%s: the service was renewed meanwhile", item), item);
    default:
        return fail(r, 500, "store_error", "the renewals could not be saved; nothing was changed", NULL);
    }
}

static json_t *renewal_json(const service_renewal *rn, const char *lang)
{
    return json_pack("{s:I, s:I, s:i, s:o, s:o, s:o, s:o}", "id", (json_int_t)rn->id, "service_id",
                     (json_int_t)rn->service_id, "period_months", rn->period_months, "old_expires_at",
                     jout_time(rn->old_expires_at), "new_expires_at", jout_time(rn->new_expires_at), "amount",
                     money_json(rn->amount_minor, rn->currency, lang), "transfer_id",
                     rn->transfer_id ? json_integer(rn->transfer_id) : json_null());
}

/* Card or PayPal: 201 {"renewals": [], "total", "payment"}; the selection is
 * renewed when the gateway confirms the payment. One payment per key. */
static void post_renewals_gateway(http_request *r, int64_t org_id, const renewal_item *items, int n,
                                  const payment *card, const idem *k)
{
    const char *method = card->method;
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res;
    payment p;
    int status;
    const char *code;
    if (!renewals_pay_start(r, org_id, items, n, method, card, k->key, &res, out, &p, &status, &code)) {
        if (res != RENEWALS_OK)
            return answer_failure(r, res, out);
        const char *msg = status == 422   ? "pay_with: this payment method is not available for this currency"
                          : status == 409 ? "the Idempotency-Key was used for another payment"
                          : status == 502 ? "the payment gateway cannot be reached; try again with the same key"
                                          : "the payment could not be saved";
        return http_error(r, status, code, msg, status == 422 ? "pay_with" : NULL);
    }
    json_t *j = payment_json(r->app, &p, r->lang);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the payment", NULL);
    http_json(r, 201, json_pack("{s:[], s:o, s:o, s:o, s:n, s:o}", "renewals", "total",
                                money_json(out->total_minor, out->currency, r->lang), "vat",
                                money_json(out->tax.vat_minor, out->currency, r->lang), "gross",
                                money_json(out->tax.gross_minor, out->currency, r->lang), "invoice_id", "payment", j));
}

static void post_renewals(http_request *r)
{
    static const char *const pay_with[] = {"balance", "card", "paypal", NULL};
    int64_t org_id;
    json_t *b;
    int n = 0;
    idem k;
    const char *pay = NULL;
    renewal_item *items = arena_alloc(r->a, sizeof *items * RENEWALS_ITEMS_MAX);
    payment card = {0};
    if (!org_or_reply(r, &org_id) || !jin_body(r, &b) || !read_items(r, b, items, &n) ||
        !jin_enum(r, b, "pay_with", JIN_OPTIONAL, pay_with, &pay))
        return;
    bool by_gateway = pay && strcmp(pay, "balance");
    if (by_gateway) {
        snprintf(card.method, sizeof card.method, "%s", pay);
        if (!payment_card_choice(r, b, org_id, &card))
            return;
    }
    if (!idem_start(r, arena_printf(r->a, "user:%" PRId64 ":org:%" PRId64, r->user_id, org_id), &k))
        return;
    if (by_gateway)
        return post_renewals_gateway(r, org_id, items, n, &card, &k);
    if (!idem_begin(r, &k))
        return;
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res = renewals_pay(r->db, r->app, org_id, r->user_id, items, n, (int64_t)time(NULL), "balance", out);
    if (res != RENEWALS_OK)
        return answer_failure(r, res, out);
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, renewal_json(&out->done[i], r->lang));
    idem_save_and_answer(r, &k, 201, json_pack("{s:o, s:o, s:o, s:o, s:I}", "renewals", list, "total",
                                               money_json(out->total_minor, out->currency, r->lang), "vat",
                                               money_json(out->tax.vat_minor, out->currency, r->lang), "gross",
                                               money_json(out->tax.gross_minor, out->currency, r->lang),
                                               "invoice_id", (json_int_t)out->invoice_id));
}

static void post_proformas(http_request *r)
{
    int64_t org_id;
    json_t *b;
    int n = 0;
    renewal_item *items = arena_alloc(r->a, sizeof *items * RENEWALS_ITEMS_MAX);
    if (!org_or_reply(r, &org_id) || !jin_body(r, &b) || !read_items(r, b, items, &n))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the pro-forma could not be saved", NULL);
    renewals_outcome *out = arena_alloc(r->a, sizeof *out);
    renewals_result res = renewals_proforma(r->db, r->app, org_id, r->user_id, items, n, (int64_t)time(NULL), out);
    if (res != RENEWALS_OK)
        return answer_failure(r, res, out);
    if (db_commit(r->db) != DB_OK)
        return fail(r, 500, "store_error", "the pro-forma could not be saved", NULL);
    document doc;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * (size_t)n);
    if (!documents_get(r->db, org_id, out->invoice_id, &doc, lines, (size_t)n, NULL))
        return http_error(r, 500, "store_error", "cannot read the pro-forma", NULL);
    http_json(r, 201, document_json(&doc, r->lang));
}

void renewals_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/renewals/due", get_due, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/renewals", post_renewals, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/proformas", post_proformas, ROUTE_USER);
}
