/* vat.h - the EU VAT of a sale: which scheme applies and at what rate, from
 * the seller's and the buyer's countries, whether the buyer is a business
 * with a valid VAT ID, the kind of supply and the date; and the arithmetic of
 * VAT on amounts (per line and per-rate totals, rounding named). Invoices,
 * previews and reports all call this one decision (docs/VAT.md has the
 * table and its legal references). Rates come from a lookup the caller
 * passes (the store keeps them as data). Pure: no I/O. */
#ifndef SALDO_VAT_H
#define SALDO_VAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/round.h"

enum {
    VAT_RATE_BP_MAX = 3000, /* 30%: no member state's standard rate is higher */
    VAT_BP_ONE = 10000,     /* basis points in 100% */
};

/* The rule VAT is rounded by, per rate total: half up to the minor unit. */
#define VAT_ROUNDING ROUND_HALF_UP

typedef enum vat_scheme {
    VAT_SCHEME_DOMESTIC,       /* the seller's rate, in the seller's country */
    VAT_SCHEME_REVERSE_CHARGE, /* EU business buyer: 0%, the buyer accounts for it */
    VAT_SCHEME_OSS,            /* EU consumer, e-service: the buyer country's rate, One Stop Shop */
    VAT_SCHEME_NOT_SUBJECT,    /* place of supply outside the EU: 0% */
    VAT_SCHEME_COUNT
} vat_scheme;

typedef enum vat_mention {
    VAT_MENTION_NONE,
    VAT_MENTION_REVERSE_CHARGE,    /* EU business buyer */
    VAT_MENTION_NOT_SUBJECT,       /* buyer outside the EU, business (general rule) */
    VAT_MENTION_NOT_SUBJECT_ESERV, /* buyer outside the EU, consumer of an e-service */
    VAT_MENTION_COUNT
} vat_mention;

typedef enum vat_status {
    VAT_OK,
    VAT_UNKNOWN_COUNTRY, /* the buyer's country is not an ISO 3166 code */
    VAT_SELLER_NOT_EU,   /* the seller is not established in a member state */
    VAT_NO_RATE,         /* the country has no rate on that date */
    VAT_STATUS_COUNT
} vat_status;

/* The rate in basis points of an EU country on a date ("YYYY-MM-DD"), or -1
 * when none is in force then. */
typedef int (*vat_rate_lookup)(void *ctx, const char *country, const char *date);

typedef struct vat_sale {
    const char *seller_country; /* ISO 3166 alpha-2, upper case */
    const char *buyer_country;
    bool buyer_business;        /* a business with a valid VAT ID */
    bool electronic;            /* an electronically supplied service (hosting, software...) */
    const char *date;           /* "YYYY-MM-DD": the date of the supply */
} vat_sale;

typedef struct vat_decision {
    vat_scheme scheme;
    int rate_bp;             /* 2200 = 22% */
    char rate_country[3];    /* whose rate it is; "" at 0% by rule */
    vat_mention mention;
    const char *mention_text; /* English msgid of the mention (NULL for none) */
} vat_decision;

/* Decides the VAT of a sale. On VAT_OK fills *out; otherwise leaves it
 * zeroed. lookup is called only for EU countries. */
vat_status vat_decide(const vat_sale *sale, vat_rate_lookup lookup, void *ctx, vat_decision *out);

/* The English text of a mention for a seller of that country (an Italian
 * seller cites DPR 633/72); NULL for VAT_MENTION_NONE. A msgid: the
 * Italian text is its translation. */
const char *vat_mention_text(vat_mention mention, const char *seller_country);

/* Lower-case names, as the API shows them: "domestic", "reverse_charge",
 * "oss", "not_subject"; "none", "reverse_charge", "not_subject",
 * "not_subject_eservice"; "ok", "unknown_country", "seller_not_eu", "no_rate". */
const char *vat_scheme_name(vat_scheme scheme);
const char *vat_mention_name(vat_mention mention);
const char *vat_status_name(vat_status status);

/* Parses a percentage of 0..30 with at most two decimals ("22", "25.5",
 * "19.60") into basis points, as the API takes it (a "." only: the pages take
 * "25,5" through percent_text_parse). False for anything else (signs, spaces,
 * exponents, a third decimal, over VAT_RATE_BP_MAX). */
bool vat_rate_parse(const char *text, int *rate_bp);
/* Writes rate_bp as a percentage with its needed decimals ("22", "25.5",
 * "19.6") into out; rate_bp must be 0..VAT_RATE_BP_MAX. */
void vat_rate_text(int rate_bp, char out[8]);

/* The VAT of a net amount at rate_bp, rounded VAT_ROUNDING. False on
 * overflow or a rate out of 0..VAT_RATE_BP_MAX. */
bool vat_amount(int64_t net_minor, int rate_bp, int64_t *vat_minor);

enum { VAT_TOTALS_MAX = 8 }; /* distinct rates on one document */

typedef struct vat_line {
    int rate_bp;
    int64_t net_minor;
} vat_line;

typedef struct vat_total {
    int rate_bp;
    int64_t net_minor; /* the sum of the lines at this rate */
    int64_t vat_minor; /* vat_amount of that sum: VAT is rounded once per rate */
} vat_total;

/* Groups lines by rate (highest rate first) into totals[] and sets *count.
 * False on overflow, more than VAT_TOTALS_MAX rates, or a bad rate. */
bool vat_totals(const vat_line *lines, size_t n, vat_total totals[VAT_TOTALS_MAX], size_t *count);

#endif
