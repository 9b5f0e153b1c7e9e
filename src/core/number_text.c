/* number_text.c - strict whole numbers and percentages from outside input
 * (number_text.h). */
#include "core/number_text.h"

#include <assert.h>
#include <string.h>

bool int_text_parse(const char *text, int64_t min, int64_t max, int64_t *out)
{
    assert(0 <= min && min <= max);
    if (!text || !*text || (text[0] == '0' && text[1]))
        return false;
    int64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        int d = *p - '0';
        if (v > max / 10 || v * 10 > max - d)
            return false; /* v * 10 + d > max, tested without overflowing */
        v = v * 10 + d;
    }
    if (v < min)
        return false;
    *out = v;
    return true;
}

bool int_text_id(const char *text, int64_t *out)
{
    return int_text_parse(text, 1, INT64_MAX, out);
}

bool percent_text_parse(const char *text, int max_bp, int *bp)
{
    assert(0 <= max_bp && max_bp <= 99999);
    if (!text)
        return false;
    size_t whole = strspn(text, "0123456789");
    if (whole == 0 || whole > 3)
        return false;
    int v = 0;
    for (size_t i = 0; i < whole; i++)
        v = v * 10 + (text[i] - '0');
    v *= 100;
    const char *rest = text + whole;
    if (*rest == '.' || *rest == ',') {
        size_t decimals = strspn(rest + 1, "0123456789");
        if (decimals == 0 || decimals > 2)
            return false;
        v += (rest[1] - '0') * 10 + (decimals == 2 ? rest[2] - '0' : 0);
        rest += 1 + decimals;
    }
    if (*rest || v > max_bp)
        return false;
    *bp = v;
    return true;
}
