/* money.h - amounts of money: int64 minor units of one ISO 4217 currency.
 *
 * The only money type in saldo. Arithmetic is checked (overflow is an error,
 * never a wrap), currencies never mix silently, every fraction of a minor unit
 * is rounded by a mode named at the call site, and text goes in and out in two
 * forms: the API decimal form ("-1234.56") and the localised form people read
 * and type in the web UI ("1.234,56 €" in Italian, "€1,234.56" in English).
 *
 * Every function taking a money requires its `cur` to be non-NULL and every
 * out-pointer to be valid (asserted: these are programmer errors). On error an
 * out-parameter is left untouched unless the function says otherwise. */
#ifndef SALDO_MONEY_H
#define SALDO_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "core/currency.h"
#include "core/round.h"

typedef struct money {
    int64_t minor; /* amount in minor units of cur (cents for EUR, yen for JPY) */
    const currency *cur;
} money;

typedef enum money_err {
    MONEY_OK = 0,
    MONEY_OVERFLOW,          /* an arithmetic result does not fit in int64 minor units */
    MONEY_CURRENCY_MISMATCH, /* two different currencies, or text naming another one */
    MONEY_SYNTAX,            /* text is not an amount in the expected form, or too long */
    MONEY_TOO_PRECISE,       /* more decimals than the currency (or rate) allows */
    MONEY_RANGE,             /* a well-formed value outside what is allowed (too large,
                                a non-positive rate) */
    MONEY_ZERO_DIVISOR,      /* division by zero in a ratio */
    MONEY_BAD_RATIOS,        /* allocation ratios: none, a negative one, or summing to 0 */
    MONEY_UNKNOWN_LOCALE,    /* locale is neither "it" nor "en" */
    MONEY_NO_SPACE,          /* the output buffer is too small */
    MONEY_ERR_COUNT
} money_err;

/* Longest text the parsers accept, in bytes (without the NUL). */
#define MONEY_TEXT_BYTES_MAX 64
/* A buffer of this size always holds any output of money_format or
 * money_format_plain, NUL included. */
#define MONEY_FORMAT_BYTES_MAX 48
/* Most parts money_allocate splits into. */
#define MONEY_ALLOCATE_PARTS_MAX 1024

/* A short English description ("amount overflow"); never NULL. */
const char *money_err_str(money_err err);

/* Builds a money value; cur must not be NULL. */
money money_make(int64_t minor, const currency *cur);

/* *out = a + b, a - b, -a. MONEY_CURRENCY_MISMATCH when a and b differ in
 * currency, MONEY_OVERFLOW when the result does not fit (-INT64_MIN). */
money_err money_add(money a, money b, money *out);
money_err money_sub(money a, money b, money *out);
money_err money_negate(money a, money *out);

/* *out = a * factor, exactly, or MONEY_OVERFLOW. */
money_err money_mul_int(money a, int64_t factor, money *out);

/* *out = a * num / den, computed exactly on 128 bits and rounded once by
 * `mode`. den may be negative (the sign moves to the result); den == 0 gives
 * MONEY_ZERO_DIVISOR, a result outside int64 MONEY_OVERFLOW. */
money_err money_mul_ratio(money a, int64_t num, int64_t den, round_mode mode, money *out);

/* *out = a * rate_bp / 10000 rounded by `mode`: a percentage in basis points
 * (2200 = 22 %, 5 = 0.05 %). Errors as money_mul_ratio. */
money_err money_percent_bp(money a, int64_t rate_bp, round_mode mode, money *out);

/* Splits total into n parts proportional to ratios[0..n), writing the parts'
 * minor units (in total's currency) to out[0..n). The parts always sum to
 * total exactly: each gets the floor of its exact share of |total|, then the
 * minor units left over go one each to the parts with the largest remainders,
 * ties to the earlier part; a negative total is split as its absolute value
 * and negated, so the split is symmetric. A zero ratio always gets 0.
 * MONEY_BAD_RATIOS when n == 0, n > MONEY_ALLOCATE_PARTS_MAX, a ratio is
 * negative or all are 0; MONEY_OVERFLOW when the ratios' sum overflows int64.
 * out is written only on success; it may not alias ratios. */
money_err money_allocate(money total, const int64_t *ratios, size_t n, int64_t *out);

/* Parses the API decimal form: an optional '-', one or more ASCII digits, then
 * optionally '.' and 1..exponent digits ("12.34", "-0.5", "1200"; for JPY
 * only integers). Nothing else: no '+', no spaces, no leading or trailing
 * '.', no exponent, no separators; at most MONEY_TEXT_BYTES_MAX bytes.
 * MONEY_SYNTAX for any of that, MONEY_TOO_PRECISE for more decimals than the
 * currency has (even "1.230" for EUR), MONEY_RANGE when the amount does not
 * fit in int64 minor units. On success *out = the amount in cur. */
money_err money_parse_plain(const char *text, const currency *cur, money *out);

/* Parses an amount as people type it in a form for `locale` ("it" or "en"):
 *   it: decimal ',' and thousands '.': "1.234,56", "1234,56", "1234", "0,5"
 *   en: decimal '.' and thousands ',': "1,234.56", "1234.56", "1234"
 * Thousands separators are optional but, when used, must group every 3 digits
 * left of the decimal mark ("12.34" in it and "1,23" in en are MONEY_SYNTAX:
 * ambiguous input is rejected, not guessed). The decimal mark needs digits on
 * both sides. Accepted around the number, so that anything money_format
 * prints parses back to the same value:
 *   - leading and trailing spaces (ASCII space, tab, U+00A0 no-break space);
 *   - one '-', at the very start or right before the digits ("-€5", "€-5");
 *   - once, before or after the number, with optional spaces between: cur's
 *     symbol (€ $ £ ¥ for EUR USD GBP JPY) or its uppercase ISO code.
 * A symbol or code of another currency gives MONEY_CURRENCY_MISMATCH ("$5"
 * parsed as EUR), any other text MONEY_SYNTAX. Decimals, range and length
 * limits as money_parse_plain; MONEY_UNKNOWN_LOCALE for another locale. */
money_err money_parse_locale(const char *text, const currency *cur, const char *locale,
                             money *out);

/* Formats m for display in `locale` ("it" or "en"), UTF-8, always with
 * exactly exponent decimals and grouped thousands:
 *   it: "1.234,56 €", "-1.234,56 €", "1.235 ¥", "1.234,567 BHD", "12,00 CHF"
 *   en: "€1,234.56", "-€1,234.56", "¥1,235", "BHD 1,234.567", "CHF 12.00"
 * Currencies without a symbol show their ISO code. Writes at most `size`
 * bytes including the NUL; MONEY_NO_SPACE when it does not fit,
 * MONEY_UNKNOWN_LOCALE for another locale; on error out is "" if size > 0. */
money_err money_format(money m, const char *locale, char *out, size_t size);

/* Formats m in the API decimal form accepted by money_parse_plain:
 * "-1234.56", "1235" (JPY), "0.005" (BHD). Size handling as money_format. */
money_err money_format_plain(money m, char *out, size_t size);

#endif
