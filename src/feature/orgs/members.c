/* members.c - see members.h: members' rights and access scopes, the rule that
 * an organization keeps an administrator, and org_user_may_service (orgs.h).
 * Reads and writes memberships and member_scopes (the orgs feature's tables);
 * names and emails come from auth. */
#include "feature/orgs/members.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/auth/auth.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

static bool id_listed(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* An optional array of positive ids into ids (duplicates once). */
static bool parse_ids(json_t *arr, int64_t *ids, size_t *count, const char **why)
{
    *count = 0;
    if (!arr)
        return true;
    if (!json_is_array(arr) || json_array_size(arr) > MEMBERS_ACCESS_IDS_MAX)
        return *why = "access: services and categories must be lists of at most 100 ids", false;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return *why = "access: services and categories hold positive integer ids", false;
        if (!id_listed(ids, *count, json_integer_value(v)))
            ids[(*count)++] = json_integer_value(v);
    }
    assert(*count <= MEMBERS_ACCESS_IDS_MAX);
    return true;
}

bool member_access_parse(json_t *v, member_access *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(v))
        return *why = "access: must be an object such as {\"all\": true}", false;
    const char *key;
    json_t *val;
    json_object_foreach(v, key, val) {
        if (strcmp(key, "all") && strcmp(key, "services") && strcmp(key, "categories"))
            return *why = "access: only all, services and categories are allowed", false;
    }
    json_t *all = json_object_get(v, "all");
    if (all && !json_is_boolean(all))
        return *why = "access: all must be true or false", false;
    out->all = json_is_true(all);
    if (out->all && (json_object_get(v, "services") || json_object_get(v, "categories")))
        return *why = "access: give either all or services and categories", false;
    return out->all || (parse_ids(json_object_get(v, "services"), out->services, &out->service_count, why) &&
                        parse_ids(json_object_get(v, "categories"), out->categories, &out->category_count, why));
}

static json_t *ids_json(const int64_t *ids, size_t n)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_integer((json_int_t)ids[i]));
    return list;
}

json_t *member_access_json(const member_access *a)
{
    if (a->all)
        return json_pack("{s:b}", "all", 1);
    return json_pack("{s:b, s:o, s:o}", "all", 0, "services", ids_json(a->services, a->service_count),
                     "categories", ids_json(a->categories, a->category_count));
}

void member_rights_normalize(member_rights *m)
{
    if (!m->admin)
        return;
    m->billing = true;
    m->access = (member_access){.all = true};
}

/* The listed services and categories of a limited member. */
static bool read_scopes(db *d, int64_t org_id, int64_t user_id, member_access *a)
{
    db_stmt *s = db_prepare(d,
        "SELECT kind, ref_id FROM member_scopes WHERE org_id = $1 AND user_id = $2 ORDER BY kind, ref_id LIMIT $3");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, 2 * MEMBERS_ACCESS_IDS_MAX);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        bool service = !strcmp(db_col_text(s, 0), "service");
        size_t *n = service ? &a->service_count : &a->category_count;
        if (*n < MEMBERS_ACCESS_IDS_MAX)
            (service ? a->services : a->categories)[(*n)++] = db_col_int64(s, 1);
    }
    db_done(s);
    return st == DB_DONE;
}

bool members_get(db *d, int64_t org_id, int64_t user_id, member_rights *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d,
        "SELECT role, billing, access_all FROM memberships WHERE org_id = $1 AND user_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        out->admin = !strcmp(db_col_text(s, 0), "admin");
        out->billing = db_col_int64(s, 1) != 0;
        out->access.all = db_col_int64(s, 2) != 0;
    }
    db_done(s);
    if (found && !out->access.all && !read_scopes(d, org_id, user_id, &out->access))
        return false;
    member_rights_normalize(out);
    return found;
}

bool org_user_may_service(db *d, int64_t user_id, int64_t org_id, int64_t service_id, int64_t category_id)
{
    if (user_id <= 0 || org_id <= 0 || service_id < 0 || category_id < 0)
        return false;
    db_stmt *s = db_prepare(d,
        "SELECT 1 FROM memberships m WHERE m.org_id = $1 AND m.user_id = $2 AND (m.role = 'admin'"
        " OR m.access_all = 1 OR EXISTS (SELECT 1 FROM member_scopes x WHERE x.org_id = m.org_id"
        "  AND x.user_id = m.user_id AND ((x.kind = 'service' AND x.ref_id = $3)"
        "  OR (x.kind = 'category' AND x.ref_id = $4))))");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, service_id);
    db_bind_int64(s, 4, category_id);
    bool ok = db_step(s) == DB_ROW;
    db_done(s);
    return ok;
}

