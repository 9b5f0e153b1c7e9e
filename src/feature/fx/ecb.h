/* ecb.h - reader of the European Central Bank's euro reference rates.
 *
 * `saldo import-rates FILE` feeds the ECB's eurofxref-daily.xml through this
 * parser before anything is stored. The file is outside input: it is parsed
 * from memory with no network access, no entity substitution and no DOCTYPE
 * at all, every value is validated, and anything unexpected is an error with
 * a message saying what and where, never a partial result. */
#ifndef SALDO_ECB_H
#define SALDO_ECB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/currency.h"
#include "core/fx.h"

/* The daily file quotes about 30 currencies. */
#define ECB_RATES_MAX 64
/* Larger inputs are rejected before parsing (the daily file is ~1.5 KiB). */
#define ECB_INPUT_BYTES_MAX (256 * 1024)

/* One quote: 1 EUR = rate units of cur, i.e. an fx_rate for (EUR, cur). */
typedef struct ecb_rate {
    const currency *cur; /* never EUR, never NULL */
    fx_rate rate;        /* > 0 */
} ecb_rate;

typedef struct ecb_rates {
    char date[11]; /* "YYYY-MM-DD", a real calendar date from 1999 on */
    size_t count;  /* 1..ECB_RATES_MAX */
    ecb_rate rates[ECB_RATES_MAX]; /* in document order, no currency twice */
} ecb_rates;

/* Parses one eurofxref daily document of len bytes at data: a gesmes:Envelope
 * holding one Cube, holding exactly one Cube with a `time` attribute,
 * holding Cube elements with `currency` and `rate` attributes (namespaces as
 * the ECB publishes them). Returns true and fills *out on success. On failure
 * returns false, leaves *out unspecified and writes a one-line English message
 * (NUL-terminated, truncated to err_size) to err: XML errors with their line,
 * "DOCTYPE not allowed", "unknown currency code 'XYZ'", an invalid rate with
 * its currency, a bad or missing date, no rates, more than ECB_RATES_MAX, a
 * currency quoted twice, an input over ECB_INPUT_BYTES_MAX. Calls
 * xmlInitParser(); a threaded program should call it once before its threads
 * start, as libxml2 asks. */
bool ecb_parse(const char *data, size_t len, ecb_rates *out, char *err, size_t err_size);

/* The quote for cur in rates, or NULL when the file has none. */
const ecb_rate *ecb_rates_find(const ecb_rates *rates, const currency *cur);

#endif
