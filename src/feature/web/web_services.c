/* web_services.c - the current organization's services: the list (/services),
 * a service's page with the renewal settings and, for resellers, the
 * assignment to an end customer (/services/{id}), and the end customer's claim
 * page (/claims/{token}). The same service functions as the API
 * (feature/services/services.h); a service the user may not see is the 404
 * page. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "core/number_text.h"
#include "core/period.h"
#include "feature/catalog/catalog.h"
#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "feature/web/web.h"

static const char *web_service_status_label(http_request *r, service_status st)
{
    switch (st) {
    case SERVICE_PENDING: return _("Pending activation");
    case SERVICE_ACTIVE: return _("Active");
    case SERVICE_SUSPENDED: return _("Suspended");
    case SERVICE_TERMINATED: return _("Terminated");
    default: return _("Cancelled");
    }
}

/* "2026-01-15" as the page shows a date of the service JSON. */
static json_t *date_of(http_request *r, json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    return json_is_string(v) ? json_string(web_datetime(r, json_string_value(v))) : json_string("");
}

json_t *web_service_row(http_request *r, const service_view *v, bool staff)
{
    json_t *j = service_view_json(r, v, staff);
    json_object_set_new(j, "status_label", json_string(web_service_status_label(r, v->s.status)));
    json_object_set_new(j, "status_ok", json_boolean(v->s.status == SERVICE_ACTIVE));
    json_object_set_new(j, "expires", date_of(r, j, "expires_at"));
    json_object_set_new(j, "starts", date_of(r, j, "starts_at"));
    json_object_set_new(j, "activated", date_of(r, j, "activated_at"));
    json_object_set_new(j, "period_label", json_string(arena_printf(r->a, "%d %s", v->s.period_months,
                                                                    v->s.period_months == 1 ? _("month") : _("months"))));
    return j;
}

static void get_services(http_request *r)
{
    int64_t org = web_current_org(r), next_after, after = 0;
    int_text_parse(http_query(r, "cursor"), 0, INT64_MAX, &after); /* not a cursor: the first page */
    service_view *list = arena_alloc(r->a, sizeof *list * SERVICE_PAGE_MAX);
    int n = org ? service_view_list(r, org, r->user_id, after, SERVICE_PAGE_MAX, list, &next_after) : 0;
    if (n < 0)
        return web_fail(r);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, web_service_row(r, &list[i], false));
    json_t *data = json_pack("{s:o, s:b}", "services", rows, "has_services", n > 0);
    if (org && n > 0 && next_after)
        json_object_set_new(data, "next_url", json_string(arena_printf(r->a, "/services?cursor=%lld", (long long)next_after)));
    web_page(r, 200, "pages/services", _("Services"), "services", data);
}

/* The path's service of the current organization as the user may see it;
 * else 0 after the 404 page. */
static int64_t service_for(http_request *r, service_view *v)
{
    int64_t org = web_current_org(r), id;
    if (org && http_param_id(r, "service_id", &id) && service_view_get(r, org, id, v) == 1 &&
        service_user_may(r, r->user_id, org, v))
        return org;
    web_error_page(r, 404);
    return 0;
}

/* The periods of the product, the service's one selected. */
static json_t *period_options(http_request *r, const catalog_product *p, int chosen)
{
    json_t *list = json_array();
    for (int i = 0; i < PERIOD_COUNT; i++)
        if (catalog_period_allowed(p, period_all[i]))
            json_array_append_new(list, json_pack("{s:i, s:s, s:b}", "months", period_all[i], "label",
                arena_printf(r->a, "%d %s", period_all[i], period_all[i] == 1 ? _("month") : _("months")),
                "selected", period_all[i] == chosen));
    return list;
}

static void service_page(http_request *r, int64_t org, const service_view *v, int status, json_t *errors)
{
    catalog_product p;
    if (catalog_product_get(r->db, v->s.product_id, &p) != 1)
        return (void)json_decref(errors), web_fail(r);
    json_t *s = web_service_row(r, v, false);
    bool open = v->s.status != SERVICE_TERMINATED && v->s.status != SERVICE_CANCELLED;
    bool admin = org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN);
    json_t *data = json_pack("{s:o, s:b, s:b, s:b, s:o, s:o}", "service", s, "editable", open && !v->managed_by,
        "can_auto_renew", p.auto_renew || v->s.auto_renew, "can_assign",
        open && admin && !v->managed_by && catalog_is_reseller(r->db, org), "periods",
        period_options(r, &p, v->s.period_months), "errors", errors ? errors : json_object());
    web_page(r, status, "pages/service", v->s.label[0] ? v->s.label : catalog_product_name(&p, r->lang), "services",
             data);
}

static void get_service(http_request *r)
{
    service_view v;
    int64_t org = service_for(r, &v);
    if (org)
        service_page(r, org, &v, 200, NULL);
}

