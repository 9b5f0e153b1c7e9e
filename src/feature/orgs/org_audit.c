/* org_audit.c - see org_audit.h: writing the organization's audit log,
 * reading it a page at a time, exporting it as CSV, and its two API routes.
 * The log is append-only (triggers refuse UPDATE and DELETE on both stores). */
#include "feature/orgs/org_audit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/auth/auth.h"
#include "feature/orgs/members.h"
#include "feature/orgs/orgs.h"
#include "http/field.h"
#include "http/json_in.h"

bool org_audit_record(db *d, int64_t org_id, int64_t user_id, const char *action, const char *detail_json,
                      const char *ip)
{
    assert(db_in_tx(d) && org_id > 0 && user_id >= 0);
    assert(action && *action && strlen(action) <= ORG_AUDIT_ACTION_MAX);
    assert(!detail_json || strlen(detail_json) <= ORG_AUDIT_DETAIL_MAX);
    db_stmt *s = db_prepare(d,
        "INSERT INTO org_audit (org_id, user_id, action, detail, ip, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    if (user_id)
        db_bind_int64(s, 2, user_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, action);
    db_bind_text(s, 4, detail_json ? detail_json : "{}");
    db_bind_text(s, 5, ip);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

bool org_audit_record_json(db *d, int64_t org_id, int64_t user_id, const char *action, json_t *detail,
                           const char *ip)
{
    assert(json_is_object(detail));
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (!text)
        abort(); /* out of memory */
    if (strlen(text) > ORG_AUDIT_DETAIL_MAX) /* never from our own details; keep the entry, drop the detail */
        text[0] = '\0';
    bool ok = org_audit_record(d, org_id, user_id, action, text[0] ? text : NULL, ip);
    free(text);
    return ok;
}

bool org_audit_sign_in(db *d, int64_t user_id, const char *via, const char *ip)
{
    assert(db_in_tx(d) && user_id > 0 && via && strlen(via) < 16);
    char detail[48];
    snprintf(detail, sizeof detail, "{\"via\":\"%s\"}", via);
    db_stmt *s = db_prepare(d,
        "INSERT INTO org_audit (org_id, user_id, action, detail, ip, created_at)"
        " SELECT org_id, user_id, 'sign_in', CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS BIGINT)"
        " FROM memberships WHERE user_id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, detail);
    db_bind_text(s, 2, ip);
    db_bind_int64(s, 3, (int64_t)time(NULL));
    db_bind_int64(s, 4, user_id);
    return db_exec1(s) == DB_DONE;
}

/* The customers an audit page names, looked up once each. */
enum { USER_CACHE_MAX = 32 };
typedef struct user_cache {
    size_t count;
    auth_user users[USER_CACHE_MAX];
    bool known[USER_CACHE_MAX];
} user_cache;

/* user_id's profile, or NULL when unknown (gone); the cache fills as it goes. */
static const auth_user *cached_user(http_request *r, user_cache *c, int64_t user_id)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->users[i].id == user_id)
            return c->known[i] ? &c->users[i] : NULL;
    auth_user u = {.id = user_id};
    bool known = auth_user_get(r, user_id, &u);
    if (c->count < USER_CACHE_MAX) {
        c->users[c->count] = u;
        c->known[c->count++] = known;
        return known ? &c->users[c->count - 1] : NULL;
    }
    auth_user *copy = arena_alloc(r->a, sizeof *copy);
    *copy = u;
    return known ? copy : NULL;
}

static const char *const list_sql =
    "SELECT id, created_at, COALESCE(user_id, 0), action, detail, ip FROM org_audit"
    " WHERE org_id = $1 AND (CAST($2 AS BIGINT) = 0 OR id < $2) ORDER BY id DESC LIMIT $3";

json_t *org_audit_page_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit)
{
    assert(limit > 0 && limit < ORG_AUDIT_PAGE_MAX && before_id >= 0);
    user_cache *users = arena_alloc(r->a, sizeof *users);
    users->count = 0;
    db_stmt *s = db_prepare(r->db, list_sql);
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, before_id);
    db_bind_int64(s, 3, (int64_t)limit + 1);
    json_t *list = json_array();
    int64_t last_id = 0;
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n++ < limit) {
        last_id = db_col_int64(s, 0);
        int64_t uid = db_col_int64(s, 2);
        const auth_user *u = uid ? cached_user(r, users, uid) : NULL;
        json_t *detail = json_loads(db_col_text(s, 4), 0, NULL);
        json_t *who = !uid ? json_null() : json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)uid, "email",
                                                       u ? u->email : NULL, "name", u ? u->name : NULL);
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:o, s:o, s:s?}", "id", (json_int_t)last_id,
            "created_at", jout_time(db_col_int64(s, 1)), "action", db_col_text(s, 3), "user", who,
            "detail", json_is_object(detail) ? detail : (json_decref(detail), json_object()), "ip",
            db_col_is_null(s, 5) ? NULL : db_col_text(s, 5)));
    }
    db_done(s);
    if (st != DB_ROW && st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    json_t *next = n > limit ? json_string(arena_printf(r->a, "%lld", (long long)last_id)) : json_null();
    return json_pack("{s:o, s:o}", "entries", list, "next_cursor", next);
}

void org_audit_csv_cell(buf *out, const char *text)
{
    buf_putc(out, '"');
    if (text && text[0] && strchr("=+-@\t\r", text[0]))
        buf_putc(out, '\'');
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '"')
            buf_putc(out, '"');
        buf_putc(out, *p);
    }
    buf_putc(out, '"');
}

static void csv_row(buf *out, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ',');
        org_audit_csv_cell(out, cells[i]);
    }
    buf_puts(out, "\r\n");
}

bool org_audit_csv(http_request *r, int64_t org_id, buf *out)
{
    static const char *const header[] = {"id", "created_at", "action", "user_id", "user_email", "user_name",
                                         "ip", "detail"};
    user_cache *users = arena_alloc(r->a, sizeof *users);
    users->count = 0;
    csv_row(out, header, 8);
    db_stmt *s = db_prepare(r->db, list_sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, 0);
    db_bind_int64(s, 3, ORG_AUDIT_CSV_ROWS_MAX);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t uid = db_col_int64(s, 2);
        const auth_user *u = uid ? cached_user(r, users, uid) : NULL;
        json_t *t = jout_time(db_col_int64(s, 1));
        const char *cells[] = {
            arena_printf(r->a, "%lld", (long long)db_col_int64(s, 0)), json_string_value(t), db_col_text(s, 3),
            uid ? arena_printf(r->a, "%lld", (long long)uid) : "", u ? u->email : "", u ? u->name : "",
            db_col_is_null(s, 5) ? "" : db_col_text(s, 5), db_col_text(s, 4),
        };
        csv_row(out, cells, 8);
        json_decref(t);
    }
    db_done(s);
    return st == DB_DONE && !out->overflow;
}
