/* members_api.c - the members and invitations API:
 *   GET    /api/v1/orgs/{org_id}/members                 any member
 *   POST   /api/v1/orgs/{org_id}/members                 administrators: invites (same as below)
 *   PATCH  /api/v1/orgs/{org_id}/members/{user_id}       administrators
 *   DELETE /api/v1/orgs/{org_id}/members/{user_id}       administrators, or the member leaving
 *   POST   /api/v1/orgs/{org_id}/invitations             administrators
 *   DELETE /api/v1/orgs/{org_id}/invitations/{invitation_id}  administrators
 *   POST   /api/v1/invitations/{token}/accept            the invitee, signed in or not
 * Rights are checked before the body is read: someone else's organization is
 * 404 whatever they send, a member who is not an administrator 403. */
#include "feature/orgs/members.h"

#include <string.h>

#include "core/country.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/orgs/invitations.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

bool members_api_org(http_request *r, org_need need, int64_t *org_id)
{
    if (!http_param_id(r, "org_id", org_id) || !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_MEMBER) ||
        (need == ORG_NEED_BILLING && !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))) {
        http_error(r, 404, "not_found", "no such organization", NULL);
        return false;
    }
    if (need == ORG_NEED_ADMIN && !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_ADMIN)) {
        http_error(r, 403, "forbidden", "only the organization's administrators may do this", NULL);
        return false;
    }
    return true;
}

static void store_error(http_request *r)
{
    http_error(r, 500, "store_error", "the request could not be completed; nothing was changed", NULL);
}

static void get_members(http_request *r)
{
    int64_t org_id;
    if (!members_api_org(r, ORG_NEED_MEMBER, &org_id))
        return;
    json_t *members = members_list_json(r, org_id), *invitations = invitations_pending_json(r, org_id);
    if (!members || !invitations) {
        json_decref(members);
        json_decref(invitations);
        return store_error(r);
    }
    http_json(r, 200, json_pack("{s:o, s:o}", "members", members, "invitations", invitations));
}

/* Reads "access" (optional) into out; answers 422 itself. */
static bool read_access(http_request *r, json_t *b, member_access *out, bool *given)
{
    const char *why;
    json_t *v = json_object_get(b, "access");
    *given = v != NULL;
    if (!v) {
        *out = (member_access){.all = true};
        return true;
    }
    if (member_access_parse(v, out, &why))
        return true;
    http_error(r, 422, "invalid_field", why, "access");
    return false;
}

static const char *const roles[] = {"admin", "member", NULL};

/* The item of a list whose "key" is id, with a new reference; NULL if none. */
static json_t *find_item(json_t *list, const char *key, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (json_integer_value(json_object_get(v, key)) == id)
            return json_incref(v);
    }
    return NULL;
}

/* POST .../invitations and POST .../members: {email, role?, billing?, access?}. */
static void post_invitation(http_request *r)
{
    int64_t org_id, id = 0;
    json_t *b;
    const char *email, *role;
    member_rights m = {0};
    bool billing = false, given;
    if (!members_api_org(r, ORG_NEED_ADMIN, &org_id) || !jin_body(r, &b) ||
        !jin_email(r, b, "email", JIN_REQUIRED, &email) || !jin_enum(r, b, "role", JIN_OPTIONAL, roles, &role) ||
        !jin_bool(r, b, "billing", JIN_OPTIONAL, &billing) || !read_access(r, b, &m.access, &given))
        return;
    m.admin = role && !strcmp(role, "admin");
    m.billing = billing;
    switch (invitation_create(r, org_id, email, &m, &id)) {
    case INVITE_OK:
        break;
    case INVITE_ALREADY_MEMBER:
        return http_error(r, 409, "already_member", "email: this person is a member already", "email");
    case INVITE_TOO_MANY:
        return http_error(r, 422, "too_many_invitations",
                          "email: too many pending invitations; cancel some first", "email");
    default:
        return store_error(r);
    }
    json_t *pending = invitations_pending_json(r, org_id);
    json_t *one = pending ? find_item(pending, "id", id) : NULL;
    json_decref(pending);
    if (!one)
        return store_error(r);
    http_json(r, 201, json_pack("{s:o}", "invitation", one));
}

static void answer_members_result(http_request *r, members_result res)
{
    switch (res) {
    case MEMBERS_NOT_FOUND:
        return http_error(r, 404, "not_found", "no such member", NULL);
    case MEMBERS_FORBIDDEN:
        return http_error(r, 403, "forbidden", "only the organization's administrators may do this", NULL);
    case MEMBERS_LAST_ADMIN:
        return http_error(r, 409, "last_admin",
                          "the organization needs an administrator: make someone else administrator first", NULL);
    case MEMBERS_LEGAL_REP:
        return http_error(r, 409, "legal_representative",
                          "the legal representative may not leave: hand the role to another member first", NULL);
    default:
        return store_error(r);
    }
}

