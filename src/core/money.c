/* money.c - checked money arithmetic, allocation, parsing and formatting
 * (see money.h). Integers only: __int128 for exact intermediates. */
#include "core/money.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "core/checked.h"

/* ---- errors and construction ------------------------------------------ */

const char *money_err_str(money_err err)
{
    static const char *const texts[MONEY_ERR_COUNT] = {
        [MONEY_OK] = "ok",
        [MONEY_OVERFLOW] = "amount overflow",
        [MONEY_CURRENCY_MISMATCH] = "currency mismatch",
        [MONEY_SYNTAX] = "not a valid amount",
        [MONEY_TOO_PRECISE] = "too many decimals",
        [MONEY_RANGE] = "value out of range",
        [MONEY_ZERO_DIVISOR] = "division by zero",
        [MONEY_BAD_RATIOS] = "invalid allocation ratios",
        [MONEY_UNKNOWN_LOCALE] = "unknown locale",
        [MONEY_NO_SPACE] = "output buffer too small",
    };
    if ((unsigned)err >= MONEY_ERR_COUNT)
        return "unknown money error";
    return texts[err];
}

money money_make(int64_t minor, const currency *cur)
{
    assert(cur);
    return (money){.minor = minor, .cur = cur};
}

/* Stores v in *out when it fits in int64, else MONEY_OVERFLOW. */
static money_err money_from_i128(__int128 v, const currency *cur, money *out)
{
    if (v > INT64_MAX || v < INT64_MIN)
        return MONEY_OVERFLOW;
    *out = money_make((int64_t)v, cur);
    return MONEY_OK;
}

/* ---- arithmetic --------------------------------------------------------- */

money_err money_add(money a, money b, money *out)
{
    assert(a.cur && b.cur && out);
    if (a.cur != b.cur)
        return MONEY_CURRENCY_MISMATCH;
    int64_t r;
    if (!checked_add(a.minor, b.minor, &r))
        return MONEY_OVERFLOW;
    *out = money_make(r, a.cur);
    return MONEY_OK;
}

money_err money_sub(money a, money b, money *out)
{
    assert(a.cur && b.cur && out);
    if (a.cur != b.cur)
        return MONEY_CURRENCY_MISMATCH;
    int64_t r;
    if (!checked_sub(a.minor, b.minor, &r))
        return MONEY_OVERFLOW;
    *out = money_make(r, a.cur);
    return MONEY_OK;
}

money_err money_negate(money a, money *out)
{
    assert(a.cur && out);
    int64_t r;
    if (!checked_sub(0, a.minor, &r))
        return MONEY_OVERFLOW;
    *out = money_make(r, a.cur);
    return MONEY_OK;
}

money_err money_mul_int(money a, int64_t factor, money *out)
{
    assert(a.cur && out);
    int64_t r;
    if (!checked_mul(a.minor, factor, &r))
        return MONEY_OVERFLOW;
    *out = money_make(r, a.cur);
    return MONEY_OK;
}

money_err money_mul_ratio(money a, int64_t num, int64_t den, round_mode mode, money *out)
{
    assert(a.cur && out && (unsigned)mode < ROUND_MODE_COUNT);
    if (den == 0)
        return MONEY_ZERO_DIVISOR;
    /* |a.minor * num| <= 2^126: exact in 128 bits, and so is its negation. */
    __int128 n = (__int128)a.minor * num;
    __int128 d = den;
    if (d < 0) {
        n = -n;
        d = -d;
    }
    __int128 q;
    bool ok = round_div_i128(n, d, mode, &q);
    assert(ok);
    (void)ok;
    return money_from_i128(q, a.cur, out);
}

money_err money_percent_bp(money a, int64_t rate_bp, round_mode mode, money *out)
{
    return money_mul_ratio(a, rate_bp, 10000, mode, out);
}

/* ---- allocation --------------------------------------------------------- */

/* Sum of the ratios into *sum_out; MONEY_BAD_RATIOS or MONEY_OVERFLOW. */
static money_err money_ratio_sum(const int64_t *ratios, size_t n, int64_t *sum_out)
{
    if (n == 0 || n > MONEY_ALLOCATE_PARTS_MAX)
        return MONEY_BAD_RATIOS;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (ratios[i] < 0)
            return MONEY_BAD_RATIOS;
        if (!checked_add(sum, ratios[i], &sum))
            return MONEY_OVERFLOW;
    }
    if (sum == 0)
        return MONEY_BAD_RATIOS;
    *sum_out = sum;
    return MONEY_OK;
}

