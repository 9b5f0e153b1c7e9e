/* router.c - see router.h. A linear scan: a few hundred routes cost microseconds. */
#include "http/router.h"

#include "store/db_group.h"

#include <assert.h>
#include <string.h>

void router_add(router *rt, const char *method, const char *pattern, http_handler fn, unsigned flags)
{
    assert(rt->count < ROUTER_ROUTES_MAX && pattern[0] == '/' && fn);
    rt->routes[rt->count++] = (route){method, pattern, fn, flags};
}

/* Matches one pattern; captures go to names/values (up to HTTP_PARAMS_MAX). */
static bool match_pattern(const char *pat, const char *path, http_request *r)
{
    int n = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            const char *seg_end = strchr(path, '/');
            size_t seg_len = seg_end ? (size_t)(seg_end - path) : strlen(path);
            if (!close || n >= HTTP_PARAMS_MAX)
                return false;
            /* "{id}.pdf": the parameter stops at the '.' (the first one) */
            const char *stop = close[1] && close[1] != '/' ? memchr(path, close[1], seg_len) : NULL;
            if (close[1] && close[1] != '/' && !stop)
                return false;
            if (stop)
                seg_len = (size_t)(stop - path);
            if (seg_len == 0)
                return false;
            if (r) {
                r->param_names[n] = arena_strndup(r->a, pat + 1, (size_t)(close - pat - 1));
                r->param_values[n] = arena_strndup(r->a, path, seg_len);
            }
            n++;
            pat = close + 1;
            path += seg_len;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++;
        path++;
    }
    if (*pat || *path)
        return false;
    if (r)
        r->param_count = n;
    return true;
}

router_match_result router_match(const router *rt, const char *method, const char *path,
                                 http_request *r, const route **out)
{
    const char *m = strcmp(method, "HEAD") ? method : "GET";
    bool path_known = false;
    for (size_t i = 0; i < rt->count; i++) {
        const route *ro = &rt->routes[i];
        if (!match_pattern(ro->pattern, path, NULL))
            continue;
        path_known = true;
        if (strcmp(ro->method, m))
            continue;
        match_pattern(ro->pattern, path, r);
        r->route = ro->pattern;
        r->route_index = (int)i;
        if (r->db && (ro->flags & ROUTE_GROUPED))
            db_group_next(r->db);
        *out = ro;
        return ROUTER_FOUND;
    }
    return path_known ? ROUTER_WRONG_METHOD : ROUTER_NOT_FOUND;
}
