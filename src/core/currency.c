/* currency.c - lookups over the generated ISO 4217 table (see currency.h). */
#include "core/currency.h"

#include <assert.h>
#include <string.h>

#include "core/currency_table.h"

static int currency_is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

const currency *currency_find(const char *code)
{
    /* Checked one byte at a time so a short string stops at its NUL. */
    if (!code || !currency_is_upper(code[0]) || !currency_is_upper(code[1]) ||
        !currency_is_upper(code[2]) || code[3] != '\0')
        return NULL;
    size_t lo = 0, hi = currency_table_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = memcmp(code, currency_table[mid].code, 3);
        if (cmp == 0)
            return &currency_table[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t currency_count(void)
{
    return currency_table_len;
}

const currency *currency_at(size_t i)
{
    assert(i < currency_table_len);
    const currency *c = &currency_table[i];
    assert(c->exponent >= 0 && c->exponent <= CURRENCY_EXPONENT_MAX);
    return c;
}
