/* renewals_payment.c - a To pay selection paid by card or PayPal on the
 * gateway's hosted page. Nothing is renewed when the payment starts: the
 * selection (service ids and periods) is kept as JSON with the payment
 * (purpose "renewals"), whose amount is the gross (net + VAT) priced then. When
 * payment_sync sees it succeeded it credits the wallet and calls
 * renewals_settle_payment in the same transaction, which pays the selection
 * from that balance through renewals_pay, all or none; when it can no longer
 * be renewed (or costs something else now) the money stays as balance. */
#include "feature/renewals/renewals.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/currency.h"

static const char *kept_text(http_request *r, const renewal_item *items, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:i}", "service_id", (json_int_t)items[i].service_id, "period",
                                              items[i].months));
    json_t *j = json_pack("{s:o}", "items", list);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort();
    const char *copy = arena_strdup(r->a, text);
    free(text);
    return copy;
}

bool renewals_pay_start(http_request *r, int64_t org_id, const renewal_item *items, int n, const char *method,
                        const payment *card, const char *idem_key, renewals_result *res, renewals_outcome *out, payment *p, int *status,
                        const char **code)
{
    assert(!strcmp(method, "card") || !strcmp(method, "paypal"));
    *status = 0;
    *code = NULL;
    if ((*res = renewals_check(r->db, r->app, org_id, r->user_id, items, n, out)) != RENEWALS_OK)
        return false;
    char country[3];
    payment_org_country(r->db, r->app, org_id, country);
    if (!gateway_get(r->app->cfg) || !payment_method_enabled(payment_method_find(method), out->currency, country))
        return *status = 422, *code = "method_not_available", false;
    payment in = {.org_id = org_id, .user_id = r->user_id, .purpose = "renewals",
                  .amount = money_make(out->tax.gross_minor, currency_find(out->currency)),
                  .purpose_data = kept_text(r, items, n)};
    snprintf(in.method, sizeof in.method, "%s", method);
    snprintf(in.idem_key, sizeof in.idem_key, "%s", idem_key);
    if (card) {
        in.save_method = card->save_method;
        snprintf(in.card_token, sizeof in.card_token, "%s", card->card_token);
    }
    if (!payment_start(r, &in, p, status, code))
        return false;
    /* A saved card is charged off-session and decided at once: settle now. */
    if (in.card_token[0] && payment_sync(r->db, r->app, p, NULL, NULL) == SYNC_STORE_ERROR)
        return *status = 500, *code = "store_error", false;
    return true;
}

payment_purpose_result renewals_settle_payment(db *d, const struct app *ap, arena *a, const payment_purpose_in *pin,
                                               const char **why)
{
    const payment *p = pin->p;
    assert(db_in_tx(d) && !strcmp(p->purpose, "renewals"));
    json_t *list = json_object_get(pin->data, "items");
    int n = (int)json_array_size(list);
    if (n < 1 || n > RENEWALS_ITEMS_MAX)
        return *why = "invalid_selection", PURPOSE_REFUSED;
    renewal_item *items = arena_alloc(a, sizeof *items * (size_t)n);
    for (int i = 0; i < n; i++) {
        json_t *it = json_array_get(list, (size_t)i);
        items[i] = (renewal_item){json_integer_value(json_object_get(it, "service_id")),
                                  (int)json_integer_value(json_object_get(it, "period"))};
    }
    renewals_outcome *out = arena_alloc(a, sizeof *out);
    static const char *const reasons[RENEWALS_RESULT_COUNT] = {
        [RENEWALS_NOT_FOUND] = "not_found", [RENEWALS_NOT_RENEWABLE] = "not_renewable",
        [RENEWALS_BAD_PERIOD] = "invalid_period", [RENEWALS_DUPLICATE] = "invalid_selection",
        [RENEWALS_MIXED_CURRENCIES] = "mixed_currencies", [RENEWALS_INSUFFICIENT_FUNDS] = "price_changed",
        [RENEWALS_CONFLICT] = "conflict", [RENEWALS_VAT_UNDECIDED] = "vat_undecided",
    };
    renewals_result res = renewals_pay(d, ap, p->org_id, p->user_id, items, n, (int64_t)time(NULL), p->method, out);
    if (res == RENEWALS_STORE_ERROR)
        return PURPOSE_ERROR;
    if (res != RENEWALS_OK)
        return *why = reasons[res], PURPOSE_REFUSED;
    if (strcmp(out->currency, p->amount.cur->code) || out->tax.gross_minor != p->amount.minor)
        return *why = "price_changed", PURPOSE_REFUSED; /* the renewals are rolled back */
    return PURPOSE_DONE;
}
