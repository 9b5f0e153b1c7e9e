/* services_api.c - the customers' API of services:
 *   GET    /api/v1/orgs/{org_id}/services            (limit, cursor)
 *   GET    /api/v1/orgs/{org_id}/services/{service_id}
 *   PATCH  /api/v1/orgs/{org_id}/services/{service_id}  {auto_renew, period}
 *   POST   /api/v1/orgs/{org_id}/services/{service_id}/assignment  {email}  (resellers' admins)
 *   DELETE /api/v1/orgs/{org_id}/services/{service_id}/assignment
 *   POST   /api/v1/service-claims/{token}/accept  {org_id}
 * A member limited to some services or categories gets 404 on the others, as
 * a non-member does on anything of the organization. */
#include "feature/services/services_internal.h"

#include <string.h>

#include "core/number_text.h"
#include "core/period.h"
#include "feature/auth/secret.h"
#include "feature/catalog/catalog.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

enum { SERVICE_PAGE_DEFAULT = 20 };

void service_answer_result(http_request *r, service_result res)
{
    switch (res) {
    case SERVICE_NOT_FOUND:
        return http_error(r, 404, "not_found", "no such service", NULL);
    case SERVICE_BAD_TRANSITION:
        return http_error(r, 409, "invalid_transition", "the service's status does not allow this", NULL);
    case SERVICE_NOT_ELIGIBLE:
        return http_error(r, 422, "invalid_field", "auto_renew: this product does not renew automatically",
                          "auto_renew");
    case SERVICE_BAD_PERIOD:
        return http_error(r, 422, "invalid_field", "period: the product is not sold for this period", "period");
    case SERVICE_MANAGED:
        return http_error(r, 403, "managed_by_reseller", "this service is managed by your reseller", NULL);
    case SERVICE_NOT_RESELLER:
        return http_error(r, 403, "not_reseller", "only resellers assign services to end customers", NULL);
    case SERVICE_ALREADY_CLAIMED:
        return http_error(r, 409, "already_claimed",
                          "the end customer has claimed this service; remove the assignment first", NULL);
    case SERVICE_BAD_ORG:
        return http_error(r, 422, "invalid_field", "org_id: you are not an administrator of this organization",
                          "org_id");
    default:
        return http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    }
}

bool service_page_args(http_request *r, int64_t *after_id, size_t *limit)
{
    const char *l = http_query(r, "limit"), *c = http_query(r, "cursor");
    int64_t v = SERVICE_PAGE_DEFAULT;
    *after_id = 0;
    if (l && !int_text_parse(l, 1, SERVICE_PAGE_MAX, &v)) {
        http_error(r, 422, "invalid_field", "limit: expected an integer 1-100", "limit");
        return false;
    }
    *limit = (size_t)v;
    if (c && !int_text_parse(c, 0, INT64_MAX, after_id)) {
        http_error(r, 422, "invalid_field", "cursor: expected a next_cursor of this list", "cursor");
        return false;
    }
    return true;
}

json_t *service_page_json(http_request *r, int64_t org_id, int64_t user_id, bool staff)
{
    int64_t after, next_after;
    size_t limit;
    if (!service_page_args(r, &after, &limit))
        return NULL;
    service_view *list = arena_alloc(r->a, sizeof *list * limit);
    int n = service_view_list(r, org_id, user_id, after, limit, list, &next_after);
    if (n < 0) {
        service_answer_result(r, SERVICE_STORE_ERROR);
        return NULL;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, service_view_json(r, &list[i], staff));
    json_t *next = next_after ? json_string(arena_printf(r->a, "%lld", (long long)next_after)) : json_null();
    return json_pack("{s:o, s:o}", "services", arr, "next_cursor", next);
}

/* The path's organization if the caller is a member (with the admin right
 * when asked: 403 for a member without it); else 404. */
static bool org_or_reply(http_request *r, bool admin, int64_t *org_id)
{
    if (!http_param_id(r, "org_id", org_id) || !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_MEMBER)) {
        http_error(r, 404, "not_found", "no such organization", NULL);
        return false;
    }
    if (admin && !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_ADMIN)) {
        http_error(r, 403, "forbidden", "only the organization's administrators may change this", NULL);
        return false;
    }
    return true;
}

