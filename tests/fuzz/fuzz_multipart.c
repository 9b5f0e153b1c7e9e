/* fuzz_multipart.c - multipart/form-data parsing: the first line of the input
 * is the Content-Type header, the rest the body. Never crashes; every part it
 * returns has a name and data inside the body; never more parts than the limit. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    arena *a = arena_new();
    const char *ct = arena_strndup(a, (const char *)data, (size_t)(nl - data));
    const char *body = (const char *)nl + 1;
    size_t len = size - (size_t)(nl - data) - 1;
    const char *boundary = multipart_boundary(a, ct);
    multipart m;
    if (boundary && multipart_parse(a, boundary, body, len, &m)) {
        assert(m.count <= MULTIPART_PARTS_MAX);
        for (size_t i = 0; i < m.count; i++) {
            const multipart_part *p = &m.parts[i];
            assert(p->name && p->name[0] && strlen(p->name) <= MULTIPART_NAME_MAX);
            assert(p->data >= body && p->data + p->len <= body + len);
            assert(multipart_get(&m, p->name) != NULL);
        }
    }
    arena_free(a);
    return 0;
}
