/* addresses_api.c - the API of billing addresses (admins and members with the
 * billing right; anyone else gets 404) and notification addresses (members
 * read them, administrators replace them):
 *   GET/POST   /api/v1/orgs/{org_id}/billing-addresses
 *   GET/PATCH/DELETE /api/v1/orgs/{org_id}/billing-addresses/{address_id}
 *   POST       /api/v1/orgs/{org_id}/billing-addresses/{address_id}/default
 *   GET/PUT    /api/v1/orgs/{org_id}/notification-addresses */
#include "feature/addresses/addresses.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "http/json_in.h"

enum { ADDRESS_JSON_TEXT_MAX = 4096 }; /* a first bound; address_check applies the real limits */

/* The path's organization if the caller has the right asked for; else 404
 * (or 403 for a member who lacks the administrator's right). */
static bool org_or_reply(http_request *r, org_need need, int64_t *org_id)
{
    if (!http_param_id(r, "org_id", org_id) ||
        !org_user_may(r->db, r->user_id, *org_id, need == ORG_NEED_ADMIN ? ORG_NEED_MEMBER : need)) {
        http_error(r, 404, "not_found", "no such organization", NULL);
        return false;
    }
    if (need == ORG_NEED_ADMIN && !org_user_may(r->db, r->user_id, *org_id, ORG_NEED_ADMIN)) {
        http_error(r, 403, "forbidden", "only the organization's administrators may change this", NULL);
        return false;
    }
    return true;
}

static void answer_result(http_request *r, address_result res)
{
    switch (res) {
    case ADDRESS_NOT_FOUND:
        return http_error(r, 404, "not_found", "no such address", NULL);
    case ADDRESS_RETIRED:
        return http_error(r, 409, "address_retired",
                          "this version of the address was edited or deleted; use its current version", NULL);
    case ADDRESS_TOO_MANY:
        return http_error(r, 422, "too_many_addresses", "an organization may keep at most 50 addresses", NULL);
    default:
        return http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    }
}

/* Reads the address fields of the body over base (NULL = all absent): a
 * present string replaces, a present null clears. Answers 422 itself. */
static bool read_fields(http_request *r, json_t *b, const address_in *base, address_fields *out)
{
    static const char *const names[] = {"recipient", "street", "extra", "postal_code", "city", "province", "country"};
    address_in in = base ? *base : (address_in){0};
    const char **slots[] = {&in.recipient, &in.street, &in.extra, &in.postal_code, &in.city, &in.province, &in.country};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v;
        if (!jin_string(r, b, names[i], JIN_OPTIONAL, 0, ADDRESS_JSON_TEXT_MAX, &v))
            return false;
        if (json_object_get(b, names[i]))
            *slots[i] = v ? v : "";
    }
    const char *field;
    address_field_error e = address_check(&in, out, &field);
    if (e == ADDRESS_FIELD_OK)
        return true;
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, address_field_message(e)), field);
    return false;
}

/* Answers status with the address id of org as it is stored now. */
static void answer_address(http_request *r, int status, int64_t org_id, int64_t id)
{
    address a;
    if (!address_snapshot(r->db, org_id, id, &a))
        return answer_result(r, ADDRESS_NOT_FOUND);
    http_json(r, status, address_json(&a));
}

static void list_addresses(http_request *r)
{
    int64_t org_id;
    if (!org_or_reply(r, ORG_NEED_BILLING, &org_id))
        return;
    address *list = arena_alloc(r->a, sizeof *list * ADDRESSES_PER_ORG_MAX);
    int n = address_list(r->db, org_id, list, ADDRESSES_PER_ORG_MAX);
    if (n < 0)
        return answer_result(r, ADDRESS_STORE_ERROR);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, address_json(&list[i]));
    http_json(r, 200, json_pack("{s:o}", "addresses", arr));
}

static void create_address(http_request *r)
{
    int64_t org_id, id;
    json_t *b;
    address_fields f;
    bool make_default = false;
    if (!org_or_reply(r, ORG_NEED_BILLING, &org_id) || !jin_body(r, &b) ||
        !jin_bool(r, b, "default", JIN_OPTIONAL, &make_default) || !read_fields(r, b, NULL, &f))
        return;
    address_result res = address_create(r->db, org_id, &f, make_default, &id);
    if (res != ADDRESS_OK)
        return answer_result(r, res);
    answer_address(r, 201, org_id, id);
}