/* PATCH .../members/{user_id}: {role?, billing?, access?}. */
static void patch_member(http_request *r)
{
    int64_t org_id, user_id;
    json_t *b;
    bool billing = false, given;
    member_access access;
    member_patch p = {.billing = -1};
    if (!members_api_org(r, ORG_NEED_ADMIN, &org_id))
        return;
    if (!http_param_id(r, "user_id", &user_id))
        return http_error(r, 404, "not_found", "no such member", NULL);
    if (!jin_body(r, &b) || !jin_not_null(r, b, "role") || !jin_not_null(r, b, "billing") ||
        !jin_not_null(r, b, "access") || !jin_enum(r, b, "role", JIN_OPTIONAL, roles, &p.role) ||
        !jin_bool(r, b, "billing", JIN_OPTIONAL, &billing) || !read_access(r, b, &access, &given))
        return;
    if (json_object_get(b, "billing"))
        p.billing = billing;
    p.access = given ? &access : NULL;
    members_result res = members_update(r, org_id, user_id, &p);
    if (res != MEMBERS_OK)
        return answer_members_result(r, res);
    json_t *list = members_list_json(r, org_id);
    json_t *one = list ? find_item(list, "user_id", user_id) : NULL;
    json_decref(list);
    if (!one)
        return store_error(r);
    http_json(r, 200, json_pack("{s:o}", "member", one));
}

/* DELETE .../members/{user_id}: removal by an administrator, or leaving. */
static void delete_member(http_request *r)
{
    int64_t org_id, user_id;
    if (!members_api_org(r, ORG_NEED_MEMBER, &org_id))
        return;
    if (!http_param_id(r, "user_id", &user_id))
        return http_error(r, 404, "not_found", "no such member", NULL);
    members_result res = members_remove(r, org_id, user_id);
    if (res != MEMBERS_OK)
        return answer_members_result(r, res);
    http_text(r, 204, NULL, "", 0);
}

static void delete_invitation(http_request *r)
{
    int64_t org_id, id;
    if (!members_api_org(r, ORG_NEED_ADMIN, &org_id))
        return;
    invite_result res = http_param_id(r, "invitation_id", &id) ? invitation_cancel(r, org_id, id) : INVITE_NOT_FOUND;
    if (res == INVITE_NOT_FOUND)
        return http_error(r, 404, "not_found", "no such pending invitation", NULL);
    if (res != INVITE_OK)
        return store_error(r);
    http_text(r, 204, NULL, "", 0);
}

/* The new account's fields, when accepting without being signed in. */
static bool read_account(http_request *r, auth_signup_in *in)
{
    json_t *b;
    if (!jin_body(r, &b) || !jin_string(r, b, "name", JIN_REQUIRED, 1, 200, &in->name) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &in->password) ||
        !jin_string(r, b, "country", JIN_REQUIRED, 2, 2, &in->country) ||
        !jin_enum(r, b, "language", JIN_REQUIRED, auth_languages, &in->lang))
        return false;
    if (country_valid(in->country))
        return true;
    http_error(r, 422, "invalid_field", "country: must be an ISO 3166 code such as IT", "country");
    return false;
}

/* POST /api/v1/invitations/{token}/accept. */
static void post_accept(http_request *r)
{
    auth_signup_in in = {0};
    invitation_view v;
    int64_t user_id = 0;
    if (!r->user_id && !read_account(r, &in))
        return;
    switch (invitation_accept(r, http_param(r, "token"), r->user_id, r->user_id ? NULL : &in, &user_id, &v)) {
    case INVITE_OK:
        break;
    case INVITE_NOT_FOUND:
        return http_error(r, 404, "not_found", "this invitation is unknown, used, cancelled or expired", NULL);
    case INVITE_WRONG_EMAIL:
        return http_error(r, 403, "wrong_account", "this invitation is for another email address", NULL);
    case INVITE_ALREADY_MEMBER:
        return http_error(r, 409, "already_member", "you are a member of this organization already", NULL);
    case INVITE_EMAIL_TAKEN:
        return http_error(r, 409, "email_taken",
                          "an account with the invited address exists: sign in and accept again", NULL);
    default:
        return store_error(r);
    }
    http_json(r, r->user_id ? 200 : 201, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}, s:{s:s, s:b, s:o}}",
        "user", "id", (json_int_t)user_id, "email", v.email, "organization", "id", (json_int_t)v.org_id, "name",
        v.org_name, "membership", "role", v.rights.admin ? "admin" : "member", "billing", v.rights.billing,
        "access", member_access_json(&v.rights.access)));
}

void members_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/members", get_members, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/members", post_invitation, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}/members/{user_id}", patch_member, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/members/{user_id}", delete_member, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/invitations", post_invitation, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/invitations/{invitation_id}", delete_invitation, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/invitations/{token}/accept", post_accept, ROUTE_PUBLIC);
    org_audit_routes(rt);
}
