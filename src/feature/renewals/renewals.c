/* renewals.c - services due and paying their renewals together (see
 * renewals.h). Every check is made before anything is written: on PostgreSQL
 * a failed statement would abort the caller's transaction, and a customer
 * told "insufficient funds" must find nothing changed.
 *
 * VAT: prices are net; the selection's VAT is decided once (sale_tax) and
 * rounded once on its total, then shared over the renewals by their prices
 * (money_allocate) so that what the renewals charge adds up to the invoice. */
#include "feature/renewals/renewals_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/period.h"
#include "core/zone.h"
#include "feature/addresses/addresses.h"
#include "feature/invoices/sale_invoice.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"

enum { DAY_S = 86400 };

static const int year_periods[] = {12, 24, 36, 48, 60};

int renewals_quotes(db *d, service_renew_cache *c, const service *s, renewal_quote *out)
{
    int months[RENEWALS_PERIODS_MAX], n = 0, found = 0;
    if (s->period_months % 12)
        months[n++] = s->period_months; /* a monthly service may go on monthly */
    for (size_t i = 0; i < sizeof year_periods / sizeof year_periods[0]; i++)
        months[n++] = year_periods[i];
    assert(n <= RENEWALS_PERIODS_MAX);
    for (int i = 0; i < n; i++) {
        int64_t price;
        int priced = service_renew_price(d, c, s, months[i], &price);
        if (priced < 0)
            return -1;
        if (priced == 1)
            out[found++] = (renewal_quote){months[i], price};
    }
    return found;
}

/* 1 when user_id may act on s (its product's category counts too), 0 when
 * not, -1 on a store error; *p is its product, in cache c. */
static int may_act(db *d, service_renew_cache *c, int64_t user_id, const service *s, const catalog_product **p)
{
    assert(c);
    catalog_product unused;
    int known = service_renew_product(d, c, s, &unused, p);
    if (known != 1)
        return known;
    return org_user_may_service(d, user_id, s->org_id, s->id, (*p)->category_id) ? 1 : 0;
}

service_renew_cache *renewals_cache_new(void)
{
    service_renew_cache *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    return c;
}

int renewals_due(db *d, int64_t org_id, int64_t user_id, int64_t now, int window_days, const char *lang,
                 renewal_due *out, int max)
{
    assert(org_id > 0 && max > 0 && max <= RENEWALS_DUE_MAX && window_days > 0);
    service *list = calloc((size_t)max, sizeof *list);
    service_renew_cache *c = renewals_cache_new();
    if (!list)
        abort();
    int n = service_due_for_org(d, org_id, now + (int64_t)window_days * DAY_S, list, max), kept = 0;
    for (int i = 0; i < n; i++) {
        const catalog_product *p;
        int may = may_act(d, c, user_id, &list[i], &p);
        if (may < 0) {
            kept = -1;
            break;
        }
        if (!may)
            continue;
        renewal_due *due = &out[kept];
        memset(due, 0, sizeof *due);
        due->s = list[i];
        snprintf(due->product_name, sizeof due->product_name, "%s", catalog_product_name(p, lang));
        due->quote_count = renewals_quotes(d, c, &list[i], due->quotes);
        if (due->quote_count < 0) {
            kept = -1;
            break;
        }
        kept++;
    }
    free(list);
    free(c);
    return n < 0 ? -1 : kept;
}

bool renewals_balance(db *d, int64_t org_id, const char *currency_code, int64_t *out_minor)
{
    int64_t wallet;
    *out_minor = 0;
    ledger_result r = ledger_wallet(d, org_id, currency_code, false, &wallet);
    if (r == LEDGER_NOT_FOUND)
        return true;
    return r == LEDGER_OK && ledger_balance(d, wallet, out_minor) == LEDGER_OK;
}

/* The price of renewing s for months, or RENEWALS_BAD_PERIOD. */
static renewals_result price_of(db *d, service_renew_cache *c, const service *s, int months, int64_t *price)
{
    renewal_quote q[RENEWALS_PERIODS_MAX];
    int n = renewals_quotes(d, c, s, q);
    if (n < 0)
        return RENEWALS_STORE_ERROR;
    for (int i = 0; i < n; i++)
        if (q[i].months == months) {
            *price = q[i].price_minor;
            return RENEWALS_OK;
        }
    return RENEWALS_BAD_PERIOD;
}

