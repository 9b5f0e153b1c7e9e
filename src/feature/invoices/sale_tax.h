/* sale_tax.h - the one place that decides the VAT of a sale (an order, a
 * renewal, a pro-forma) and adds it to its net lines. The decision is the
 * provider's (provider.country as seller) for the buyer's evidence as
 * vat_preview gathers it: the country of the billing address the sale names
 * (else the organization's default one) and whether the organization is a
 * business with a valid VAT ID. An organization without a billing address
 * is a consumer in the provider's country, as documents are (docs/VAT.md).
 * Prices are net: the VAT is computed per rate on the sum of the lines at
 * that rate (vat_totals: rounded once per rate) and the gross is net + VAT. */
#ifndef SALDO_SALE_TAX_H
#define SALDO_SALE_TAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vat.h"
#include "feature/addresses/addresses.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat_preview.h"
#include "store/db.h"

struct app;

/* The tax of one sale: the evidence and the decision, and once computed the
 * totals per rate and the amounts. */
typedef struct sale_tax {
    int64_t address_id;       /* the billing address the sale named; 0 = the default one */
    vat_evidence evidence;
    vat_decision decision;
    vat_total totals[VAT_TOTALS_MAX];
    size_t total_count;
    int64_t net_minor, vat_minor, gross_minor;
} sale_tax;

typedef enum sale_tax_result {
    SALE_TAX_OK,
    SALE_TAX_UNDECIDED,   /* vat_decide refused (no rate in force, a country it does not know) */
    SALE_TAX_NOT_FOUND,   /* no such organization, or address_id is not one of its addresses */
    SALE_TAX_STORE_ERROR,
} sale_tax_result;

/* What the decision read of the buyer: the organization's profile and the
 * billing address the sale is taxed for (the one it named, else the
 * default one; has_address false when it has none). A caller that issues
 * the sale's invoice in the same transaction frames it from this
 * (invoices_sale_frame_buyer) instead of reading both again. */
typedef struct sale_buyer {
    org_profile profile;
    bool has_address;
    address address;
} sale_buyer;

/* Decides the VAT of an electronic service sold to org_id on date
 * ("YYYY-MM-DD") with the billing address address_id (0 = the default
 * one). Fills out->evidence and out->decision; the amounts are zero. */
sale_tax_result sale_tax_decide(db *d, const struct app *ap, int64_t org_id, int64_t address_id, const char *date,
                                sale_tax *out);

/* sale_tax_decide that also gives what it read of the buyer (*buyer is
 * filled when the result is SALE_TAX_OK or SALE_TAX_UNDECIDED). */
sale_tax_result sale_tax_decide_buyer(db *d, const struct app *ap, int64_t org_id, int64_t address_id,
                                      const char *date, sale_tax *out, sale_buyer *buyer);

/* The VAT of n net amounts (>= 0) all at t->decision's rate: fills the
 * totals per rate, net, VAT and gross. False on overflow. */
bool sale_tax_compute(sale_tax *t, const int64_t *net_minor, size_t n);

#endif