/* Marks the `left` largest remainders (ties to the lower index) by setting
 * them to -1. rems[i] are all >= 0 on entry; O(n * left), left < n. */
static void money_pick_largest(int64_t *rems, size_t n, int64_t left)
{
    for (int64_t k = 0; k < left; k++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (rems[i] >= 0 && (best == n || rems[i] > rems[best]))
                best = i;
        assert(best < n && rems[best] > 0);
        rems[best] = -1;
    }
}

money_err money_allocate(money total, const int64_t *ratios, size_t n, int64_t *out)
{
    assert(total.cur && ratios && out && (const void *)ratios != (void *)out);
    int64_t sum;
    money_err err = money_ratio_sum(ratios, n, &sum);
    if (err != MONEY_OK)
        return err;
    bool negative = total.minor < 0;
    __int128 abs_total = negative ? -(__int128)total.minor : (__int128)total.minor;

    /* Pass 1: out[i] = remainder of part i; count what the floors leave. */
    __int128 floors = 0;
    for (size_t i = 0; i < n; i++) {
        __int128 scaled = abs_total * ratios[i]; /* <= 2^126 */
        floors += scaled / sum;
        out[i] = (int64_t)(scaled % sum); /* in [0, sum) */
    }
    __int128 left = abs_total - floors;
    assert(left >= 0 && left < (__int128)n);

    /* Pass 2: the largest remainders get one minor unit each. */
    money_pick_largest(out, n, (int64_t)left);
    __int128 check = 0;
    for (size_t i = 0; i < n; i++) {
        __int128 part = abs_total * ratios[i] / sum + (out[i] == -1 ? 1 : 0);
        assert(part <= abs_total);
        check += part;
        out[i] = (int64_t)(negative ? -part : part);
    }
    assert(check == abs_total);
    return MONEY_OK;
}

/* ---- locales and symbols ------------------------------------------------ */

typedef struct money_locale {
    const char *name;
    char decimal;      /* decimal mark */
    char group;        /* thousands separator */
    bool symbol_after; /* "1,00 €" rather than "€1.00" */
} money_locale;

static const money_locale money_locales[] = {
    {"it", ',', '.', true},
    {"en", '.', ',', false},
};

static const money_locale *money_locale_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof money_locales / sizeof money_locales[0]; i++)
        if (strcmp(name, money_locales[i].name) == 0)
            return &money_locales[i];
    return NULL;
}

/* Currencies shown by symbol; all others are shown by ISO code. */
static const struct {
    char code[4];
    const char *symbol; /* UTF-8 */
} money_symbols[] = {
    {"EUR", "\xE2\x82\xAC"}, /* € */
    {"USD", "$"},
    {"GBP", "\xC2\xA3"}, /* £ */
    {"JPY", "\xC2\xA5"}, /* ¥ */
};

#define MONEY_SYMBOL_COUNT (sizeof money_symbols / sizeof money_symbols[0])

/* cur's symbol, or NULL when it is shown by code. */
static const char *money_symbol(const currency *cur)
{
    for (size_t i = 0; i < MONEY_SYMBOL_COUNT; i++)
        if (memcmp(cur->code, money_symbols[i].code, 4) == 0)
            return money_symbols[i].symbol;
    return NULL;
}

/* ---- parsing ------------------------------------------------------------ */

/* A syntactically valid amount, before its value is computed. */
typedef struct money_digits {
    bool negative;
    const char *int_part; /* digits, possibly with `group` separators */
    size_t int_len;
    const char *frac; /* digits only */
    size_t frac_len;
    char group; /* separator to skip in int_part, 0 for none */
} money_digits;

static bool money_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t money_span_digits(const char *p)
{
    size_t n = 0;
    while (money_is_digit(p[n]))
        n++;
    return n;
}

/* acc = acc * 10 + digit, false once beyond limit (acc only grows). */
static bool money_push_digit(__int128 *acc, int digit, __int128 limit)
{
    *acc = *acc * 10 + digit;
    return *acc <= limit;
}

