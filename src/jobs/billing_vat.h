/* billing_vat.h - the VAT of the billing run's renewals: decided once per
 * organization per batch (sale_tax, the organization's default billing
 * address, on the run's date) and kept in a small cache, so that a batch of
 * thousands of services decides it once per organization, not per service.
 * The saved-card planning (billing_card.c) and the renewals themselves
 * (billing_run.c) use the same decision, so the card tops up the gross. */
#ifndef SALDO_BILLING_VAT_H
#define SALDO_BILLING_VAT_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/invoices/sale_tax.h"
#include "feature/services/services.h"
#include "store/db.h"

struct app;

enum { BILLING_VAT_SLOTS = 64 }; /* direct-mapped by organization id */

/* One organization's decision. */
typedef struct billing_vat_slot {
    int64_t org_id;          /* 0 = empty */
    sale_tax_result result;
    sale_tax tax;            /* the decision (amounts unused) */
} billing_vat_slot;

/* Valid inside one batch's transaction: reset it at every db_begin. */
typedef struct billing_vat_cache {
    billing_vat_slot slot[BILLING_VAT_SLOTS];
} billing_vat_cache;

void billing_vat_reset(billing_vat_cache *c);

/* The tax of one renewal of s at net price_minor on date ("YYYY-MM-DD"):
 * *out is the decision with its amounts. SALE_TAX_OK, SALE_TAX_UNDECIDED (no
 * rate: the renewal cannot be charged), SALE_TAX_NOT_FOUND or
 * SALE_TAX_STORE_ERROR. */
sale_tax_result billing_vat_of(db *d, const struct app *ap, billing_vat_cache *c, const char *date, const service *s,
                               int64_t price_minor, sale_tax *out);

#endif