/* Replaces the member's access (inside a write transaction). */
static bool write_access(db *d, int64_t org_id, int64_t user_id, const member_access *a)
{
    db_stmt *s = db_prepare(d, "DELETE FROM member_scopes WHERE org_id = $1 AND user_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    if (db_exec1(s) != DB_DONE)
        return false;
    for (size_t k = 0; k < 2 && !a->all; k++) {
        size_t n = k ? a->category_count : a->service_count;
        for (size_t i = 0; i < n; i++) {
            s = db_prepare(d, "INSERT INTO member_scopes (org_id, user_id, kind, ref_id) VALUES ($1, $2, $3, $4)"
                              " ON CONFLICT DO NOTHING");
            if (!s)
                return false;
            db_bind_int64(s, 1, org_id);
            db_bind_int64(s, 2, user_id);
            db_bind_text(s, 3, k ? "category" : "service");
            db_bind_int64(s, 4, k ? a->categories[i] : a->services[i]);
            if (db_exec1(s) != DB_DONE)
                return false;
        }
    }
    return true;
}

/* Writes role, billing and access of an existing membership. */
static bool write_rights(db *d, int64_t org_id, int64_t user_id, const member_rights *m)
{
    db_stmt *s = db_prepare(d,
        "UPDATE memberships SET role = $1, billing = $2, access_all = $3 WHERE org_id = $4 AND user_id = $5");
    if (!s)
        return false;
    db_bind_text(s, 1, m->admin ? "admin" : "member");
    db_bind_int64(s, 2, m->billing);
    db_bind_int64(s, 3, m->access.all);
    db_bind_int64(s, 4, org_id);
    db_bind_int64(s, 5, user_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1 && write_access(d, org_id, user_id, &m->access);
}

db_status members_join(db *d, int64_t org_id, int64_t user_id, const member_rights *rights)
{
    assert(db_in_tx(d) && org_id > 0 && user_id > 0);
    member_rights m = *rights;
    member_rights_normalize(&m);
    db_stmt *s = db_prepare(d,
        "INSERT INTO memberships (org_id, user_id, role, billing, access_all, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s)
        return DB_ERROR;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, m.admin ? "admin" : "member");
    db_bind_int64(s, 4, m.billing);
    db_bind_int64(s, 5, m.access.all);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    db_status st = db_exec1(s);
    if (st != DB_DONE)
        return st;
    return write_access(d, org_id, user_id, &m.access) ? DB_OK : DB_ERROR;
}

bool members_lock_org(db *d, int64_t org_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE orgs SET name = name WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

static int64_t admin_count(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return n;
}

static json_t *rights_json(const member_rights *m)
{
    return json_pack("{s:s, s:b, s:o}", "role", m->admin ? "admin" : "member", "billing", m->billing, "access",
                     member_access_json(&m->access));
}

/* {"user_id", "email"} of the member an audit entry is about. */
static json_t *subject_json(http_request *r, int64_t user_id)
{
    auth_user u;
    bool known = auth_user_get(r, user_id, &u);
    return json_pack("{s:I, s:s?}", "user_id", (json_int_t)user_id, "email", known ? u.email : NULL);
}

static members_result rolled_back(http_request *r, members_result res)
{
    db_rollback(r->db);
    return res;
}

members_result members_update(http_request *r, int64_t org_id, int64_t user_id, const member_patch *p)
{
    assert(org_id > 0 && user_id > 0 && p->billing >= -1 && p->billing <= 1);
    assert(!p->role || !strcmp(p->role, "admin") || !strcmp(p->role, "member"));
    member_rights actor, before, after;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return MEMBERS_STORE_ERROR;
    if (!members_lock_org(r->db, org_id) || !members_get(r->db, org_id, r->user_id, &actor))
        return rolled_back(r, MEMBERS_NOT_FOUND);
    if (!actor.admin)
        return rolled_back(r, MEMBERS_FORBIDDEN);
    if (!members_get(r->db, org_id, user_id, &before))
        return rolled_back(r, MEMBERS_NOT_FOUND);
    after = before;
    if (p->role)
        after.admin = !strcmp(p->role, "admin");
    if (p->billing >= 0)
        after.billing = p->billing;
    if (p->access)
        after.access = *p->access;
    member_rights_normalize(&after);
    if (before.admin && !after.admin && admin_count(r->db, org_id) <= 1)
        return rolled_back(r, MEMBERS_LAST_ADMIN);
    json_t *detail = subject_json(r, user_id);
    json_object_set_new(detail, "before", rights_json(&before));
    json_object_set_new(detail, "after", rights_json(&after));
    if (!write_rights(r->db, org_id, user_id, &after) ||
        !org_audit_record_json(r->db, org_id, r->user_id, "member.rights", detail, r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return rolled_back(r, MEMBERS_STORE_ERROR);
    return MEMBERS_OK;
}

/* Whether user_id may leave org_id or be removed from it: the organization
 * profile's rule (the last administrator, the legal representative). */
static members_result members_may_go(db *d, int64_t org_id, int64_t user_id)
{
    switch (org_may_leave(d, org_id, user_id)) {
    case ORG_LEAVE_OK: return MEMBERS_OK;
    case ORG_LEAVE_NOT_MEMBER: return MEMBERS_NOT_FOUND;
    case ORG_LEAVE_LAST_ADMIN: return MEMBERS_LAST_ADMIN;
    case ORG_LEAVE_LEGAL_REP: return MEMBERS_LEGAL_REP;
    default: return MEMBERS_STORE_ERROR;
    }
}

static bool delete_member(db *d, int64_t org_id, int64_t user_id)
{
    const char *const sql[] = {"DELETE FROM member_scopes WHERE org_id = $1 AND user_id = $2",
                               "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2"};
    for (size_t i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(d, sql[i]);
        if (!s)
            return false;
        db_bind_int64(s, 1, org_id);
        db_bind_int64(s, 2, user_id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return db_changes(d) == 1;
}

members_result members_remove(http_request *r, int64_t org_id, int64_t user_id)
{
    assert(org_id > 0 && user_id > 0);
    member_rights actor, target;
    bool leaving = user_id == r->user_id;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return MEMBERS_STORE_ERROR;
    if (!members_lock_org(r->db, org_id) || !members_get(r->db, org_id, r->user_id, &actor))
        return rolled_back(r, MEMBERS_NOT_FOUND);
    if (!leaving && !actor.admin)
        return rolled_back(r, MEMBERS_FORBIDDEN);
    if (!members_get(r->db, org_id, user_id, &target))
        return rolled_back(r, MEMBERS_NOT_FOUND);
    members_result may = members_may_go(r->db, org_id, user_id);
    if (may != MEMBERS_OK)
        return rolled_back(r, may);
    json_t *detail = subject_json(r, user_id);
    json_object_set_new(detail, "role", json_string(target.admin ? "admin" : "member"));
    if (!delete_member(r->db, org_id, user_id) ||
        !org_audit_record_json(r->db, org_id, r->user_id, leaving ? "member.left" : "member.removed", detail,
                               r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return rolled_back(r, MEMBERS_STORE_ERROR);
    return MEMBERS_OK;
}

typedef struct member_row {
    int64_t user_id, joined_at;
} member_row;

json_t *members_list_json(http_request *r, int64_t org_id)
{
    member_row *rows = arena_alloc(r->a, sizeof *rows * ORG_MEMBERS_MAX);
    db_stmt *s = db_prepare(r->db,
        "SELECT user_id, created_at FROM memberships WHERE org_id = $1 ORDER BY created_at, user_id LIMIT $2");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, ORG_MEMBERS_MAX);
    size_t n = 0;
    while (n < ORG_MEMBERS_MAX && db_step(s) == DB_ROW)
        rows[n++] = (member_row){db_col_int64(s, 0), db_col_int64(s, 1)};
    db_done(s);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        auth_user u;
        member_rights m;
        if (!auth_user_get(r, rows[i].user_id, &u) || !members_get(r->db, org_id, rows[i].user_id, &m)) {
            json_decref(list);
            return NULL;
        }
        json_t *one = rights_json(&m);
        json_object_set_new(one, "user_id", json_integer((json_int_t)u.id));
        json_object_set_new(one, "email", json_string(u.email));
        json_object_set_new(one, "name", json_string(u.name));
        json_object_set_new(one, "joined_at", jout_time(rows[i].joined_at));
        json_array_append_new(list, one);
    }
    return list;
}
