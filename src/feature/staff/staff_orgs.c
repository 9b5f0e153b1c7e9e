/* staff_orgs.c - what the back office knows about an organization, asked of
 * the features that own it: orgs (names, memberships) and auth (customers'
 * emails and names). Shared by the staff API and the back office pages. */
#include "feature/staff/staff.h"

#include <assert.h>
#include <string.h>

#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

_Static_assert((int)STAFF_SEARCH_TEXT_MAX <= (int)AUTH_SEARCH_TEXT_MAX &&
               (int)STAFF_SEARCH_TEXT_MAX <= (int)ORG_SEARCH_TEXT_MAX, "the search text fits both searches");
_Static_assert((int)STAFF_SEARCH_HITS <= (int)ORG_SEARCH_HITS_MAX, "org_search returns that many");

json_t *staff_find_orgs(http_request *r, const char *q)
{
    assert(q && strlen(q) <= STAFF_SEARCH_TEXT_MAX);
    int64_t *users = arena_alloc(r->a, sizeof *users * ORG_SEARCH_MEMBERS_MAX);
    int user_count = *q ? auth_users_by_email(r->db, q, users, ORG_SEARCH_MEMBERS_MAX) : 0;
    org_hit *hits = arena_alloc(r->a, sizeof *hits * STAFF_SEARCH_HITS);
    int n = user_count < 0 ? -1 : org_search(r->db, q, users, (size_t)user_count, hits, STAFF_SEARCH_HITS);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        auth_user admin;
        bool has_admin = hits[i].admin_user_id && auth_user_get(r, hits[i].admin_user_id, &admin);
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:s?}", "id", (json_int_t)hits[i].id,
                                              "name", hits[i].name, "created_at", jout_time(hits[i].created_at),
                                              "admin_email", has_admin ? admin.email : NULL));
    }
    return list;
}

json_t *staff_org_members(http_request *r, int64_t org_id, bool with_billing)
{
    org_member *members = arena_alloc(r->a, sizeof *members * ORG_MEMBERS_MAX);
    int n = org_members(r->db, org_id, members, ORG_MEMBERS_MAX);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        auth_user u;
        if (!auth_user_get(r, members[i].user_id, &u)) {
            json_decref(list);
            return NULL;
        }
        json_t *m = json_pack("{s:I, s:s, s:s, s:s}", "user_id", (json_int_t)u.id, "email", u.email, "name", u.name,
                              "role", members[i].admin ? "admin" : "member");
        if (with_billing)
            json_object_set_new(m, "billing", json_boolean(members[i].billing));
        json_array_append_new(list, m);
    }
    return list;
}
