/* vat_preview.c - see vat_preview.h. */
#include "feature/vat/vat_preview.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/vat_id.h"
#include "feature/addresses/addresses.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat_rates.h"

vat_preview_result vat_preview(db *d, int64_t org_id, const char *seller_country, const char *date,
                               vat_evidence *ev, vat_status *status, vat_decision *out)
{
    assert(org_id > 0 && seller_country && date && strlen(date) == 10);
    memset(ev, 0, sizeof *ev);
    memcpy(ev->date, date, sizeof ev->date);
    org_profile p;
    int found = org_profile_get(d, org_id, &p);
    if (found <= 0)
        return found < 0 ? VAT_PREVIEW_STORE_ERROR : VAT_PREVIEW_NOT_FOUND;
    snprintf(ev->vat_id, sizeof ev->vat_id, "%s", p.vat_id);
    ev->vat_id_valid = ev->vat_id[0] && vat_id_check(ev->vat_id) == VAT_ID_OK;
    ev->business = ev->vat_id_valid;
    address a;
    int n = address_list(d, org_id, &a, 1); /* the default comes first */
    if (n <= 0)
        return n < 0 ? VAT_PREVIEW_STORE_ERROR : VAT_PREVIEW_NO_ADDRESS;
    assert(a.is_default);
    memcpy(ev->billing_country, a.f.country, sizeof ev->billing_country);
    vat_sale sale = {seller_country, ev->billing_country, ev->business, true, ev->date};
    vat_rates_ctx ctx = {d, false};
    *status = vat_decide(&sale, vat_rates_lookup, &ctx, out);
    return ctx.store_error ? VAT_PREVIEW_STORE_ERROR : VAT_PREVIEW_DECIDED;
}

static json_t *text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

json_t *vat_evidence_json(const vat_evidence *ev)
{
    return json_pack("{s:o, s:o, s:b, s:b, s:s}", "billing_country", text_or_null(ev->billing_country), "vat_id",
                     text_or_null(ev->vat_id), "vat_id_valid", ev->vat_id_valid, "business", ev->business, "date",
                     ev->date);
}

json_t *vat_decision_json(const vat_decision *d)
{
    char rate[8];
    vat_rate_text(d->rate_bp, rate);
    return json_pack("{s:s, s:i, s:s, s:o, s:s, s:o}", "scheme", vat_scheme_name(d->scheme), "rate_bp", d->rate_bp,
                     "rate", rate, "rate_country", text_or_null(d->rate_country), "mention",
                     vat_mention_name(d->mention), "mention_text", text_or_null(d->mention_text));
}
