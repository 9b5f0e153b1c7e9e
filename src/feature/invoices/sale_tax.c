/* sale_tax.c - see sale_tax.h. */
#include "feature/invoices/sale_tax.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/checked.h"
#include "core/vat_id.h"
#include "feature/addresses/addresses.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat_rates.h"

/* The billing address: address_id, else the default one (else none:
 * buyer->has_address false). 1 found, 0 address_id is not org_id's, -1
 * store error. */
static int billing_address(db *d, int64_t org_id, int64_t address_id, sale_buyer *buyer)
{
    buyer->has_address = false;
    if (address_id) {
        if (!address_snapshot(d, org_id, address_id, &buyer->address))
            return 0;
        buyer->has_address = true;
        return 1;
    }
    int n = address_first(d, org_id, &buyer->address);
    if (n < 0)
        return -1;
    buyer->has_address = n > 0;
    return 1;
}

sale_tax_result sale_tax_decide_buyer(db *d, const app *ap, int64_t org_id, int64_t address_id, const char *date,
                                      sale_tax *out, sale_buyer *buyer)
{
    assert(org_id > 0 && address_id >= 0 && date && strlen(date) == 10 && buyer);
    memset(out, 0, sizeof *out);
    out->address_id = address_id;
    vat_evidence *ev = &out->evidence;
    memcpy(ev->date, date, sizeof ev->date);
    org_profile *p = &buyer->profile;
    int found = org_profile_get(d, org_id, p);
    if (found <= 0)
        return found < 0 ? SALE_TAX_STORE_ERROR : SALE_TAX_NOT_FOUND;
    snprintf(ev->vat_id, sizeof ev->vat_id, "%s", p->vat_id);
    ev->vat_id_valid = ev->vat_id[0] && vat_id_check(ev->vat_id) == VAT_ID_OK;
    ev->business = ev->vat_id_valid;
    found = billing_address(d, org_id, address_id, buyer);
    if (found <= 0)
        return found < 0 ? SALE_TAX_STORE_ERROR : SALE_TAX_NOT_FOUND;
    snprintf(ev->billing_country, sizeof ev->billing_country, "%s",
             buyer->has_address ? buyer->address.f.country : ap->cfg->provider.country);
    vat_sale sale = {ap->cfg->provider.country, ev->billing_country, ev->business, true, ev->date};
    vat_rates_ctx ctx = {d, false};
    vat_status st = vat_decide(&sale, vat_rates_lookup, &ctx, &out->decision);
    if (ctx.store_error)
        return SALE_TAX_STORE_ERROR;
    return st == VAT_OK ? SALE_TAX_OK : SALE_TAX_UNDECIDED;
}

sale_tax_result sale_tax_decide(db *d, const app *ap, int64_t org_id, int64_t address_id, const char *date,
                                sale_tax *out)
{
    sale_buyer buyer;
    return sale_tax_decide_buyer(d, ap, org_id, address_id, date, out, &buyer);
}

bool sale_tax_compute(sale_tax *t, const int64_t *net_minor, size_t n)
{
    assert(t && (net_minor || !n));
    vat_line one = {t->decision.rate_bp, 0};
    for (size_t i = 0; i < n; i++) {
        assert(net_minor[i] >= 0);
        if (!checked_add(one.net_minor, net_minor[i], &one.net_minor))
            return false;
    }
    /* One decision per sale: every line has its rate, so one total. */
    if (!vat_totals(&one, 1, t->totals, &t->total_count))
        return false;
    t->net_minor = t->totals[0].net_minor;
    t->vat_minor = t->totals[0].vat_minor;
    return checked_add(t->net_minor, t->vat_minor, &t->gross_minor);
}
