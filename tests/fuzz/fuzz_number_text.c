/* fuzz_number_text.c - whole numbers typed outside (ids, limits, cursors, line
 * positions) on arbitrary bytes, against a reading written apart from
 * number_text.c: accepted exactly when the text is canonical decimal digits
 * whose value, computed here in 128 bits, lies in [min, max]; the value read
 * printed back is the text; a refusal leaves the output alone. The first 16
 * bytes choose min and max. */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/number_text.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t bound(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return (int64_t)(v >> 1); /* 0 .. INT64_MAX */
}

/* What the text should give, or -1 when it should be refused. */
static __int128 expected(const char *text, int64_t min, int64_t max)
{
    size_t n = strlen(text);
    if (n == 0 || n > 30 || strspn(text, "0123456789") != n || (text[0] == '0' && n > 1))
        return -1;
    __int128 v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (text[i] - '0');
    return v >= min && v <= max ? v : -1;
}

/* The percentage in basis points, or -1 when it should be refused. */
static long expected_bp(const char *text, int max_bp)
{
    char whole[8], frac[8], sep = 0, more = 0;
    int n = 0;
    size_t w = 0, f = 0, i = 0;
    for (; text[i] >= '0' && text[i] <= '9' && w < 7; i++)
        whole[w++] = text[i];
    if (text[i] == '.' || text[i] == ',')
        for (sep = text[i++]; text[i] >= '0' && text[i] <= '9' && f < 7; i++)
            frac[f++] = text[i];
    more = text[i];
    if (w < 1 || w > 3 || more || (sep && (f < 1 || f > 2)))
        return -1;
    for (size_t k = 0; k < w; k++)
        n = n * 10 + (whole[k] - '0');
    n = n * 100 + (f > 0 ? (frac[0] - '0') * 10 : 0) + (f > 1 ? frac[1] - '0' : 0);
    return n <= max_bp ? n : -1;
}

static void check_percent(const char *text, int max_bp)
{
    int bp = -7;
    bool ok = percent_text_parse(text, max_bp, &bp);
    long want = expected_bp(text, max_bp);
    assert(ok == (want >= 0));
    assert(ok ? bp == want : bp == -7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64];
    if (size < 16 || !fuzz_text(data + 16, size - 16, text, sizeof text))
        return 0;
    int64_t a = bound(data), b = bound(data + 8);
    int64_t min = a < b ? a : b, max = a < b ? b : a;
    if (data[0] & 1)
        min %= 1000, max = min + max % 100000; /* small ranges, where most inputs land near the bounds */
    check_percent(text, (int)(max % 100000));
    int64_t out = -7;
    bool ok = int_text_parse(text, min, max, &out);
    __int128 want = expected(text, min, max);
    assert(ok == (want >= 0));
    if (!ok) {
        assert(out == -7);
        return 0;
    }
    assert(out == want);
    char back[24];
    snprintf(back, sizeof back, "%" PRId64, out);
    assert(!strcmp(back, text));
    return 0;
}
