/* staff_api.c - the back office API: staff sign-in, finding organizations,
 * their wallets and transfers, credit adjustments, and the audit log. What
 * the handlers know of customers and organizations they ask of auth and orgs
 * (staff_orgs.c); they read only staff's own tables. */
#include "feature/staff/staff.h"
#include "feature/staff/staff_internal.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "http/json_in.h"

static void post_staff_session(http_request *r)
{
    json_t *b;
    const char *email, *password;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email) ||
        !jin_string(r, b, "password", JIN_REQUIRED, 1, SECRET_PASSWORD_MAX, &password))
        return;
    int64_t staff_id = auth_check_login(r, true, email, password);
    if (!staff_id)
        return;
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    if (!staff_session_start(r, "api", staff_id, token, &s))
        return (void)http_error(r, 500, "store_error", "cannot create the session", NULL);
    http_json(r, 201, json_pack("{s:s}", "token", token));
}

static void delete_staff_session(http_request *r)
{
    if (!staff_session_end(r))
        return (void)http_error(r, 500, "store_error", "cannot end the session", NULL);
    http_text(r, 204, NULL, "", 0);
}

static void get_orgs(http_request *r)
{
    const char *q = http_query(r, "q");
    if (q && strlen(q) > STAFF_SEARCH_TEXT_MAX)
        return (void)http_error(r, 422, "invalid_field", "q: at most 200 characters", "q");
    json_t *list = staff_find_orgs(r, q ? q : "");
    if (!list)
        return (void)http_error(r, 500, "store_error", "cannot search", NULL);
    http_json(r, 200, json_pack("{s:o}", "organizations", list));
}

/* The organization of the path, or a 404 answer; *name in the arena. */
static bool path_org(http_request *r, int64_t *org_id, const char **name)
{
    char found[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", org_id) || !org_name(r->db, *org_id, found, sizeof found)) {
        http_error(r, 404, "not_found", "no such organization", NULL);
        return false;
    }
    if (name)
        *name = arena_strdup(r->a, found);
    return true;
}

static void get_org(http_request *r)
{
    int64_t org_id;
    const char *name;
    if (!path_org(r, &org_id, &name))
        return;
    json_t *w = wallet_list_json(r, org_id);
    json_t *members = w ? staff_org_members(r, org_id, false) : NULL;
    if (!members) {
        json_decref(w);
        return (void)http_error(r, 500, "store_error", "cannot read the organization", NULL);
    }
    org_profile p;
    if (org_profile_get(r->db, org_id, &p) != 1) {
        json_decref(w);
        json_decref(members);
        return (void)http_error(r, 500, "store_error", "cannot read the organization", NULL);
    }
    json_t *profile = org_profile_json(&p, arena_printf(r->a, "/staff/orgs/%lld", (long long)org_id));
    json_object_set_new(profile, "deleted_at", p.deleted_at ? jout_time(p.deleted_at) : json_null());
    json_object_set_new(w, "organization", json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)org_id, "name", name,
                                                      "members", members, "profile", profile));
    http_json(r, 200, w);
}

static void get_org_transactions(http_request *r)
{
    int64_t org_id, before_id;
    size_t limit;
    if (path_org(r, &org_id, NULL) && wallet_page_args(r, &before_id, &limit))
        wallet_lines_answer(r, org_id, NULL, before_id, limit);
}

void staff_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/staff/sessions", post_staff_session, ROUTE_PUBLIC);
    router_add(rt, "DELETE", "/api/v1/staff/sessions/current", delete_staff_session, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs", get_orgs, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}", get_org, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}/transactions", get_org_transactions, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/orgs/{org_id}/adjustments", staff_post_adjustment, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/audit", staff_get_audit, ROUTE_STAFF);
}
