/* vat_preview.h - the VAT an organization's purchases get today (or on a
 * date): the evidence it is decided from (billing country of the default
 * billing address, VAT ID and whether it is valid, business or consumer)
 * and vat_decide's answer for the provider as seller. The organization page
 * and GET /api/v1/orgs/{org_id}/vat-preview show it; invoices will store the
 * same evidence with each invoice (vat_evidence_json). */
#ifndef SALDO_VAT_PREVIEW_H
#define SALDO_VAT_PREVIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/fiscal_code.h"
#include "core/vat.h"
#include "store/db.h"

typedef struct vat_evidence {
    char billing_country[3]; /* "" when the organization has no billing address */
    char vat_id[FISCAL_INPUT_LEN_MAX + 1]; /* "" when none */
    bool vat_id_valid;       /* syntax and check digits (core/vat_id.h) */
    bool business;           /* a valid VAT ID: sold to as a business */
    char date[11];           /* "YYYY-MM-DD" */
} vat_evidence;

typedef enum vat_preview_result {
    VAT_PREVIEW_DECIDED,      /* *status says how vat_decide answered */
    VAT_PREVIEW_NO_ADDRESS,   /* no billing address: no country to decide from */
    VAT_PREVIEW_NOT_FOUND,    /* no such organization */
    VAT_PREVIEW_STORE_ERROR,
} vat_preview_result;

/* Gathers org_id's evidence on date ("YYYY-MM-DD") and decides the VAT of an
 * electronically supplied service (what the provider sells) from
 * seller_country. */
vat_preview_result vat_preview(db *d, int64_t org_id, const char *seller_country, const char *date,
                               vat_evidence *ev, vat_status *status, vat_decision *out);

/* {"billing_country", "vat_id", "vat_id_valid", "business", "date"} (nulls for "") */
json_t *vat_evidence_json(const vat_evidence *ev);
/* {"scheme", "rate_bp", "rate", "rate_country", "mention", "mention_text"}
 * (rate_country and mention_text null when none). */
json_t *vat_decision_json(const vat_decision *d);

#endif
