/* staff_api.c - the back office API: staff sign-in, finding organizations,
 * their wallets and transfers, credit adjustments, and the audit log. */
#include "feature/staff/staff.h"
#include "feature/staff/staff_internal.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/auth/session.h"
#include "feature/ledger/ledger.h"
#include "feature/wallet/wallet.h"
#include "http/idempotency.h"
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
    if (!session_create(r->db, "api", 0, staff_id, NULL, token, &s))
        return (void)http_error(r, 500, "store_error", "cannot create the session", NULL);
    http_json(r, 201, json_pack("{s:s}", "token", token));
}

static void delete_staff_session(http_request *r)
{
    session_revoke(r->db, r->session_id, 0);
    http_text(r, 204, NULL, "", 0);
}

/* Lower-case LIKE pattern for a free-text search, with % and _ taken literally. */
static const char *like_pattern(http_request *r, const char *q)
{
    buf b;
    buf_init(&b, 512);
    buf_putc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_putc(&b, '\\');
        buf_putc(&b, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
    }
    buf_putc(&b, '%');
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static void get_orgs(http_request *r)
{
    const char *q = http_query(r, "q");
    if (q && strlen(q) > 200)
        return (void)http_error(r, 422, "invalid_field", "q: at most 200 characters", "q");
    db_stmt *s = db_prepare(r->db,
        "SELECT o.id, o.name, o.created_at, (SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id"
        "  WHERE m.org_id = o.id AND m.role = 'admin' ORDER BY m.created_at LIMIT 1)"
        " FROM orgs o WHERE $1 = '%%' OR lower(o.name) LIKE $1 ESCAPE '\\' OR EXISTS (SELECT 1 FROM memberships m"
        "  JOIN users u ON u.id = m.user_id WHERE m.org_id = o.id AND u.email LIKE $1 ESCAPE '\\')"
        " ORDER BY o.id DESC LIMIT 50");
    if (!s)
        return (void)http_error(r, 500, "store_error", "cannot search", NULL);
    db_bind_text(s, 1, like_pattern(r, q ? q : ""));
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:s?}", "id", (json_int_t)db_col_int64(s, 0),
                                              "name", db_col_text(s, 1), "created_at", jout_time(db_col_int64(s, 2)),
                                              "admin_email", db_col_text(s, 3)));
    db_done(s);
    http_json(r, 200, json_pack("{s:o}", "organizations", list));
}

/* The organization of the path, or a 404 answer. */
static bool path_org(http_request *r, int64_t *org_id, const char **name)
{
    db_stmt *s = NULL;
    bool ok = http_param_id(r, "org_id", org_id) && (s = db_prepare(r->db, "SELECT name FROM orgs WHERE id = $1"));
    if (ok) {
        db_bind_int64(s, 1, *org_id);
        ok = db_step(s) == DB_ROW;
        if (ok && name)
            *name = arena_strdup(r->a, db_col_text(s, 0));
        db_done(s);
    }
    if (!ok)
        http_error(r, 404, "not_found", "no such organization", NULL);
    return ok;
}

static json_t *org_members(http_request *r, int64_t org_id)
{
    json_t *list = json_array();
    db_stmt *s = db_prepare(r->db,
        "SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id"
        " WHERE m.org_id = $1 ORDER BY m.created_at");
    if (!s)
        return list;
    db_bind_int64(s, 1, org_id);
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "user_id", (json_int_t)db_col_int64(s, 0),
                                              "email", db_col_text(s, 1), "name", db_col_text(s, 2),
                                              "role", db_col_text(s, 3)));
    db_done(s);
    return list;
}

static void get_org(http_request *r)
{
    int64_t org_id;
    const char *name;
    if (!path_org(r, &org_id, &name))
        return;
    json_t *w = wallet_list_json(r, org_id);
    if (!w)
        return (void)http_error(r, 500, "store_error", "cannot read the wallets", NULL);
    json_object_set_new(w, "organization", json_pack("{s:I, s:s, s:o}", "id", (json_int_t)org_id, "name", name,
                                                      "members", org_members(r, org_id)));
    http_json(r, 200, w);
}

static void get_org_transactions(http_request *r)
{
    int64_t org_id, before_id;
    size_t limit;
    if (!path_org(r, &org_id, NULL) || !wallet_page_args(r, &before_id, &limit))
        return;
    json_t *j = wallet_lines_json(r, org_id, before_id, limit);
    if (!j)
        return (void)http_error(r, 500, "store_error", "cannot read the transactions", NULL);
    http_json(r, 200, j);
}

void staff_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/staff/sessions", post_staff_session, ROUTE_PUBLIC);
    router_add(rt, "DELETE", "/api/v1/staff/sessions/current", delete_staff_session, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs", get_orgs, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}", get_org, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}/transactions", get_org_transactions, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/orgs/{org_id}/adjustments", staff_adjustment, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/audit", staff_get_audit, ROUTE_STAFF);
}