static void post_settings(http_request *r)
{
    service_view v;
    form f;
    int64_t org = service_for(r, &v);
    if (!org || !web_form(r, &f))
        return;
    bool auto_renew = form_get(&f, "auto_renew") != NULL;
    const char *months = form_get(&f, "period");
    int64_t chosen = v.s.period_months;
    if (months && !int_text_parse(months, 1, PERIOD_MONTHS_MAX, &chosen))
        chosen = 0; /* not a number of months: refused below */
    int period = (int)chosen;
    json_t *errors = json_object();
    service_result res = period_valid(period) ? service_update_settings(r, org, v.s.id, &auto_renew, &period)
                                              : SERVICE_BAD_PERIOD;
    if (res == SERVICE_NOT_ELIGIBLE)
        json_object_set_new(errors, "auto_renew", json_string(_("This product does not renew automatically.")));
    else if (res == SERVICE_BAD_PERIOD)
        json_object_set_new(errors, "period", json_string(_("Choose one of the periods offered.")));
    else if (res != SERVICE_OK) {
        json_decref(errors);
        return res == SERVICE_STORE_ERROR ? web_fail(r) : web_error_page(r, 409);
    }
    if (res != SERVICE_OK)
        return service_page(r, org, &v, 422, errors);
    json_decref(errors);
    web_flash(r, auto_renew != v.s.auto_renew ? "service_renewal_mailed" : "service_saved");
    http_redirect(r, arena_printf(r->a, "/services/%lld", (long long)v.s.id));
}

static void post_assignment(http_request *r)
{
    service_view v;
    form f;
    int64_t org = service_for(r, &v);
    if (!org || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *email = web_email(r, &f, "email", false, errors);
    if (!org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN) || v.managed_by)
        return (void)json_decref(errors), web_error_page(r, 403);
    service_result res = email ? service_assign(r, org, v.s.id, email) : SERVICE_OK;
    if (!email)
        return service_page(r, org, &v, 422, errors);
    json_decref(errors);
    if (res != SERVICE_OK)
        return res == SERVICE_STORE_ERROR ? web_fail(r) : web_error_page(r, res == SERVICE_NOT_RESELLER ? 403 : 409);
    web_flash(r, "service_assigned");
    http_redirect(r, arena_printf(r->a, "/services/%lld", (long long)v.s.id));
}

static void post_unassign(http_request *r)
{
    service_view v;
    form f;
    int64_t org = service_for(r, &v);
    if (!org || !web_form(r, &f))
        return;
    if (!org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN) || v.managed_by)
        return web_error_page(r, 403);
    service_result res = service_unassign(r, org, v.s.id);
    if (res != SERVICE_OK)
        return res == SERVICE_STORE_ERROR ? web_fail(r) : web_error_page(r, 404);
    web_flash(r, "service_unassigned");
    http_redirect(r, arena_printf(r->a, "/services/%lld", (long long)v.s.id));
}

/* The organizations the signed-in user administers, as choices. */
static json_t *admin_orgs(http_request *r)
{
    json_t *all = org_list_for_user(r->db, r->user_id), *out = json_array(), *o;
    size_t i;
    json_array_foreach(all, i, o)
        if (!strcmp(json_string_value(json_object_get(o, "role")), "admin"))
            json_array_append(out, o);
    json_decref(all);
    return out;
}

static void claim_page(http_request *r, int status, const char *token, const char *error)
{
    int64_t service_id;
    const char *product, *reseller;
    int found = service_claim_lookup(r, token, &service_id, &product, &reseller);
    if (found < 0)
        return web_fail(r);
    json_t *data = json_pack("{s:b, s:s, s:b}", "valid", found == 1, "token", found == 1 ? token : "",
                             "signed_in", r->user_id > 0);
    if (found == 1) {
        json_t *orgs = r->user_id ? admin_orgs(r) : json_array();
        json_object_set_new(data, "product", json_string(product));
        json_object_set_new(data, "reseller", json_string(reseller));
        json_object_set_new(data, "has_orgs", json_boolean(json_array_size(orgs) > 0));
        json_object_set_new(data, "orgs", orgs);
    }
    if (error)
        json_object_set_new(data, "error", json_string(error));
    web_page(r, found == 1 ? status : 404, "pages/claim", _("Claim a service"), NULL, data);
}

static void get_claim(http_request *r)
{
    claim_page(r, 200, http_param(r, "token"), NULL);
}

static void post_claim(http_request *r)
{
    form f;
    int64_t service_id, org_id = 0;
    const char *token = http_param(r, "token");
    if (!web_form(r, &f))
        return;
    int_text_id(form_get(&f, "org_id"), &org_id); /* none or not an id: refused as not one of yours */
    service_result res = service_claim(r, token, org_id, &service_id);
    if (res == SERVICE_BAD_ORG)
        return claim_page(r, 422, token, _("Choose one of the organizations you administer."));
    if (res != SERVICE_OK)
        return res == SERVICE_STORE_ERROR ? web_fail(r) : claim_page(r, 404, token, NULL);
    web_flash(r, "service_claimed");
    http_redirect(r, "/services");
}

void web_services_routes(router *rt)
{
    router_add(rt, "GET", "/services", get_services, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/services/{service_id}", get_service, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/services/{service_id}/settings", post_settings, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/services/{service_id}/assignment", post_assignment, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/services/{service_id}/assignment/delete", post_unassign, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/claims/{token}", get_claim, ROUTE_PAGE);
    router_add(rt, "POST", "/claims/{token}", post_claim, ROUTE_USER | ROUTE_PAGE);
}
