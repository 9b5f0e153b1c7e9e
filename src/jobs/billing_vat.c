/* billing_vat.c - see billing_vat.h. */
#include "jobs/billing_vat.h"

#include <assert.h>
#include <string.h>

void billing_vat_reset(billing_vat_cache *c)
{
    memset(c, 0, sizeof *c);
}

sale_tax_result billing_vat_of(db *d, const struct app *ap, billing_vat_cache *c, const char *date, const service *s,
                               int64_t price_minor, sale_tax *out)
{
    assert(s->org_id > 0 && price_minor >= 0);
    billing_vat_slot *slot = &c->slot[(uint64_t)s->org_id % BILLING_VAT_SLOTS];
    if (slot->org_id != s->org_id) {
        slot->result = sale_tax_decide(d, ap, s->org_id, 0, date, &slot->tax);
        if (slot->result == SALE_TAX_STORE_ERROR)
            return SALE_TAX_STORE_ERROR; /* not cached: a retried batch asks again */
        slot->org_id = s->org_id;
    }
    if (slot->result != SALE_TAX_OK)
        return slot->result;
    *out = slot->tax;
    return sale_tax_compute(out, &price_minor, 1) ? SALE_TAX_OK : SALE_TAX_UNDECIDED;
}