/* The path's organization (billing right) and address id; else answers 404. */
static bool address_path(http_request *r, int64_t *org_id, int64_t *id)
{
    if (!org_or_reply(r, ORG_NEED_BILLING, org_id))
        return false;
    if (http_param_id(r, "address_id", id))
        return true;
    answer_result(r, ADDRESS_NOT_FOUND);
    return false;
}

static void get_address(http_request *r)
{
    int64_t org_id, id;
    if (address_path(r, &org_id, &id))
        answer_address(r, 200, org_id, id);
}

/* PATCH: the fields sent replace the current ones; the edit is a new version
 * with a new id, and the old id keeps its text (retired, replaced_by). */
static void patch_address(http_request *r)
{
    int64_t org_id, id, new_id;
    json_t *b;
    address cur;
    address_fields f;
    if (!address_path(r, &org_id, &id) || !jin_body(r, &b))
        return;
    if (!address_snapshot(r->db, org_id, id, &cur))
        return answer_result(r, ADDRESS_NOT_FOUND);
    if (cur.retired_at)
        return answer_result(r, ADDRESS_RETIRED);
    address_in base = {cur.f.recipient, cur.f.street, cur.f.extra, cur.f.postal_code,
                       cur.f.city, cur.f.province, cur.f.country};
    if (!read_fields(r, b, &base, &f))
        return;
    address_result res = address_update(r->db, org_id, id, &f, &new_id);
    if (res != ADDRESS_OK)
        return answer_result(r, res);
    answer_address(r, 200, org_id, new_id);
}

static void delete_address(http_request *r)
{
    int64_t org_id, id;
    if (!address_path(r, &org_id, &id))
        return;
    address_result res = address_delete(r->db, org_id, id);
    if (res != ADDRESS_OK)
        return answer_result(r, res);
    http_text(r, 204, NULL, "", 0);
}

static void post_default(http_request *r)
{
    int64_t org_id, id;
    if (!address_path(r, &org_id, &id))
        return;
    address_result res = address_set_default(r->db, org_id, id);
    if (res != ADDRESS_OK)
        return answer_result(r, res);
    answer_address(r, 200, org_id, id);
}

static void get_notify(http_request *r)
{
    int64_t org_id;
    if (!org_or_reply(r, ORG_NEED_MEMBER, &org_id))
        return;
    json_t *j = notify_addresses_json(r->db, org_id);
    if (!j)
        return answer_result(r, ADDRESS_STORE_ERROR);
    http_json(r, 200, j);
}

/* PUT: every kind must be present, an email address or null (the fallback). */
static void put_notify(http_request *r)
{
    int64_t org_id;
    json_t *b;
    const char *emails[NOTIFY_KIND_COUNT];
    if (!org_or_reply(r, ORG_NEED_ADMIN, &org_id) || !jin_body(r, &b))
        return;
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
        const char *kind = notify_kind_names[k];
        if (!json_object_get(b, kind))
            return http_error(r, 422, "invalid_field",
                              arena_printf(r->a, "%s: is required (null sends to the administrator)", kind), kind);
        if (!jin_email(r, b, kind, JIN_OPTIONAL, &emails[k]))
            return;
    }
    if (!notify_addresses_set(r->db, org_id, emails))
        return answer_result(r, ADDRESS_STORE_ERROR);
    get_notify(r);
}

void addresses_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/billing-addresses", list_addresses, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/billing-addresses", create_address, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/billing-addresses/{address_id}", get_address, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/orgs/{org_id}/billing-addresses/{address_id}", patch_address, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/orgs/{org_id}/billing-addresses/{address_id}", delete_address, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/billing-addresses/{address_id}/default", post_default, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/notification-addresses", get_notify, ROUTE_USER);
    router_add(rt, "PUT", "/api/v1/orgs/{org_id}/notification-addresses", put_notify, ROUTE_USER);
}
