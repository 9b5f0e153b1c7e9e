/* auth_tokens.c - API tokens a user creates for scripts: shown once, stored hashed. */
#include "feature/auth/auth.h"

#include "feature/auth/auth_internal.h"
#include "feature/auth/session.h"
#include "http/json_in.h"

enum { TOKENS_PER_USER_MAX = 50 };

static int64_t token_count(http_request *r)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND kind = 'token' AND revoked_at IS NULL");
    if (!s)
        return 0;
    db_bind_int64(s, 1, r->user_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return n;
}

static void post_token(http_request *r)
{
    json_t *b;
    const char *name;
    if (!jin_body(r, &b) || !jin_string(r, b, "name", JIN_REQUIRED, 1, 100, &name))
        return;
    if (token_count(r) >= TOKENS_PER_USER_MAX)
        return (void)http_error(r, 422, "too_many_tokens", "name: revoke an old token first", "name");
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    if (!session_create(r->db, "token", r->user_id, 0, name, token, &s))
        return (void)auth_store_failed(r);
    http_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)s.id, "name", name, "token", token));
}

static void get_tokens(http_request *r)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, name, created_at, last_seen_at FROM sessions"
        " WHERE user_id = $1 AND kind = 'token' AND revoked_at IS NULL ORDER BY id");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_int64(s, 1, r->user_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(s, 0),
                                              "name", db_col_text(s, 1), "created_at", jout_time(db_col_int64(s, 2)),
                                              "last_used_at", jout_time(db_col_int64(s, 3))));
    db_done(s);
    http_json(r, 200, json_pack("{s:o}", "tokens", list));
}

static void delete_token(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "token_id", &id) || !session_revoke_token(r->db, id, r->user_id))
        return (void)http_error(r, 404, "not_found", "no such token", NULL);
    http_text(r, 204, NULL, "", 0);
}

void auth_token_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/tokens", get_tokens, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/tokens", post_token, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/tokens/{token_id}", delete_token, ROUTE_USER);
}
