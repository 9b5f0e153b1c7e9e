/* gw_dispatch.c - the gateway's request dispatcher: the route table, the
 * Bearer API key on /v1/ routes, and the answers for unknown routes. */
#include "gateway/gw.h"

#include <sodium.h>
#include <string.h>

/* Built once before the server starts; read-only afterwards. */
static router routes;

void gw_routes_init(void)
{
    memset(&routes, 0, sizeof routes);
    gw_api_routes(&routes);
    gw_refund_routes(&routes);
    gw_page_routes(&routes);
    gw_setup_routes(&routes);
}

static bool api_key_ok(http_request *r)
{
    const char *h = http_header(r, "Authorization");
    size_t n = strlen(gw_cfg.api_key);
    return h && !strncmp(h, "Bearer ", 7) && strlen(h + 7) == n && sodium_memcmp(h + 7, gw_cfg.api_key, n) == 0;
}

void gw_dispatch(http_request *r)
{
    r->lang = "en";
    if (r->body_too_large)
        return http_error(r, 413, "body_too_large", "the request body is too large", NULL);
    bool api = !strncmp(r->path, "/v1/", 4);
    if (api && !api_key_ok(r)) {
        http_add_header(r, "WWW-Authenticate", "Bearer");
        return http_error(r, 401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)", NULL);
    }
    const route *rt;
    switch (router_match(&routes, r->method, r->path, r, &rt)) {
    case ROUTER_FOUND:
        return rt->fn(r);
    case ROUTER_WRONG_METHOD:
        return http_error(r, 405, "method_not_allowed", "this route does not take this method", NULL);
    default:
        return http_error(r, 404, "not_found", "no such route", NULL);
    }
}
