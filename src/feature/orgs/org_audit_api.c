/* org_audit_api.c - GET /api/v1/orgs/{org_id}/audit (a page at a time, with
 * limit and cursor like the transactions) and GET .../audit.csv (the newest
 * ORG_AUDIT_CSV_ROWS_MAX entries as a download). Administrators only: a member
 * gets 403, anyone else 404. */
#include "feature/orgs/org_audit.h"

#include <string.h>

#include "core/number_text.h"
#include "feature/orgs/members.h"
#include "feature/orgs/orgs.h"

enum { ORG_AUDIT_PAGE_DEFAULT = 20, ORG_AUDIT_CSV_BYTES_MAX = 64 * 1024 * 1024 };

/* ?limit= (1..99, default 20) and ?cursor= (a next_cursor); answers 422 itself. */
static bool page_args(http_request *r, int64_t *before_id, size_t *limit)
{
    const char *l = http_query(r, "limit"), *c = http_query(r, "cursor");
    int64_t v = ORG_AUDIT_PAGE_DEFAULT;
    *before_id = 0;
    if (l && !int_text_parse(l, 1, ORG_AUDIT_PAGE_MAX - 1, &v)) {
        http_error(r, 422, "invalid_field", "limit: must be a whole number from 1 to 99", "limit");
        return false;
    }
    *limit = (size_t)v;
    if (c && !int_text_id(c, before_id)) {
        http_error(r, 422, "invalid_field", "cursor: not a cursor this API returned", "cursor");
        return false;
    }
    return true;
}

static void get_audit(http_request *r)
{
    int64_t org_id, before_id;
    size_t limit;
    if (!members_api_org(r, ORG_NEED_ADMIN, &org_id) || !page_args(r, &before_id, &limit))
        return;
    json_t *page = org_audit_page_json(r, org_id, before_id, limit);
    if (!page)
        return http_error(r, 500, "store_error", "cannot read the audit log", NULL);
    http_json(r, 200, page);
}

static void get_audit_csv(http_request *r)
{
    int64_t org_id;
    if (!members_api_org(r, ORG_NEED_ADMIN, &org_id))
        return;
    buf out;
    buf_init(&out, ORG_AUDIT_CSV_BYTES_MAX);
    if (org_audit_csv(r, org_id, &out)) {
        http_add_header(r, "Content-Disposition",
                        arena_printf(r->a, "attachment; filename=\"audit-%lld.csv\"", (long long)org_id));
        http_add_header(r, "Cache-Control", "no-store");
        http_text(r, 200, "text/csv; charset=utf-8", buf_cstr(&out), out.len);
    } else {
        http_error(r, 500, "store_error", "cannot read the audit log", NULL);
    }
    buf_free(&out);
}

void org_audit_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/audit", get_audit, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/audit.csv", get_audit_csv, ROUTE_USER);
}
