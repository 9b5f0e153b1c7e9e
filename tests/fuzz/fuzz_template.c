/* fuzz_template.c - the template compiler and renderer never crash or leak.
 *
 * The input is compiled as template "fuzz" beside a recursive partial "p"; if it
 * compiles, it is rendered against a fixed context with an output limit, and the
 * result must respect the limit. The input may include itself with {{> fuzz}}. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/template.h"

enum { FUZZ_OUT_LIMIT = 64 * 1024 };

static const char fuzz_context[] =
    "{\"name\": \"<Tom & 'Jerry'>\", \"i\": 42, \"n\": 0, \"r\": 1.5, \"t\": true,"
    " \"f\": false, \"z\": null, \"e\": \"\", \"arr\": [], \"list\": [1, \"two\", 3],"
    " \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"name\": \"inner\"},"
    " \"items\": [{\"name\": \"a\", \"items\": [{\"name\": \"b\", \"items\": []}]},"
    "             {\"name\": \"c\", \"items\": []}]}";

static const char fuzz_partial[] = "<{{name}}{{#items}}{{> p}}{{/items}}>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_translate(void *ctx, const char *msgid)
{
    (void)ctx;
    return msgid[0] == 'x' ? "<translated & 'escaped'>" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *context;
    if (!context) {
        context = json_loads(fuzz_context, 0, NULL);
        assert(context);
    }
    char err[256];
    tmpl_set *set = tmpl_set_new();
    if (!tmpl_set_add(set, "p", fuzz_partial, strlen(fuzz_partial), err, sizeof err))
        abort();
    if (tmpl_set_add(set, "fuzz", (const char *)data, size, err, sizeof err)) {
        (void)tmpl_set_check(set, err, sizeof err);
        buf out;
        buf_init(&out, FUZZ_OUT_LIMIT);
        if (tmpl_render(set, "fuzz", context, fuzz_translate, NULL, &out, err, sizeof err))
            assert(out.len <= FUZZ_OUT_LIMIT);
        else
            assert(out.len == 0 && err[0] != '\0');
        buf_free(&out);
    } else {
        assert(err[0] != '\0' && !tmpl_set_has(set, "fuzz"));
    }
    tmpl_set_free(set);
    return 0;
}
