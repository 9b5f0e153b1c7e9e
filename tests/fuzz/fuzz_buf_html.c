/* fuzz_buf_html.c - HTML escaping never lets a special character through. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf b;
    buf_init(&b, 1 << 20);
    if (buf_put_html(&b, (const char *)data, size)) {
        assert(!memchr(b.data ? b.data : "", '<', b.len));
        assert(!memchr(b.data ? b.data : "", '"', b.len));
    }
    buf_free(&b);
    return 0;
}
