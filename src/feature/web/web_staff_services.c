/* web_staff_services.c - services in the back office: the list on the staff
 * organization page (a hook and its partial staff/org_services) and a
 * service's page (/staff/services/{id}) with the last provisioning result and
 * the status changes staff make with notes: activate, suspend, unsuspend,
 * terminate, cancel. The same service functions as the staff API. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "feature/web/web.h"

/* The actions of the page: path segment, label, target status, the status it starts from. */
static const struct staff_action {
    const char *name;
    const char *label;
    service_status to;
    service_status from_only; /* SERVICE_STATUS_COUNT = any the rules allow */
} staff_actions[] = {
    {"activate", N_("Activate"), SERVICE_ACTIVE, SERVICE_PENDING},
    {"suspend", N_("Suspend"), SERVICE_SUSPENDED, SERVICE_STATUS_COUNT},
    {"unsuspend", N_("Unsuspend"), SERVICE_ACTIVE, SERVICE_SUSPENDED},
    {"terminate", N_("Terminate"), SERVICE_TERMINATED, SERVICE_STATUS_COUNT},
    {"cancel", N_("Cancel"), SERVICE_CANCELLED, SERVICE_STATUS_COUNT},
};

static bool action_allowed(const struct staff_action *a, service_status from)
{
    return (a->from_only == SERVICE_STATUS_COUNT || a->from_only == from) && service_transition_allowed(from, a->to);
}

bool web_staff_org_services(http_request *r, json_t *data, int64_t org_id)
{
    int64_t next_after;
    service_view *list = arena_alloc(r->a, sizeof *list * SERVICE_PAGE_MAX);
    int n = service_view_list(r, org_id, 0, 0, SERVICE_PAGE_MAX, list, &next_after);
    if (n < 0)
        return false;
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, web_service_row(r, &list[i], true));
    json_object_set_new(data, "services", rows);
    json_object_set_new(data, "has_services", json_boolean(n > 0));
    return true;
}

static void service_page(http_request *r, int status, int64_t id, const char *error)
{
    service_view v;
    char org[ORG_NAME_MAX + 1] = "";
    int found = service_view_get(r, 0, id, &v);
    if (found <= 0)
        return found < 0 ? web_fail(r) : web_error_page(r, 404);
    org_name(r->db, v.s.org_id, org, sizeof org);
    json_t *actions = json_array();
    for (size_t i = 0; i < sizeof staff_actions / sizeof staff_actions[0]; i++)
        if (action_allowed(&staff_actions[i], v.s.status))
            json_array_append_new(actions, json_pack("{s:s, s:s}", "name", staff_actions[i].name, "label",
                                                     i18n_text(r->lang, staff_actions[i].label)));
    json_t *s = web_service_row(r, &v, true);
    json_t *at = json_object_get(json_object_get(json_object_get(s, "staff"), "provisioning"), "at");
    json_t *data = json_pack("{s:o, s:s, s:o, s:b}", "service", s, "org_name", org, "actions", actions,
                             "has_actions", json_array_size(actions) > 0);
    if (json_is_string(at))
        json_object_set_new(data, "provisioned", json_string(web_datetime(r, json_string_value(at))));
    if (error)
        json_object_set_new(data, "error", json_string(error));
    web_staff_page(r, status, "staff/service", arena_printf(r->a, "%s #%lld", _("Service"), (long long)id), "orgs",
                   data);
}

static void get_service(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "service_id", &id))
        return web_error_page(r, 404);
    service_page(r, 200, id, NULL);
}

static void post_action(http_request *r)
{
    int64_t id;
    form f;
    const char *name = http_param(r, "action");
    const struct staff_action *a = NULL;
    for (size_t i = 0; i < sizeof staff_actions / sizeof staff_actions[0]; i++)
        if (!strcmp(staff_actions[i].name, name))
            a = &staff_actions[i];
    if (!a || !http_param_id(r, "service_id", &id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *notes = web_optional_text(r, &f, "notes", SERVICE_NOTES_MAX, errors);
    json_decref(errors);
    if (!notes)
        return service_page(r, 422, id, _("The notes are too long (at most 4000 characters)."));
    service_actor who = {.staff_id = r->staff_id, .via = "staff", .notes = notes, .ip = r->client_ip,
                         .only_from = a->from_only == SERVICE_STATUS_COUNT ? NULL : &a->from_only};
    service_result res = service_change_status(r, id, a->to, &who);
    if (res == SERVICE_BAD_TRANSITION)
        return service_page(r, 409, id, _("The service's status does not allow this."));
    if (res != SERVICE_OK)
        return res == SERVICE_NOT_FOUND ? web_error_page(r, 404) : web_fail(r);
    web_flash(r, "service_status");
    http_redirect(r, arena_printf(r->a, "/staff/services/%lld", (long long)id));
}

void web_staff_services_routes(router *rt)
{
    router_add(rt, "GET", "/staff/services/{service_id}", get_service, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/services/{service_id}/{action}", post_action, ROUTE_STAFF | ROUTE_PAGE);
}
