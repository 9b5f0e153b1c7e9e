/* web_info.c - the pages around the money: the overview at /, the organization
 * and its members, the static files, and the table of every page route (the
 * support page is web_support.c's). */
#include "feature/web/web_internal.h"

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"
#include "http/static_files.h"

static void get_home(http_request *r)
{
    json_t *data = json_object();
    int64_t org = web_current_org(r);
    char name[ORG_NAME_MAX + 1] = "";
    if (org && org_name(r->db, org, name, sizeof name))
        json_object_set_new(data, "org_name", json_string(name));
    web_page(r, 200, "pages/home", _("Overview"), "home", data);
}

static void get_organization(http_request *r)
{
    int64_t org = web_current_org(r);
    char name[ORG_NAME_MAX + 1];
    org_member *members = arena_alloc(r->a, sizeof *members * ORG_MEMBERS_MAX);
    int n = org ? org_members(r->db, org, members, ORG_MEMBERS_MAX) : 0;
    if (!org || !org_name(r->db, org, name, sizeof name))
        return web_error_page(r, 404);
    if (n < 0)
        return web_fail(r);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        auth_user u;
        if (!auth_user_get(r, members[i].user_id, &u))
            continue;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:b}", "name", u.name, "email", u.email,
                                              "role", members[i].admin ? _("Administrator") : _("Member"),
                                              "billing", members[i].billing, "me", members[i].user_id == r->user_id));
    }
    web_page(r, 200, "pages/organization", _("Organization"), "organization",
             json_pack("{s:s, s:o}", "org_name", name, "members", list));
}

static void get_static(http_request *r)
{
    if (!static_serve(r, &r->app->statics, http_param(r, "file")))
        web_error_page(r, 404);
}

void web_info_routes(router *rt)
{
    router_add(rt, "GET", "/", get_home, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/organization", get_organization, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/static/{file}", get_static, ROUTE_PAGE);
}

void web_routes(router *rt)
{
    web_info_routes(rt);
    web_support_routes(rt);
    web_chat_routes(rt);
    web_staff_chat_routes(rt);
    web_staff_support_routes(rt);
    web_staff_support_settings_routes(rt);
    web_auth_routes(rt);
    web_account_routes(rt);
    web_twofa_routes(rt);
    web_billing_routes(rt);
    web_bank_routes(rt);
    web_org_routes(rt);
    web_addresses_routes(rt);
    web_renewals_routes(rt);
    web_privacy_routes(rt);
    web_staff_routes(rt);
    web_staff_bank_routes(rt);
    web_members_routes(rt);
    web_catalog_routes(rt);
    web_services_routes(rt);
    web_staff_services_routes(rt);
    web_cart_routes(rt);
    web_orders_routes(rt);
    web_staff_discounts_routes(rt);
    web_withdrawals_routes(rt);
    web_topup_routes(rt);
    web_payment_methods_routes(rt);
    web_notifications_routes(rt);
    web_status_routes(rt);
    web_staff_withdrawals_routes(rt);
    web_staff_vat_routes(rt);
    web_refunds_routes(rt);
    web_staff_refunds_routes(rt);
    web_invoices_routes(rt);
    web_staff_documents_routes(rt);
}
