/* fuzz_url_decode.c - percent-decoding of request paths and query strings on
 * arbitrary bytes: the result is never longer than the input, holds no NUL
 * (a %00 stays three characters), is shorter by two for each %HH decoded,
 * and is the input itself when it holds no '%'. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/url_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t len = nul ? (size_t)(nul - data) : size; /* the server sees a C string */
    char *s = malloc(len + 1);
    assert(s);
    memcpy(s, data, len);
    s[len] = '\0';
    size_t n = url_unescape(s);
    assert(n <= len);
    assert(strlen(s) == n);
    if (!memchr(data, '%', len))
        assert(n == len && memcmp(s, data, len) == 0);
    else
        assert((len - n) % 2 == 0);
    free(s);
    return 0;
}