/* Reads and checks item i into *s, adding its price to out's total. */
static renewals_result check_item(db *d, service_renew_cache *c, int64_t org_id, int64_t user_id,
                                  const renewal_item *items, int i, service *s, renewals_outcome *out)
{
    for (int j = 0; j < i; j++)
        if (items[j].service_id == items[i].service_id)
            return RENEWALS_DUPLICATE;
    int found = service_get(d, org_id, items[i].service_id, s);
    const catalog_product *p;
    int may = found == 1 ? may_act(d, c, user_id, s, &p) : found;
    if (may != 1)
        return may < 0 ? RENEWALS_STORE_ERROR : RENEWALS_NOT_FOUND;
    if (s->status != SERVICE_ACTIVE && s->status != SERVICE_SUSPENDED)
        return RENEWALS_NOT_RENEWABLE;
    if (i == 0)
        snprintf(out->currency, sizeof out->currency, "%s", s->currency);
    else if (strcmp(out->currency, s->currency))
        return RENEWALS_MIXED_CURRENCIES;
    int64_t price = 0;
    renewals_result r = price_of(d, c, s, items[i].months, &price);
    if (r != RENEWALS_OK)
        return r;
    if (price > LEDGER_AMOUNT_MAX / 2 - out->total_minor)
        return RENEWALS_BAD_PERIOD; /* beyond what one payment may move, VAT included */
    out->net_minor[i] = price;
    out->total_minor += price;
    return RENEWALS_OK;
}

static renewals_result renew_all(db *d, service_renew_cache *c, const service *list, const renewal_item *items,
                                 int n, int64_t now, renewals_outcome *out)
{
    for (int i = 0; i < n; i++) {
        out->bad_item = i;
        switch (service_renew(d, c, &list[i], items[i].months, out->vat_minor[i], SERVICE_RENEW_MANUAL, now,
                              &out->done[i])) {
        case SERVICE_RENEW_OK:
            break;
        case SERVICE_RENEW_INSUFFICIENT_FUNDS: /* spent meanwhile by another payment */
            out->shortfall_minor = out->done[i].shortfall_minor;
            return RENEWALS_INSUFFICIENT_FUNDS;
        case SERVICE_RENEW_CONFLICT:
            return RENEWALS_CONFLICT;
        case SERVICE_RENEW_NO_PRICE:
            return RENEWALS_BAD_PERIOD;
        case SERVICE_RENEW_NOT_RENEWABLE:
            return RENEWALS_NOT_RENEWABLE;
        default:
            return RENEWALS_STORE_ERROR;
        }
    }
    out->bad_item = -1;
    return RENEWALS_OK;
}

/* The selection's VAT: decided for org_id today, on the total, shared over
 * the items by their prices. */
static renewals_result tax_all(db *d, const app *ap, int64_t org_id, int n, int64_t now, renewals_outcome *out)
{
    char today[11];
    if (!zone_provider_date(now, today))
        return RENEWALS_STORE_ERROR;
    switch (sale_tax_decide(d, ap, org_id, 0, today, &out->tax)) {
    case SALE_TAX_OK:
        break;
    case SALE_TAX_UNDECIDED:
        return RENEWALS_VAT_UNDECIDED;
    default:
        return RENEWALS_STORE_ERROR;
    }
    if (!sale_tax_compute(&out->tax, out->net_minor, (size_t)n))
        return RENEWALS_BAD_PERIOD;
    assert(out->tax.net_minor == out->total_minor);
    memset(out->vat_minor, 0, sizeof out->vat_minor);
    if (out->tax.vat_minor == 0)
        return RENEWALS_OK;
    const currency *cur = currency_find(out->currency);
    assert(cur);
    return money_allocate(money_make(out->tax.vat_minor, cur), out->net_minor, (size_t)n, out->vat_minor) == MONEY_OK
               ? RENEWALS_OK
               : RENEWALS_STORE_ERROR;
}

