/* fuzz_router.c - path matching against the real route table: any method and
 * path either matches one route with well-formed parameters or none. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static app the_app;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        app_routes(&the_app);
        ready = 1;
    }
    arena *a = arena_new();
    const char *sep = memchr(data, ' ', size);
    const char *method = sep ? arena_strndup(a, (const char *)data, (size_t)(sep - (const char *)data)) : "GET";
    const char *path = sep ? arena_strndup(a, sep + 1, size - (size_t)(sep + 1 - (const char *)data))
                           : arena_strndup(a, (const char *)data, size);
    http_request *r = arena_alloc(a, sizeof *r);
    r->a = a;
    const route *ro = NULL;
    if (router_match(&the_app.routes, method, path, r, &ro) == ROUTER_FOUND) {
        assert(ro && r->route == ro->pattern);
        assert(r->param_count >= 0 && r->param_count <= HTTP_PARAMS_MAX);
        for (int i = 0; i < r->param_count; i++)
            assert(r->param_values[i][0] && !strchr(r->param_values[i], '/'));
    }
    arena_free(a);
    return 0;
}
