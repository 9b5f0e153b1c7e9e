/* router.h - method + path pattern ("/api/v1/orgs/{org_id}/wallets") to handler.
 *
 * Patterns are matched segment by segment; `{name}` matches one non-empty
 * segment and is handed to the handler through http_param(); followed by a
 * literal in the same segment (`{invoice_id}.pdf`) it stops at that
 * character's first occurrence. Routes are tried in the order they were added,
 * so add `.../{id}.pdf` before `.../{id}`. Routes also say who
 * may call them, which the dispatcher enforces before the handler runs. */
#ifndef SALDO_ROUTER_H
#define SALDO_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

typedef void (*http_handler)(http_request *r);

typedef enum {
    ROUTE_PUBLIC = 0,
    ROUTE_USER = 1 << 0,  /* a signed-in customer */
    ROUTE_STAFF = 1 << 1, /* a signed-in staff member */
    ROUTE_PAGE = 1 << 2,  /* HTML page: errors as pages, login redirects, form CSRF */
    ROUTE_UPLOAD = 1 << 3, /* takes bodies up to ROUTE_UPLOAD_BODY_MAX (files sent as multipart) */
    /* Moves money: its write transactions join the server's group commit
     * (store/db_group.h) and it is answered once its group is on disk. */
    ROUTE_GROUPED = 1 << 4,
} route_flags;
/* Five files of 10 MB and the form around them. */
enum { ROUTE_UPLOAD_BODY_MAX = 56 * 1024 * 1024 };

typedef struct route {
    const char *method;
    const char *pattern;
    http_handler fn;
    unsigned flags;
} route;

enum { ROUTER_ROUTES_MAX = 512 };

typedef struct router {
    size_t count;
    route routes[ROUTER_ROUTES_MAX];
} router;

void router_add(router *rt, const char *method, const char *pattern, http_handler fn, unsigned flags);

typedef enum { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_WRONG_METHOD } router_match_result;

/* Finds the route for method and path; on ROUTER_FOUND fills r's params and
 * route, and for a ROUTE_GROUPED route marks r->db (when set) with
 * db_group_next. HEAD matches GET routes. Parameter values are copied into r's arena. */
router_match_result router_match(const router *rt, const char *method, const char *path,
                                 http_request *r, const route **out);

#endif
