/* fuzz_json_out.c - our JSON writer against jansson's reader: any document
 * jansson parses, written by json_out, parses back to an equal value. */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "http/json_out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *in = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!in)
        return 0;
    buf out;
    buf_init(&out, 0);
    if (json_out(&out, in)) {
        json_error_t e;
        json_t *back = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
        assert(back && json_equal(in, back));
        json_decref(back);
    }
    buf_free(&out);
    json_decref(in);
    return 0;
}
