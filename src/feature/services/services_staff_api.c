/* services_staff_api.c - the back office API of services:
 *   GET  /api/v1/staff/orgs/{org_id}/services   (limit, cursor)
 *   GET  /api/v1/staff/services/{service_id}
 *   POST /api/v1/staff/services/{service_id}/activate|suspend|unsuspend|terminate|cancel  {notes}
 * Status changes follow service_transition_allowed (409 otherwise) and are
 * written to the staff audit log and the organization's. */
#include "feature/services/services_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "http/json_in.h"

static void staff_list(http_request *r)
{
    int64_t org_id;
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &org_id) || !org_name(r->db, org_id, name, sizeof name))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    json_t *page = service_page_json(r, org_id, 0, true);
    if (page)
        http_json(r, 200, page);
}

static void staff_answer(http_request *r, int64_t id)
{
    service_view v;
    int found = service_view_get(r, 0, id, &v);
    if (found != 1)
        return service_answer_result(r, found < 0 ? SERVICE_STORE_ERROR : SERVICE_NOT_FOUND);
    http_json(r, 200, service_view_json(r, &v, true));
}

static void staff_get(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "service_id", &id))
        return service_answer_result(r, SERVICE_NOT_FOUND);
    staff_answer(r, id);
}

/* Runs a staff status change to to (from only_from, NULL = any the rules
 * allow) with the body's optional notes. */
static void staff_change(http_request *r, service_status to, const service_status *only_from)
{
    int64_t id;
    json_t *b;
    const char *notes;
    if (!http_param_id(r, "service_id", &id))
        return service_answer_result(r, SERVICE_NOT_FOUND);
    if (!jin_body(r, &b) || !jin_string(r, b, "notes", JIN_OPTIONAL, 0, SERVICE_NOTES_MAX, &notes))
        return;
    service_actor who = {.staff_id = r->staff_id, .via = "staff", .notes = notes, .ip = r->client_ip,
                         .only_from = only_from};
    service_result res = service_change_status(r, id, to, &who);
    if (res != SERVICE_OK)
        return service_answer_result(r, res);
    staff_answer(r, id);
}

static const service_status from_pending = SERVICE_PENDING, from_suspended = SERVICE_SUSPENDED;

/* Activation and unsuspension both end active: each from its own status. */
static void staff_activate(http_request *r) { staff_change(r, SERVICE_ACTIVE, &from_pending); }
static void staff_unsuspend(http_request *r) { staff_change(r, SERVICE_ACTIVE, &from_suspended); }
static void staff_suspend(http_request *r) { staff_change(r, SERVICE_SUSPENDED, NULL); }
static void staff_terminate(http_request *r) { staff_change(r, SERVICE_TERMINATED, NULL); }
static void staff_cancel(http_request *r) { staff_change(r, SERVICE_CANCELLED, NULL); }

void services_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}/services", staff_list, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/services/{service_id}", staff_get, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/services/{service_id}/activate", staff_activate, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/services/{service_id}/suspend", staff_suspend, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/services/{service_id}/unsuspend", staff_unsuspend, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/services/{service_id}/terminate", staff_terminate, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/services/{service_id}/cancel", staff_cancel, ROUTE_STAFF);
}