renewals_result renewals_prepare(db *d, const app *ap, service_renew_cache *c, int64_t org_id, int64_t user_id,
                                 const renewal_item *items, int n, int64_t now, service *list, renewals_outcome *out)
{
    renewals_result r = RENEWALS_OK;
    for (int i = 0; i < n && r == RENEWALS_OK; i++) {
        out->bad_item = i;
        r = check_item(d, c, org_id, user_id, items, i, &list[i], out);
    }
    if (r == RENEWALS_OK)
        out->bad_item = -1;
    return r == RENEWALS_OK ? tax_all(d, ap, org_id, n, now, out) : r;
}

bool renewals_doc_lines(db *d, service_renew_cache *c, int64_t org_id, const service *list,
                        const renewal_item *items, int n, const int64_t *net_minor, doc_line *lines)
{
    char lang[3];
    if (!notify_language(d, org_id, lang))
        return false;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        catalog_product scratch;
        const catalog_product *p;
        lines[i] = (doc_line){.quantity = 1, .unit_net_minor = net_minor[i], .net_minor = net_minor[i]};
        ok = service_renew_product(d, c, &list[i], &scratch, &p) == 1 && zone_provider_date(list[i].expires_at, lines[i].period_start) &&
             zone_provider_date(period_add(list[i].expires_at, items[i].months), lines[i].period_end);
        if (ok)
            snprintf(lines[i].description, sizeof lines[i].description, "%s", catalog_product_name(p, lang));
    }
    return ok;
}

/* The invoice of the renewed selection: one line per renewal, its new period. */
static bool invoice_all(db *d, const app *ap, service_renew_cache *c, int64_t org_id, const service *list,
                        const renewal_item *items, int n, const char *method, renewals_outcome *out)
{
    doc_line *lines = calloc((size_t)n, sizeof *lines);
    if (!lines)
        abort();
    bool ok = renewals_doc_lines(d, c, org_id, list, items, n, out->net_minor, lines);
    char key[48];
    snprintf(key, sizeof key, "renewals:%lld", (long long)out->done[0].id); /* renewal ids are unique */
    doc_source src = {.key = key, .renewal_id = out->done[0].id};
    ok = ok && invoices_sale(d, ap, org_id, &out->tax, out->currency, lines, (size_t)n, method, &src,
                             &out->invoice_id);
    free(lines);
    return ok;
}

renewals_result renewals_check(db *d, const app *ap, int64_t org_id, int64_t user_id,
                               const renewal_item *items, int n, renewals_outcome *out)
{
    assert(d && org_id > 0 && n >= 1 && n <= RENEWALS_ITEMS_MAX);
    memset(out, 0, sizeof *out);
    service *list = calloc((size_t)n, sizeof *list);
    service_renew_cache *c = renewals_cache_new();
    if (!list)
        abort();
    renewals_result r = renewals_prepare(d, ap, c, org_id, user_id, items, n, (int64_t)time(NULL), list, out);
    free(list);
    free(c);
    return r;
}

renewals_result renewals_pay(db *d, const app *ap, int64_t org_id, int64_t user_id, const renewal_item *items,
                             int n, int64_t now, const char *method, renewals_outcome *out)
{
    assert(d && db_in_tx(d) && org_id > 0 && n >= 1 && n <= RENEWALS_ITEMS_MAX && method);
    memset(out, 0, sizeof *out);
    service *list = calloc((size_t)n, sizeof *list);
    service_renew_cache *c = renewals_cache_new();
    if (!list)
        abort();
    renewals_result r = renewals_prepare(d, ap, c, org_id, user_id, items, n, now, list, out);
    int64_t balance = 0;
    if (r == RENEWALS_OK) {
        if (!renewals_balance(d, org_id, out->currency, &balance))
            r = RENEWALS_STORE_ERROR;
        else if (balance < out->tax.gross_minor) {
            out->shortfall_minor = out->tax.gross_minor - balance;
            r = RENEWALS_INSUFFICIENT_FUNDS;
        }
    }
    if (r == RENEWALS_OK)
        r = renew_all(d, c, list, items, n, now, out);
    if (r == RENEWALS_OK && (!invoice_all(d, ap, c, org_id, list, items, n, method, out) ||
                             !renewals_proformas_close(d, list, items, n, now, method)))
        r = RENEWALS_STORE_ERROR;
    free(list);
    free(c);
    assert(r != RENEWALS_INSUFFICIENT_FUNDS || out->shortfall_minor > 0);
    return r;
}
