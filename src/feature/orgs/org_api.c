/* org_api.c - the API of organizations as objects: list and create
 * (/api/v1/orgs), read, change and delete one (/api/v1/orgs/{org_id}), and
 * its logo (PUT/DELETE .../logo; GET is /orgs/{org_id}/logo, shared with the
 * pages). Another organization's id is a 404; a member without the admin
 * right gets 403 on changes. */
#include "feature/orgs/orgs.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "http/json_in.h"

/* The path's organization if the caller belongs to it (404 otherwise) and has
 * need (403 otherwise); answers itself and returns false. */
static bool path_org_or_reply(http_request *r, org_need need, int64_t *org_id)
{
    if (!http_param_id(r, "org_id", org_id) || !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_MEMBER)) {
        http_error(r, 404, "not_found", "no such organization", NULL);
        return false;
    }
    if (need != ORG_NEED_MEMBER && !org_user_may(r->db, r->user_id, *org_id, need)) {
        http_error(r, 403, "forbidden", "only the organization's administrators may do this", NULL);
        return false;
    }
    return true;
}

/* The profile with the caller's role and billing right: 200 (or status). */
static void answer_org(http_request *r, int status, int64_t org_id)
{
    org_profile p;
    if (org_profile_get(r->db, org_id, &p) != 1)
        return (void)http_error(r, 500, "store_error", "cannot read the organization", NULL);
    json_t *j = org_profile_json(&p, arena_printf(r->a, "/orgs/%lld", (long long)org_id));
    bool admin = org_user_may(r->db, r->user_id, org_id, ORG_NEED_ADMIN);
    json_object_set_new(j, "role", json_string(admin ? "admin" : "member"));
    json_object_set_new(j, "billing", json_boolean(org_user_may(r->db, r->user_id, org_id, ORG_NEED_BILLING)));
    json_object_set_new(j, "created_at", jout_time(p.created_at));
    http_json(r, status, j);
}

static void get_orgs(http_request *r)
{
    json_t *list = org_list_json(r->db, r->user_id);
    if (!list)
        return (void)http_error(r, 500, "store_error", "cannot list the organizations", NULL);
    http_json(r, 200, json_pack("{s:o}", "organizations", list));
}

/* Refuses keys the body may not have, naming the first. */
static bool only_keys(http_request *r, json_t *b, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v) {
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = !strcmp(*a, key);
        if (!known) {
            http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: is not a field of an organization", key),
                       arena_strdup(r->a, key));
            return false;
        }
    }
    return true;
}

static org_kind kind_of(const char *name)
{
    for (int k = 0; k < ORG_KIND_COUNT; k++)
        if (!strcmp(org_kind_names[k], name))
            return (org_kind)k;
    assert(!"jin_enum checked it");
    return ORG_KIND_PERSON;
}

/* POST /api/v1/orgs {name, kind}: the caller becomes admin and legal representative. */
static void post_orgs(http_request *r)
{
    static const char *const keys[] = {"name", "kind", NULL};
    json_t *b;
    const char *name, *kind;
    if (!jin_body(r, &b) || !only_keys(r, b, keys) ||
        !jin_string(r, b, "name", JIN_REQUIRED, 1, ORG_NAME_MAX, &name) ||
        !jin_enum(r, b, "kind", JIN_REQUIRED, org_kind_names, &kind))
        return;
    int64_t org_id;
    if (!org_create_named(r->db, name, kind_of(kind), r->user_id, &org_id))
        return (void)http_error(r, 500, "store_error", "cannot create the organization; nothing was changed", NULL);
    http_add_header(r, "Location", arena_printf(r->a, "/api/v1/orgs/%lld", (long long)org_id));
    answer_org(r, 201, org_id);
}

static void get_org(http_request *r)
{
    int64_t org_id;
    if (path_org_or_reply(r, ORG_NEED_MEMBER, &org_id))
        answer_org(r, 200, org_id);
}

/* An optional text field of PATCH: absent keeps, null or "" clears. */
static bool patch_text(http_request *r, json_t *b, const char *field, size_t max, char *dst, size_t size)
{
    assert(size > max);
    const char *v;
    if (!json_object_get(b, field))
        return true;
    if (!jin_string(r, b, field, JIN_OPTIONAL, 0, max, &v))
        return false;
    snprintf(dst, size, "%s", v ? v : "");
    return true;
}

static bool patch_legal_rep(http_request *r, json_t *b, int64_t *out)
{
    json_t *v = json_object_get(b, "legal_representative_user_id");
    if (!v)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        http_error(r, 422, "invalid_field", "legal_representative_user_id: must be the id of a member",
                   "legal_representative_user_id");
        return false;
    }
    *out = json_integer_value(v);
    return true;
}

