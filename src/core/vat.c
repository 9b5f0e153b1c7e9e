/* vat.c - see vat.h. The decision follows the place-of-supply rules of
 * Directive 2006/112/EC for services: to a business, where the business is
 * (Art. 44; reverse charge, Art. 196); to a consumer, where the supplier is
 * (Art. 45), except electronically supplied services, taxed where the
 * consumer is (Art. 58) and declared through the One Stop Shop. The Italian
 * transposition is DPR 633/72 art. 7-ter and 7-octies; the mentions an
 * Italian invoice carries are those of art. 21 c. 6-bis. */
#include "core/vat.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/checked.h"
#include "core/country.h"
#include "core/number_text.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

static void set_rate(vat_decision *out, const char *country, int rate_bp)
{
    assert(rate_bp >= 0 && rate_bp <= VAT_RATE_BP_MAX);
    out->rate_bp = rate_bp;
    memcpy(out->rate_country, country, 2);
    out->rate_country[2] = '\0';
}

static vat_status taxed_at(const vat_sale *sale, const char *country, vat_rate_lookup lookup, void *ctx,
                           vat_decision *out)
{
    int rate = lookup(ctx, country, sale->date);
    if (rate < 0)
        return VAT_NO_RATE;
    assert(rate <= VAT_RATE_BP_MAX);
    set_rate(out, country, rate);
    return VAT_OK;
}

static void zero_rated(const vat_sale *sale, vat_scheme scheme, vat_mention mention, vat_decision *out)
{
    out->scheme = scheme;
    out->rate_bp = 0;
    out->rate_country[0] = '\0';
    out->mention = mention;
    out->mention_text = vat_mention_text(mention, sale->seller_country);
}

vat_status vat_decide(const vat_sale *sale, vat_rate_lookup lookup, void *ctx, vat_decision *out)
{
    assert(sale && lookup && out && sale->date && strlen(sale->date) == 10);
    memset(out, 0, sizeof *out);
    const char *seller = sale->seller_country, *buyer = sale->buyer_country;
    if (!seller || !country_in_eu(seller))
        return VAT_SELLER_NOT_EU;
    if (!buyer || !country_valid(buyer))
        return VAT_UNKNOWN_COUNTRY;
    vat_decision d = {0};
    vat_status st = VAT_OK;
    bool domestic = !strcmp(seller, buyer);
    if (!domestic && sale->buyer_business && country_in_eu(buyer))
        zero_rated(sale, VAT_SCHEME_REVERSE_CHARGE, VAT_MENTION_REVERSE_CHARGE, &d);
    else if (!domestic && sale->buyer_business)
        zero_rated(sale, VAT_SCHEME_NOT_SUBJECT, VAT_MENTION_NOT_SUBJECT, &d);
    else if (!domestic && sale->electronic && country_in_eu(buyer)) {
        d.scheme = VAT_SCHEME_OSS;
        st = taxed_at(sale, buyer, lookup, ctx, &d);
    } else if (!domestic && sale->electronic)
        zero_rated(sale, VAT_SCHEME_NOT_SUBJECT, VAT_MENTION_NOT_SUBJECT_ESERV, &d);
    else {
        d.scheme = VAT_SCHEME_DOMESTIC; /* same country, or a consumer of an ordinary service (Art. 45) */
        st = taxed_at(sale, seller, lookup, ctx, &d);
    }
    if (st == VAT_OK)
        *out = d;
    assert(st != VAT_OK || out->rate_bp == 0 || out->mention == VAT_MENTION_NONE);
    return st;
}

