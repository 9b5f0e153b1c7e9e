/* fx.h - exact exchange rates and currency conversion.
 *
 * A rate is an exact decimal with at most FX_RATE_DECIMALS decimals, held as
 * a scaled integer: value = units / FX_RATE_SCALE. It never passes through a
 * float, so "1.0856" read from the ECB is 1.0856 exactly, and every
 * conversion is one exact 128-bit multiplication followed by one division
 * rounded by a mode the caller names.
 *
 * What a rate means: a rate for the pair (from, to) says that ONE MAJOR UNIT
 * of `from` is worth `rate` MAJOR UNITS of `to`. The ECB publishes rates for
 * (EUR, X): "USD 1.1562" means 1 EUR = 1.1562 USD, "JPY 178.41" means
 * 1 EUR = 178.41 JPY. Minor units are accounted for by fx_convert from each
 * currency's exponent. The struct does not carry the pair: whoever stores a
 * rate stores its currencies, source and date beside it.
 *
 * Errors use money_err (see money.h). Rates must be positive. */
#ifndef SALDO_FX_H
#define SALDO_FX_H

#include <stdint.h>

#include "core/money.h"

#define FX_RATE_DECIMALS 12
#define FX_RATE_SCALE INT64_C(1000000000000) /* 10^FX_RATE_DECIMALS */
/* Longest rate text fx_rate_parse accepts, in bytes (without the NUL). */
#define FX_RATE_TEXT_BYTES_MAX 40
/* A buffer of this size always holds fx_rate_format's output, NUL included. */
#define FX_RATE_FORMAT_BYTES_MAX 32

typedef struct fx_rate {
    int64_t units; /* value * 10^12; > 0 for a valid rate */
} fx_rate;

/* The rate 1 (a currency to itself). fx_cross(r, FX_RATE_ONE, &inv) inverts
 * an ECB rate r (EUR -> X) into X -> EUR. */
#define FX_RATE_ONE ((fx_rate){.units = FX_RATE_SCALE})

/* Parses a positive decimal: ASCII digits, optionally '.' and 1..12 digits
 * ("1.0856", "178.41", "0.000000000001", "2"). No sign, exponent, spaces or
 * separators; at most FX_RATE_TEXT_BYTES_MAX bytes. MONEY_SYNTAX for other
 * text, MONEY_TOO_PRECISE beyond 12 decimals (even trailing zeros),
 * MONEY_RANGE for zero, for a negative number ("-1.5") and for values above
 * INT64_MAX / 10^12 (about 9223372.03). */
money_err fx_rate_parse(const char *text, fx_rate *out);

/* Writes the rate in the form fx_rate_parse reads, with no trailing zeros in
 * the decimals and no '.' for a whole number ("1.0856", "178.41", "2").
 * MONEY_RANGE for a non-positive rate, MONEY_NO_SPACE when size is too small;
 * on error out is "" if size > 0. */
money_err fx_rate_format(fx_rate rate, char *out, size_t size);

/* The rate from -> to given two rates quoted against EUR: eur_to_from is
 * (EUR, from) and eur_to_to is (EUR, to), so *out = eur_to_to / eur_to_from,
 * rounded half-even at 12 decimals. MONEY_RANGE when an input is not positive
 * or the result rounds to 0, MONEY_OVERFLOW when it exceeds the largest rate. */
money_err fx_cross(fx_rate eur_to_from, fx_rate eur_to_to, fx_rate *out);

/* Converts `in` to currency `to` at `rate` (a rate for the pair (in.cur, to)):
 *   out.minor = in.minor * rate * 10^to->exponent / 10^in.cur->exponent
 * computed exactly and rounded once by `mode`. MONEY_RANGE for a
 * non-positive rate, MONEY_OVERFLOW when the result does not fit in int64. */
money_err fx_convert(money in, fx_rate rate, const currency *to, round_mode mode, money *out);

#endif