/* The value of validated digits in minor units of cur. */
static money_err money_from_digits(const money_digits *d, const currency *cur, money *out)
{
    if (d->frac_len > (size_t)cur->exponent)
        return MONEY_TOO_PRECISE;
    __int128 limit = d->negative ? (__int128)INT64_MAX + 1 : (__int128)INT64_MAX;
    __int128 acc = 0;
    for (size_t i = 0; i < d->int_len; i++) {
        if (d->group && d->int_part[i] == d->group)
            continue;
        assert(money_is_digit(d->int_part[i]));
        if (!money_push_digit(&acc, d->int_part[i] - '0', limit))
            return MONEY_RANGE;
    }
    for (size_t i = 0; i < (size_t)cur->exponent; i++) {
        int digit = i < d->frac_len ? d->frac[i] - '0' : 0;
        if (!money_push_digit(&acc, digit, limit))
            return MONEY_RANGE;
    }
    *out = money_make((int64_t)(d->negative ? -acc : acc), cur);
    return MONEY_OK;
}

/* Length of text if it is at most MONEY_TEXT_BYTES_MAX, else SIZE_MAX. */
static size_t money_text_len(const char *text)
{
    size_t len = strnlen(text, MONEY_TEXT_BYTES_MAX + 1);
    return len > MONEY_TEXT_BYTES_MAX ? SIZE_MAX : len;
}

money_err money_parse_plain(const char *text, const currency *cur, money *out)
{
    assert(cur && out);
    if (!text || money_text_len(text) == SIZE_MAX)
        return MONEY_SYNTAX;
    money_digits d = {.negative = false};
    const char *p = text;
    if (*p == '-') {
        d.negative = true;
        p++;
    }
    d.int_part = p;
    d.int_len = money_span_digits(p);
    if (d.int_len == 0)
        return MONEY_SYNTAX;
    p += d.int_len;
    if (*p == '.') {
        d.frac = ++p;
        d.frac_len = money_span_digits(p);
        if (d.frac_len == 0)
            return MONEY_SYNTAX;
        p += d.frac_len;
    }
    if (*p != '\0')
        return MONEY_SYNTAX;
    return money_from_digits(&d, cur, out);
}

/* Bytes of blank at p: ASCII space, tab, UTF-8 no-break space U+00A0. */
static size_t money_span_blank(const char *p)
{
    size_t n = 0;
    for (;;) {
        if (p[n] == ' ' || p[n] == '\t')
            n += 1;
        else if (p[n] == '\xC2' && p[n + 1] == '\xA0')
            n += 2;
        else
            return n;
    }
}

/* The integer part with optional correct grouping, then an optional decimal
 * part; fills d and returns the bytes consumed, or 0 when malformed. */
static size_t money_scan_number(const char *p, const money_locale *loc, money_digits *d)
{
    size_t n = money_span_digits(p);
    if (n == 0)
        return 0;
    if (p[n] == loc->group) {
        if (n > 3)
            return 0;
        while (p[n] == loc->group) {
            size_t g = money_span_digits(p + n + 1);
            if (g != 3)
                return 0;
            n += 1 + g;
        }
    }
    d->int_part = p;
    d->int_len = n;
    d->group = loc->group;
    if (p[n] == loc->decimal) {
        d->frac = p + n + 1;
        d->frac_len = money_span_digits(d->frac);
        if (d->frac_len == 0)
            return 0;
        n += 1 + d->frac_len;
    }
    return n;
}

/* If a currency symbol or an ISO-code-shaped word starts at *p, consumes it
 * and sets *seen. MONEY_CURRENCY_MISMATCH when it names a currency other
 * than cur, MONEY_SYNTAX when it is three letters naming none. */
static money_err money_take_affix(const char **p, const currency *cur, bool *seen)
{
    const char *s = *p;
    const currency *named = NULL;
    size_t len = 0;
    for (size_t i = 0; i < MONEY_SYMBOL_COUNT && len == 0; i++) {
        size_t sym_len = strlen(money_symbols[i].symbol);
        if (strncmp(s, money_symbols[i].symbol, sym_len) == 0) {
            named = currency_find(money_symbols[i].code);
            len = sym_len;
        }
    }
    if (len == 0 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
        s[2] >= 'A' && s[2] <= 'Z' && !(s[3] >= 'A' && s[3] <= 'Z')) {
        char code[4] = {s[0], s[1], s[2], '\0'};
        named = currency_find(code);
        if (!named)
            return MONEY_SYNTAX;
        len = 3;
    }
    if (len == 0)
        return MONEY_OK;
    assert(named);
    if (named != cur)
        return MONEY_CURRENCY_MISMATCH;
    *p = s + len;
    *seen = true;
    return MONEY_OK;
}

