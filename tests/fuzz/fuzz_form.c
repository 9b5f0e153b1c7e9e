/* fuzz_form.c - urlencoded form parsing: never crashes, never returns a value
 * with a NUL inside or more fields than the limit. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    form f;
    if (form_parse(a, (const char *)data, size, &f)) {
        assert(f.count <= FORM_FIELDS_MAX);
        for (size_t i = 0; i < f.count; i++) {
            assert(f.names[i] && f.values[i]);
            assert(form_get(&f, f.names[i]) != NULL);
        }
    }
    arena_free(a);
    return 0;
}
