/* billing_card.c - the saved card in the billing run (see billing_card.h). */
#include "jobs/billing_card.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/currency.h"
#include "core/zone.h"
#include "feature/cards/cards.h"
#include "feature/ledger/ledger.h"
#include "feature/payments/payments.h"
#include "feature/services/service_renew.h"
#include "jobs/billing_vat.h"
#include "lib/log.h"

/* One charge to make: the shortfall of a renewal. */
typedef struct plan {
    int64_t org_id;
    char currency[4];
    int64_t shortfall_minor;
    char key[BILLING_CARD_KEY_MAX];
} plan;

/* What is left of one organization's balance in one currency, as the batch
 * would spend it renewing in order. */
typedef struct purse {
    int64_t org_id;
    char currency[4];
    int64_t left_minor;
} purse;

bool billing_renews_now(const billing_run_opts *o, const service *s)
{
    return s->auto_renew && s->expires_at <= o->at + (int64_t)o->renewal_window_days * BILLING_DAY_S;
}

static void key_of(const service *s, char out[BILLING_CARD_KEY_MAX])
{
    snprintf(out, BILLING_CARD_KEY_MAX, "renewal-card:%" PRId64 ":%" PRId64, s->id, s->expires_at);
}

/* The purse of (org, currency) among the n known, added with its balance when new. NULL on a store error. */
static purse *purse_of(db *d, purse *purses, int *n, const service *s)
{
    for (int i = 0; i < *n; i++)
        if (purses[i].org_id == s->org_id && !strcmp(purses[i].currency, s->currency))
            return &purses[i];
    purse *p = &purses[(*n)++];
    *p = (purse){.org_id = s->org_id};
    snprintf(p->currency, sizeof p->currency, "%s", s->currency);
    int64_t wallet = 0;
    ledger_result lr = ledger_wallet(d, s->org_id, s->currency, false, &wallet);
    if (lr == LEDGER_NOT_FOUND || (lr == LEDGER_OK && !wallet))
        return p;
    return lr == LEDGER_OK && ledger_balance(d, wallet, &p->left_minor) == LEDGER_OK ? p : NULL;
}

/* Reads the batch and works out the charges (writes nothing); *n plans. False on a store error. */
static bool make_plans(db *d, const billing_run_opts *o, int64_t after_id, int64_t until, service *batch, int max,
                       plan *plans, int *n)
{
    *n = 0;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    purse *purses = calloc((size_t)max, sizeof *purses);
    billing_vat_cache *vat = calloc(1, sizeof *vat);
    char date[11];
    if (!purses || !vat || !zone_provider_date(o->at, date))
        abort();
    int count = service_due_batch(d, after_id, until, batch, max), known = 0;
    bool ok = count >= 0;
    for (int i = 0; ok && i < count; i++) {
        const service *s = &batch[i];
        int64_t price = 0;
        int priced = billing_renews_now(o, s) ? service_renew_price(d, NULL, s, s->period_months, &price) : 0;
        sale_tax tax;
        sale_tax_result taxed = priced == 1 ? billing_vat_of(d, o->ap, vat, date, s, price, &tax) : SALE_TAX_OK;
        purse *p = priced == 1 && taxed == SALE_TAX_OK ? purse_of(d, purses, &known, s) : NULL;
        ok = priced >= 0 && taxed != SALE_TAX_STORE_ERROR && (priced == 0 || taxed != SALE_TAX_OK || p);
        if (!ok || !p)
            continue;
        p->left_minor -= tax.gross_minor; /* the renewal charges its price and its VAT */
        if (p->left_minor >= 0)
            continue;
        plan *pl = &plans[(*n)++];
        *pl = (plan){.org_id = s->org_id, .shortfall_minor = -p->left_minor};
        snprintf(pl->currency, sizeof pl->currency, "%s", s->currency);
        key_of(s, pl->key);
        p->left_minor = 0; /* the charge brings it to exactly the gross */
    }
    free(purses);
    free(vat);
    db_rollback(d); /* nothing was written: the transaction only read */
    return ok;
}

bool billing_card_charge_batch(db *d, const billing_run_opts *o, int64_t after_id, int64_t until, service *batch,
                               int max)
{
    assert(!db_in_tx(d) && max > 0);
    if (!gateway_get(o->ap->cfg))
        return true; /* no gateway: no card can be charged */
    plan *plans = calloc((size_t)max, sizeof *plans);
    if (!plans)
        abort();
    int n;
    bool ok = make_plans(d, o, after_id, until, batch, max, plans, &n);
    for (int i = 0; ok && i < n; i++) {
        payment p;
        money amount = money_make(plans[i].shortfall_minor, currency_find(plans[i].currency));
        assert(amount.cur);
        card_charge_result res = cards_charge_default(d, o->ap, plans[i].org_id, amount, plans[i].key, &p);
        ok = res != CARD_CHARGE_STORE_ERROR;
        if (res == CARD_CHARGE_PENDING || res == CARD_CHARGE_DECLINED)
            log_warn("billing_card", "org_id=%" PRId64 " key=%s outcome=%s", plans[i].org_id, plans[i].key,
                     res == CARD_CHARGE_PENDING ? "pending" : "declined");
    }
    free(plans);
    return ok;
}

int billing_card_declined(db *d, const service *s)
{
    char key[BILLING_CARD_KEY_MAX];
    payment p;
    key_of(s, key);
    int found = payment_by_key(d, s->org_id, key, &p);
    if (found <= 0)
        return found;
    return !strcmp(p.method, "card") && (!strcmp(p.status, "failed") || !strcmp(p.status, "canceled"));
}
