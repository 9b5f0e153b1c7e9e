/* orgs.c - see orgs.h. */
#include "feature/orgs/orgs.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

bool org_create(db *d, const char *name, int64_t *out_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "INSERT INTO orgs (name, created_at, personal) VALUES ($1, $2, 1) RETURNING id");
    if (!s)
        return false;
    db_bind_text(s, 1, name);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

bool org_add_member(db *d, int64_t org_id, int64_t user_id, const char *role, bool billing)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES ($1, $2, $3, $4, $5)");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, role);
    db_bind_int64(s, 4, billing);
    db_bind_int64(s, 5, (int64_t)time(NULL));
    if (db_exec1(s) != DB_DONE)
        return false;
    if (strcmp(role, "admin"))
        return true;
    s = db_prepare(d, "UPDATE orgs SET legal_rep_user_id = $1 WHERE id = $2 AND legal_rep_user_id IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, org_id);
    return db_exec1(s) == DB_DONE;
}

bool org_user_may(db *d, int64_t user_id, int64_t org_id, org_need need)
{
    if (user_id <= 0 || org_id <= 0)
        return false;
    db_stmt *s = db_prepare(d, "SELECT role, billing FROM memberships WHERE org_id = $1 AND user_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    bool ok = false;
    if (db_step(s) == DB_ROW) {
        bool admin = !strcmp(db_col_text(s, 0), "admin");
        ok = need == ORG_NEED_MEMBER || (need == ORG_NEED_ADMIN && admin) ||
             (need == ORG_NEED_BILLING && (admin || db_col_int64(s, 1)));
    }
    db_done(s);
    return ok;
}

json_t *org_list_for_user(db *d, int64_t user_id)
{
    json_t *list = json_array();
    db_stmt *s = db_prepare(d,
        "SELECT o.id, o.name, m.role, m.billing FROM memberships m JOIN orgs o ON o.id = m.org_id"
        " WHERE m.user_id = $1 ORDER BY m.created_at, o.id");
    if (!s)
        return list;
    db_bind_int64(s, 1, user_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)db_col_int64(s, 0),
                                              "name", db_col_text(s, 1), "role", db_col_text(s, 2),
                                              "billing", (int)(!strcmp(db_col_text(s, 2), "admin") || db_col_int64(s, 3))));
    db_done(s);
    return list;
}

int64_t org_first_for_user(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT org_id FROM memberships WHERE user_id = $1 ORDER BY created_at, org_id LIMIT 1");
    if (!s)
        return 0;
    db_bind_int64(s, 1, user_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

bool org_name(db *d, int64_t org_id, char *out, size_t size)
{
    assert(size > 0);
    db_stmt *s = db_prepare(d, "SELECT name FROM orgs WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        snprintf(out, size, "%s", db_col_text(s, 0));
    db_done(s);
    return found;
}

int org_members(db *d, int64_t org_id, org_member *out, size_t max)
{
    db_stmt *s = db_prepare(d,
        "SELECT user_id, role, billing FROM memberships WHERE org_id = $1 ORDER BY created_at, user_id");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    size_t n = 0;
    db_status st;
    while (n < max && (st = db_step(s)) == DB_ROW) {
        bool admin = !strcmp(db_col_text(s, 1), "admin");
        out[n++] = (org_member){db_col_int64(s, 0), admin, admin || db_col_int64(s, 2)};
    }
    db_done(s);
    assert(n <= max);
    return (int)n;
}

/* ",12,345," for the ids: one text parameter however many ids there are. */
static bool id_list(const int64_t *ids, size_t n, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, ",");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%lld,", (long long)ids[i]);
    return used < size;
}

int org_search(db *d, const char *q, const int64_t *member_ids, size_t member_count, org_hit *out, size_t max)
{
    assert(q && strlen(q) <= ORG_SEARCH_TEXT_MAX && member_count <= ORG_SEARCH_MEMBERS_MAX);
    assert(max > 0 && max <= ORG_SEARCH_HITS_MAX);
    char pattern[2 * ORG_SEARCH_TEXT_MAX + 3], ids[ORG_SEARCH_MEMBERS_MAX * 21 + 2];
    if (!db_like_contains(q, pattern, sizeof pattern) || !id_list(member_ids, member_count, ids, sizeof ids))
        return -1;
    db_stmt *s = db_prepare(d,
        "SELECT o.id, o.name, o.created_at, COALESCE((SELECT m.user_id FROM memberships m"
        "  WHERE m.org_id = o.id AND m.role = 'admin' ORDER BY m.created_at, m.user_id LIMIT 1), 0)"
        " FROM orgs o WHERE $1 = '%%' OR lower(o.name) LIKE $1 ESCAPE '\\' OR EXISTS (SELECT 1 FROM memberships m"
        "  WHERE m.org_id = o.id AND $2 LIKE '%,' || CAST(m.user_id AS TEXT) || ',%')"
        " ORDER BY o.id DESC LIMIT $3");
    if (!s)
        return -1;
    db_bind_text(s, 1, pattern);
    db_bind_text(s, 2, ids);
    db_bind_int64(s, 3, (int64_t)max);
    size_t n = 0;
    while (n < max && db_step(s) == DB_ROW) {
        org_hit *h = &out[n++];
        h->id = db_col_int64(s, 0);
        snprintf(h->name, sizeof h->name, "%s", db_col_text(s, 1));
        h->created_at = db_col_int64(s, 2);
        h->admin_user_id = db_col_int64(s, 3);
    }
    db_done(s);
    assert(n <= max);
    return (int)n;
}

/* ---- For notification addresses and account deletion ---- */

/* The earliest (created_at, then user_id) of the organization's few
 * administrators, picked here: an ORDER BY ... LIMIT 1 made SQLite build a
 * temporary B-tree on every call (no index has created_at), and this runs
 * twice in every order from the balance. */
int64_t org_first_admin(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT user_id, created_at FROM memberships WHERE org_id = $1 AND role = 'admin'");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int64_t id = 0, first_at = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t user = db_col_int64(s, 0), at = db_col_int64(s, 1);
        if (!id || at < first_at || (at == first_at && user < id)) {
            id = user;
            first_at = at;
        }
    }
    db_done(s);
    return st == DB_DONE ? id : -1;
}

bool org_remove_member(db *d, int64_t org_id, int64_t user_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

bool org_delete_empty(db *d, int64_t org_id)
{
    assert(db_in_tx(d) && org_id > 0);
    db_stmt *s = db_prepare(d, "SELECT 1 FROM memberships WHERE org_id = $1 LIMIT 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_status st = db_step(s);
    db_done(s);
    return st == DB_DONE && org_erase(d, org_id);
}
