/* fx.c - exact exchange rates and conversion (see fx.h). */
#include "core/fx.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#define FX_I128_MAX ((__int128)(((unsigned __int128)1 << 127) - 1))

/* 10^0 .. 10^CURRENCY_EXPONENT_MAX: the factors between two exponents. */
static const int64_t fx_pow10[CURRENCY_EXPONENT_MAX + 1] = {1, 10, 100, 1000, 10000};

static size_t fx_span_digits(const char *p)
{
    size_t n = 0;
    while (p[n] >= '0' && p[n] <= '9')
        n++;
    return n;
}

/* The value of int_len + frac_len validated digits scaled by 10^12; false
 * when it exceeds INT64_MAX. */
static bool fx_digits_value(const char *int_part, size_t int_len, const char *frac,
                            size_t frac_len, int64_t *units_out)
{
    __int128 acc = 0;
    for (size_t i = 0; i < int_len + FX_RATE_DECIMALS; i++) {
        int digit = 0;
        if (i < int_len)
            digit = int_part[i] - '0';
        else if (i - int_len < frac_len)
            digit = frac[i - int_len] - '0';
        acc = acc * 10 + digit;
        if (acc > INT64_MAX)
            return false;
    }
    *units_out = (int64_t)acc;
    return true;
}

money_err fx_rate_parse(const char *text, fx_rate *out)
{
    assert(out);
    if (!text || strnlen(text, FX_RATE_TEXT_BYTES_MAX + 1) > FX_RATE_TEXT_BYTES_MAX)
        return MONEY_SYNTAX;
    const char *p = text;
    bool negative = *p == '-';
    if (negative)
        p++;
    const char *int_part = p;
    size_t int_len = fx_span_digits(p);
    if (int_len == 0)
        return MONEY_SYNTAX;
    p += int_len;
    const char *frac = NULL;
    size_t frac_len = 0;
    if (*p == '.') {
        frac = ++p;
        frac_len = fx_span_digits(p);
        if (frac_len == 0)
            return MONEY_SYNTAX;
        p += frac_len;
    }
    if (*p != '\0')
        return MONEY_SYNTAX;
    if (frac_len > FX_RATE_DECIMALS)
        return MONEY_TOO_PRECISE;
    int64_t units;
    if (negative || !fx_digits_value(int_part, int_len, frac, frac_len, &units) ||
        units == 0)
        return MONEY_RANGE;
    out->units = units;
    return MONEY_OK;
}

money_err fx_rate_format(fx_rate rate, char *out, size_t size)
{
    assert(out || size == 0);
    if (size > 0)
        out[0] = '\0';
    if (rate.units <= 0)
        return MONEY_RANGE;
    char text[FX_RATE_FORMAT_BYTES_MAX];
    size_t len = 0;
    char digits[24];
    size_t nd = 0;
    for (int64_t v = rate.units; nd <= FX_RATE_DECIMALS || v > 0; v /= 10)
        digits[nd++] = (char)('0' + v % 10); /* least significant first */
    size_t keep_frac = FX_RATE_DECIMALS; /* decimals left after trimming zeros */
    while (keep_frac > 0 && digits[FX_RATE_DECIMALS - keep_frac] == '0')
        keep_frac--;
    for (size_t i = nd; i > FX_RATE_DECIMALS; i--)
        text[len++] = digits[i - 1];
    if (keep_frac > 0) {
        text[len++] = '.';
        for (size_t i = 0; i < keep_frac; i++)
            text[len++] = digits[FX_RATE_DECIMALS - 1 - i];
    }
    assert(len < sizeof text);
    text[len] = '\0';
    if (len >= size)
        return MONEY_NO_SPACE;
    memcpy(out, text, len + 1);
    return MONEY_OK;
}

money_err fx_cross(fx_rate eur_to_from, fx_rate eur_to_to, fx_rate *out)
{
    assert(out);
    if (eur_to_from.units <= 0 || eur_to_to.units <= 0)
        return MONEY_RANGE;
    /* (to / 10^12) / (from / 10^12) * 10^12 = to * 10^12 / from; < 2^103. */
    __int128 num = (__int128)eur_to_to.units * FX_RATE_SCALE;
    __int128 q;
    bool ok = round_div_i128(num, eur_to_from.units, ROUND_HALF_EVEN, &q);
    assert(ok);
    (void)ok;
    if (q > INT64_MAX)
        return MONEY_OVERFLOW;
    if (q == 0)
        return MONEY_RANGE;
    out->units = (int64_t)q;
    return MONEY_OK;
}

money_err fx_convert(money in, fx_rate rate, const currency *to, round_mode mode, money *out)
{
    assert(in.cur && to && out && (unsigned)mode < ROUND_MODE_COUNT);
    assert(in.cur->exponent >= 0 && in.cur->exponent <= CURRENCY_EXPONENT_MAX);
    assert(to->exponent >= 0 && to->exponent <= CURRENCY_EXPONENT_MAX);
    if (rate.units <= 0)
        return MONEY_RANGE;
    /* in.minor / 10^e_in major units * rate.units / 10^12 * 10^e_to minor units. */
    __int128 num = (__int128)in.minor * rate.units; /* |num| < 2^126 */
    __int128 den = FX_RATE_SCALE;
    int shift = to->exponent - in.cur->exponent;
    if (shift >= 0) {
        /* If num * 10^shift leaves int128, the result (>= it / 10^12) leaves int64. */
        __int128 factor = fx_pow10[shift];
        if (num > FX_I128_MAX / factor || num < -(FX_I128_MAX / factor))
            return MONEY_OVERFLOW;
        num *= factor;
    } else {
        den *= fx_pow10[-shift];
    }
    __int128 q;
    bool ok = round_div_i128(num, den, mode, &q);
    assert(ok);
    (void)ok;
    if (q > INT64_MAX || q < INT64_MIN)
        return MONEY_OVERFLOW;
    *out = money_make((int64_t)q, to);
    return MONEY_OK;
}
