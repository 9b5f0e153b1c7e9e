/* int_text.c - strict decimal whole numbers from outside input (int_text.h). */
#include "core/int_text.h"

#include <assert.h>

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
