/* fuzz_json_in.c - JSON request bodies through the field validators handlers
 * use: whatever the input, a validator either yields a valid value or answers
 * with an error naming the field. */
#include <assert.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/json_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static http_request *fresh_request(arena *a)
{
    http_request *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->lang = "it";
    buf_init(&r->out, 0);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!j)
        return 0;
    arena *a = arena_new();
    static const char *const langs[] = {"it", "en", NULL};
    for (int step = 0; step < 4; step++) {
        http_request *r = fresh_request(a);
        const char *s = NULL;
        money m;
        bool ok = step == 0 ? jin_string(r, j, "name", JIN_REQUIRED, 1, 200, &s)
                : step == 1 ? jin_email(r, j, "email", JIN_OPTIONAL, &s)
                : step == 2 ? jin_enum(r, j, "language", JIN_REQUIRED, langs, &s)
                            : jin_money(r, j, "amount", &m);
        if (ok) {
            assert(!r->answered);
            if (s)
                assert(strlen(s) <= 254 || step == 0);
        } else {
            assert(r->answered && (r->status == 422 || r->status == 400));
            assert(strstr(buf_cstr(&r->out), "\"field\""));
        }
        if (ok && step == 3)
            (void)json_decref(jout_money(m, "en"));
        buf_free(&r->out);
    }
    json_decref(j);
    arena_free(a);
    return 0;
}
