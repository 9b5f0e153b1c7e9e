/* fuzz_money_parse.c - both money parsers on arbitrary text: whatever parses
 * must format and parse back to the same value, in the API form and in the
 * it/en display forms, and the API form must read the same as "en". */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Exponents 0, 2, 3 and 4; with and without a symbol. */
static const char *const fuzz_codes[8] = {"JPY", "EUR", "BHD", "CLF",
                                          "USD", "CHF", "GBP", "KWD"};
static const char *const fuzz_locales[2] = {"it", "en"};

static void fuzz_check_round_trips(money m)
{
    char text[MONEY_FORMAT_BYTES_MAX];
    money back;
    if (money_format_plain(m, text, sizeof text) != MONEY_OK)
        abort();
    if (money_parse_plain(text, m.cur, &back) != MONEY_OK || back.minor != m.minor ||
        back.cur != m.cur)
        abort();
    for (size_t i = 0; i < 2; i++) {
        if (money_format(m, fuzz_locales[i], text, sizeof text) != MONEY_OK)
            abort();
        if (money_parse_locale(text, m.cur, fuzz_locales[i], &back) != MONEY_OK ||
            back.minor != m.minor || back.cur != m.cur)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 256)
        return 0;
    const currency *cur = currency_find(fuzz_codes[data[0] & 7]);
    const char *locale = fuzz_locales[(data[0] >> 3) & 1];
    assert(cur);
    char text[257];
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    money m;
    if (money_parse_plain(text, cur, &m) == MONEY_OK) {
        fuzz_check_round_trips(m);
        money en;
        if (money_parse_locale(text, cur, "en", &en) != MONEY_OK || en.minor != m.minor)
            abort();
    }
    if (money_parse_locale(text, cur, locale, &m) == MONEY_OK)
        fuzz_check_round_trips(m);
    return 0;
}