money_err money_parse_locale(const char *text, const currency *cur, const char *locale,
                             money *out)
{
    assert(cur && out);
    const money_locale *loc = money_locale_find(locale);
    if (!loc)
        return MONEY_UNKNOWN_LOCALE;
    if (!text || money_text_len(text) == SIZE_MAX)
        return MONEY_SYNTAX;
    money_digits d = {.negative = false};
    bool affix = false;
    const char *p = text + money_span_blank(text);
    if (*p == '-') {
        d.negative = true;
        p++;
    }
    money_err err = money_take_affix(&p, cur, &affix);
    if (err != MONEY_OK)
        return err;
    if (affix)
        p += money_span_blank(p);
    if (!d.negative && *p == '-') {
        d.negative = true;
        p++;
    }
    size_t n = money_scan_number(p, loc, &d);
    if (n == 0)
        return MONEY_SYNTAX;
    p += n;
    p += money_span_blank(p);
    if (!affix) {
        err = money_take_affix(&p, cur, &affix);
        if (err != MONEY_OK)
            return err;
        p += money_span_blank(p);
    }
    if (*p != '\0')
        return MONEY_SYNTAX;
    return money_from_digits(&d, cur, out);
}

/* ---- formatting --------------------------------------------------------- */

/* A bounded text under construction; capacity MONEY_FORMAT_BYTES_MAX always
 * suffices (asserted), the caller's buffer size is checked on copy-out. */
typedef struct money_text {
    char data[MONEY_FORMAT_BYTES_MAX];
    size_t len;
} money_text;

static void money_text_put(money_text *t, const char *s, size_t len)
{
    assert(t->len + len < sizeof t->data);
    memcpy(t->data + t->len, s, len);
    t->len += len;
    t->data[t->len] = '\0';
}

static void money_text_puts(money_text *t, const char *s)
{
    money_text_put(t, s, strlen(s));
}

/* Appends |minor| with exactly `exponent` decimals after `decimal`, its
 * integer part grouped by 3 with `group` (0 = no grouping). */
static void money_text_amount(money_text *t, int64_t minor, int exponent, char group,
                              char decimal)
{
    assert(exponent >= 0 && exponent <= CURRENCY_EXPONENT_MAX);
    uint64_t mag = minor < 0 ? -(uint64_t)minor : (uint64_t)minor;
    char digits[24];
    size_t nd = 0;
    do { /* least significant first, at least exponent + 1 digits */
        digits[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0 || nd <= (size_t)exponent);
    size_t int_digits = nd - (size_t)exponent;
    for (size_t i = 0; i < int_digits; i++) {
        if (group && i > 0 && (int_digits - i) % 3 == 0)
            money_text_put(t, &group, 1);
        money_text_put(t, &digits[nd - 1 - i], 1);
    }
    if (exponent > 0) {
        money_text_put(t, &decimal, 1);
        for (size_t i = int_digits; i < nd; i++)
            money_text_put(t, &digits[nd - 1 - i], 1);
    }
}

/* Copies t to out when it fits in size bytes with its NUL. */
static money_err money_text_copy(const money_text *t, char *out, size_t size)
{
    if (t->len >= size) {
        if (size > 0)
            out[0] = '\0';
        return MONEY_NO_SPACE;
    }
    memcpy(out, t->data, t->len + 1);
    return MONEY_OK;
}

money_err money_format(money m, const char *locale, char *out, size_t size)
{
    assert(m.cur && (out || size == 0));
    const money_locale *loc = money_locale_find(locale);
    if (!loc) {
        if (size > 0)
            out[0] = '\0';
        return MONEY_UNKNOWN_LOCALE;
    }
    const char *symbol = money_symbol(m.cur);
    money_text t = {.len = 0};
    if (m.minor < 0)
        money_text_puts(&t, "-");
    if (!loc->symbol_after) {
        money_text_puts(&t, symbol ? symbol : m.cur->code);
        if (!symbol)
            money_text_puts(&t, " ");
    }
    money_text_amount(&t, m.minor, m.cur->exponent, loc->group, loc->decimal);
    if (loc->symbol_after) {
        money_text_puts(&t, " ");
        money_text_puts(&t, symbol ? symbol : m.cur->code);
    }
    return money_text_copy(&t, out, size);
}

money_err money_format_plain(money m, char *out, size_t size)
{
    assert(m.cur && (out || size == 0));
    money_text t = {.len = 0};
    if (m.minor < 0)
        money_text_puts(&t, "-");
    money_text_amount(&t, m.minor, m.cur->exponent, 0, '.');
    return money_text_copy(&t, out, size);
}