const char *vat_mention_text(vat_mention mention, const char *seller_country)
{
    assert(mention < VAT_MENTION_COUNT);
    bool it = seller_country && !strcmp(seller_country, "IT");
    switch (mention) {
    case VAT_MENTION_REVERSE_CHARGE:
        return it ? N_("Reverse charge – Art. 196 Directive 2006/112/EC")
                  : N_("Reverse charge: the customer accounts for the VAT – Art. 196 Directive 2006/112/EC");
    case VAT_MENTION_NOT_SUBJECT:
        return it ? N_("Not subject to VAT – art. 7-ter DPR 633/72")
                  : N_("Not subject to EU VAT: place of supply outside the EU – Art. 44 Directive 2006/112/EC");
    case VAT_MENTION_NOT_SUBJECT_ESERV:
        return it ? N_("Not subject to VAT – art. 7-octies DPR 633/72")
                  : N_("Not subject to EU VAT: place of supply outside the EU – Art. 58 Directive 2006/112/EC");
    default: return NULL;
    }
}

const char *vat_scheme_name(vat_scheme scheme)
{
    static const char *const names[] = {"domestic", "reverse_charge", "oss", "not_subject"};
    _Static_assert(sizeof names / sizeof names[0] == VAT_SCHEME_COUNT, "one name per scheme");
    return scheme < VAT_SCHEME_COUNT ? names[scheme] : "?";
}

const char *vat_mention_name(vat_mention mention)
{
    static const char *const names[] = {"none", "reverse_charge", "not_subject", "not_subject_eservice"};
    _Static_assert(sizeof names / sizeof names[0] == VAT_MENTION_COUNT, "one name per mention");
    return mention < VAT_MENTION_COUNT ? names[mention] : "?";
}

const char *vat_status_name(vat_status status)
{
    static const char *const names[] = {"ok", "unknown_country", "seller_not_eu", "no_rate"};
    _Static_assert(sizeof names / sizeof names[0] == VAT_STATUS_COUNT, "one name per status");
    return status < VAT_STATUS_COUNT ? names[status] : "?";
}

bool vat_rate_parse(const char *text, int *rate_bp)
{
    return text && !strchr(text, ',') && percent_text_parse(text, VAT_RATE_BP_MAX, rate_bp);
}

void vat_rate_text(int rate_bp, char out[8])
{
    assert(rate_bp >= 0 && rate_bp <= VAT_RATE_BP_MAX);
    int whole = rate_bp / 100, frac = rate_bp % 100;
    if (frac == 0)
        snprintf(out, 8, "%d", whole);
    else if (frac % 10 == 0)
        snprintf(out, 8, "%d.%d", whole, frac / 10);
    else
        snprintf(out, 8, "%d.%02d", whole, frac);
}

bool vat_amount(int64_t net_minor, int rate_bp, int64_t *vat_minor)
{
    if (rate_bp < 0 || rate_bp > VAT_RATE_BP_MAX)
        return false;
    __int128 q;
    if (!round_div_i128((__int128)net_minor * rate_bp, VAT_BP_ONE, VAT_ROUNDING, &q))
        return false;
    assert(q <= INT64_MAX && q >= INT64_MIN); /* |q| <= |net| since rate <= 100% */
    *vat_minor = (int64_t)q;
    return true;
}

static vat_total *total_for(vat_total *totals, size_t *count, int rate_bp)
{
    for (size_t i = 0; i < *count; i++)
        if (totals[i].rate_bp == rate_bp)
            return &totals[i];
    if (*count == VAT_TOTALS_MAX)
        return NULL;
    size_t at = 0; /* keep highest rate first */
    while (at < *count && totals[at].rate_bp > rate_bp)
        at++;
    memmove(&totals[at + 1], &totals[at], (*count - at) * sizeof totals[0]);
    totals[at] = (vat_total){.rate_bp = rate_bp};
    (*count)++;
    return &totals[at];
}

bool vat_totals(const vat_line *lines, size_t n, vat_total totals[VAT_TOTALS_MAX], size_t *count)
{
    assert(lines || n == 0);
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].rate_bp < 0 || lines[i].rate_bp > VAT_RATE_BP_MAX)
            return false;
        vat_total *t = total_for(totals, count, lines[i].rate_bp);
        if (!t || !checked_add(t->net_minor, lines[i].net_minor, &t->net_minor))
            return false;
    }
    for (size_t i = 0; i < *count; i++)
        if (!vat_amount(totals[i].net_minor, totals[i].rate_bp, &totals[i].vat_minor))
            return false;
    return true;
}