/* The path's service as the caller may see it; else answers 404. */
static bool service_or_reply(http_request *r, bool admin, int64_t *org_id, service_view *v)
{
    int64_t id;
    if (!org_or_reply(r, admin, org_id))
        return false;
    int found = http_param_id(r, "service_id", &id) ? service_view_get(r, *org_id, id, v) : 0;
    if (found > 0 && service_user_may(r, r->user_id, *org_id, v))
        return true;
    service_answer_result(r, found < 0 ? SERVICE_STORE_ERROR : SERVICE_NOT_FOUND);
    return false;
}

static void list_services(http_request *r)
{
    int64_t org_id;
    if (!org_or_reply(r, false, &org_id))
        return;
    json_t *page = service_page_json(r, org_id, r->user_id, false);
    if (page)
        http_json(r, 200, page);
}

static void answer_service(http_request *r, int64_t org_id, int64_t id)
{
    service_view v;
    if (service_view_get(r, org_id, id, &v) != 1)
        return service_answer_result(r, SERVICE_STORE_ERROR);
    http_json(r, 200, service_view_json(r, &v, false));
}

static void get_service(http_request *r)
{
    int64_t org_id;
    service_view v;
    if (service_or_reply(r, false, &org_id, &v))
        http_json(r, 200, service_view_json(r, &v, false));
}

/* An optional integer field; answers 422 itself. */
static bool read_period(http_request *r, json_t *b, bool *present, int *out)
{
    json_t *v = json_object_get(b, "period");
    *present = v != NULL;
    if (!v)
        return true;
    if (!json_is_integer(v) || !period_valid((int)json_integer_value(v)) ||
        json_integer_value(v) != (int)json_integer_value(v)) {
        http_error(r, 422, "invalid_field", "period: expected 1, 3, 6, 12, 24, 36, 48 or 60 (months)", "period");
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

static void patch_service(http_request *r)
{
    int64_t org_id;
    service_view v;
    json_t *b;
    bool auto_renew, has_period;
    int period;
    if (!service_or_reply(r, false, &org_id, &v) || !jin_body(r, &b) || !jin_not_null(r, b, "auto_renew") ||
        !jin_bool(r, b, "auto_renew", JIN_OPTIONAL, &auto_renew) || !jin_not_null(r, b, "period") ||
        !read_period(r, b, &has_period, &period))
        return;
    bool has_auto = json_object_get(b, "auto_renew") != NULL;
    service_result res = service_update_settings(r, org_id, v.s.id, has_auto ? &auto_renew : NULL,
                                                 has_period ? &period : NULL);
    if (res != SERVICE_OK)
        return service_answer_result(r, res);
    answer_service(r, org_id, v.s.id);
}

static void post_assignment(http_request *r)
{
    int64_t org_id;
    service_view v;
    json_t *b;
    const char *email;
    if (!service_or_reply(r, true, &org_id, &v) || !jin_body(r, &b) ||
        !jin_email(r, b, "email", JIN_REQUIRED, &email))
        return;
    service_result res = v.managed_by ? SERVICE_MANAGED : service_assign(r, org_id, v.s.id, email);
    if (res != SERVICE_OK)
        return service_answer_result(r, res);
    answer_service(r, org_id, v.s.id);
}

static void delete_assignment(http_request *r)
{
    int64_t org_id;
    service_view v;
    if (!service_or_reply(r, true, &org_id, &v))
        return;
    service_result res = v.managed_by ? SERVICE_MANAGED : service_unassign(r, org_id, v.s.id);
    if (res != SERVICE_OK)
        return service_answer_result(r, res);
    http_text(r, 204, NULL, "", 0);
}

static void post_claim(http_request *r)
{
    json_t *b, *org = NULL;
    const char *token = http_param(r, "token");
    int64_t service_id;
    if (!jin_body(r, &b))
        return;
    org = json_object_get(b, "org_id");
    if (!json_is_integer(org) || json_integer_value(org) <= 0)
        return http_error(r, 422, "invalid_field", "org_id: expected the id of one of your organizations", "org_id");
    service_result res = service_claim(r, token, json_integer_value(org), &service_id);
    if (res != SERVICE_OK)
        return service_answer_result(r, res);
    answer_service(r, json_integer_value(org), service_id);
}

void services_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/services", list_services, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/services/{service_id}", get_service, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}/services/{service_id}", patch_service, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/services/{service_id}/assignment", post_assignment, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/services/{service_id}/assignment", delete_assignment,
               ROUTE_USER);
    router_add(rt, "POST", "/api/v1/service-claims/{token}/accept", post_claim, ROUTE_USER);
}