/* PATCH /api/v1/orgs/{org_id}: admins change any field; the result is checked whole. */
static void patch_org(http_request *r)
{
    static const char *const keys[] = {"name", "kind", "legal_name", "vat_id", "fiscal_code", "sdi_code", "pec",
                                       "legal_representative_user_id", NULL};
    int64_t org_id;
    json_t *b;
    org_profile p;
    if (!path_org_or_reply(r, ORG_NEED_ADMIN, &org_id) || !jin_body(r, &b) || !only_keys(r, b, keys))
        return;
    if (org_profile_get(r->db, org_id, &p) != 1)
        return (void)http_error(r, 500, "store_error", "cannot read the organization", NULL);
    const char *name, *kind;
    if (!jin_not_null(r, b, "name") || !jin_not_null(r, b, "kind") ||
        !jin_not_null(r, b, "legal_representative_user_id") ||
        !jin_string(r, b, "name", JIN_OPTIONAL, 1, ORG_NAME_MAX, &name) ||
        !jin_enum(r, b, "kind", JIN_OPTIONAL, org_kind_names, &kind) ||
        !patch_text(r, b, "legal_name", ORG_LEGAL_NAME_MAX, p.legal_name, sizeof p.legal_name) ||
        !patch_text(r, b, "vat_id", FISCAL_INPUT_LEN_MAX, p.vat_id, sizeof p.vat_id) ||
        !patch_text(r, b, "fiscal_code", FISCAL_INPUT_LEN_MAX, p.fiscal_code, sizeof p.fiscal_code) ||
        !patch_text(r, b, "sdi_code", FISCAL_INPUT_LEN_MAX, p.sdi_code, sizeof p.sdi_code) ||
        !patch_text(r, b, "pec", FIELD_EMAIL_MAX, p.pec, sizeof p.pec) || !patch_legal_rep(r, b, &p.legal_rep_user_id))
        return;
    if (name)
        snprintf(p.name, sizeof p.name, "%s", name);
    if (kind)
        p.kind = kind_of(kind);
    const char *why, *bad = org_profile_check(r->db, &p, &why);
    if (bad)
        return (void)http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", bad, why), bad);
    if (!org_profile_update(r, &p))
        return (void)http_error(r, 500, "store_error", "cannot save the organization; nothing was changed", NULL);
    answer_org(r, 200, org_id);
}

/* DELETE /api/v1/orgs/{org_id}[?email_documents=true]: 204, or 422 listing
 * every blocker. */
static void delete_org(http_request *r)
{
    int64_t org_id;
    if (!path_org_or_reply(r, ORG_NEED_ADMIN, &org_id))
        return;
    const char *email = http_query(r, "email_documents");
    if (email && strcmp(email, "true") && strcmp(email, "false"))
        return (void)http_error(r, 422, "invalid_field", "email_documents: true or false", "email_documents");
    org_blocker blockers[ORG_BLOCKERS_MAX];
    int n;
    org_delete_result res = org_delete(r, org_id, r->user_id, email && !strcmp(email, "true"), blockers, &n);
    if (res == ORG_DELETE_STORE_ERROR)
        return (void)http_error(r, 500, "store_error", "cannot delete the organization; nothing was changed", NULL);
    if (res == ORG_DELETE_OK)
        return http_text(r, 204, NULL, "", 0);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *one = json_pack("{s:s, s:s}", "code", blockers[i].code, "message", blockers[i].message);
        if (blockers[i].detail[0])
            json_object_set_new(one, "detail", json_string(blockers[i].detail));
        json_array_append_new(list, one);
    }
    http_json(r, 422, json_pack("{s:{s:s, s:s, s:o}}", "error", "code", "delete_refused", "message",
                                "the organization cannot be deleted yet: see blockers", "blockers", list));
}

/* PUT /api/v1/orgs/{org_id}/logo with the image as the body. */
static void put_logo(http_request *r)
{
    int64_t org_id;
    if (!path_org_or_reply(r, ORG_NEED_ADMIN, &org_id))
        return;
    const char *ct = http_header(r, "Content-Type");
    if (!ct || (strncmp(ct, "image/png", 9) && strncmp(ct, "image/jpeg", 10)))
        return (void)http_error(r, 422, "invalid_field", "logo: send a PNG or JPEG image as image/png or image/jpeg",
                                "logo");
    org_logo_result res = org_logo_set(r, org_id, r->body, r->body_len);
    if (res == ORG_LOGO_STORE_ERROR)
        return (void)http_error(r, 500, "store_error", "cannot save the logo; nothing was changed", NULL);
    if (res != ORG_LOGO_OK)
        return (void)http_error(r, 422, "invalid_field", arena_printf(r->a, "logo: %s", org_logo_reason(res)), "logo");
    answer_org(r, 200, org_id);
}

static void delete_logo(http_request *r)
{
    int64_t org_id;
    if (!path_org_or_reply(r, ORG_NEED_ADMIN, &org_id))
        return;
    if (!org_logo_remove(r, org_id))
        return (void)http_error(r, 500, "store_error", "cannot delete the logo", NULL);
    http_text(r, 204, NULL, "", 0);
}

void orgs_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs", get_orgs, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs", post_orgs, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}", get_org, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}", patch_org, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}", delete_org, ROUTE_USER);
    router_add(rt, "PUT", "/api/v1/orgs/{org_id}/logo", put_logo, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/logo", delete_logo, ROUTE_USER);
}
