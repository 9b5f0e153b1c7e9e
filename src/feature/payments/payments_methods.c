/* payments_methods.c - which top-up methods an organization may use, and the
 * amounts a top-up may have. A small table in code (documented in
 * docs/ARCHITECTURE.md, "Payments"): each method lists the currencies it
 * takes and the countries where it is not offered. */
#include "feature/payments/payments.h"

#include <assert.h>
#include <string.h>

#include "app.h"
#include "feature/addresses/addresses.h"

const payment_method payment_methods[PAYMENT_METHOD_COUNT] = {
    {"card", "Card", "immediate", true},
    {"wallet", "Apple Pay or Google Pay", "immediate", true},
    {"paypal", "PayPal", "immediate", true},
    {"crypto", "Bitcoin", "after network confirmation", true},
    {"bank_transfer", "Bank transfer", "1-3 business days", false},
};

/* Per method: the currencies (space separated) and the countries where it is off. */
static const struct {
    const char *code, *currencies, *countries_off;
} rules[PAYMENT_METHOD_COUNT] = {
    {"card", "EUR USD GBP CHF", ""},
    {"wallet", "EUR USD GBP CHF", ""},
    {"paypal", "EUR USD GBP", "AF CU IR KP SY"},
    {"crypto", "EUR USD", ""},
    {"bank_transfer", "EUR", ""},
};

/* Top-up limits, the same in each currency taken (all have two decimals). */
#define TOPUP_MIN_MINOR 500       /* 5.00 */
#define TOPUP_MAX_MINOR 1000000   /* 10 000.00 */

const payment_method *payment_method_find(const char *code)
{
    for (size_t i = 0; code && i < PAYMENT_METHOD_COUNT; i++)
        if (!strcmp(payment_methods[i].code, code))
            return &payment_methods[i];
    return NULL;
}

/* Whether the space-separated list holds the word w (3 or 2 letters). */
static bool listed(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

bool payment_method_enabled(const payment_method *m, const char *code, const char *country)
{
    size_t i = (size_t)(m - payment_methods);
    assert(i < PAYMENT_METHOD_COUNT && !strcmp(rules[i].code, m->code));
    return strlen(code) == 3 && listed(rules[i].currencies, code) && !listed(rules[i].countries_off, country);
}

const char *payment_amount_problem(money amount)
{
    if (!listed("EUR USD GBP CHF", amount.cur->code))
        return "amount: top-ups are possible in EUR, USD, GBP and CHF";
    if (amount.minor < TOPUP_MIN_MINOR)
        return "amount: the smallest top-up is 5.00";
    if (amount.minor > TOPUP_MAX_MINOR)
        return "amount: the largest top-up is 10000.00";
    return NULL;
}

void payment_org_country(db *d, const app *ap, int64_t org_id, char out[3])
{
    address a;
    const char *c = address_default(d, org_id, &a) ? a.f.country : ap->cfg->provider.country;
    memcpy(out, c, 2);
    out[2] = '\0';
}
