/* chat_api.c - the chat API of customers and visitors:
 *   POST /api/v1/chats                      start (a signed-in customer, or a visitor with email + name)
 *   GET  /api/v1/chats/current              the caller's open chat, if any
 *   GET  /api/v1/chats/{chat_id}            the chat and its transcript
 *   POST /api/v1/chats/{chat_id}/messages   write
 *   POST /api/v1/chats/{chat_id}/close      close
 *   GET  /api/v1/chats/{chat_id}/events     the messages as server-sent events (chat_events.c)
 * A visitor's chat is tied to a random token in an HttpOnly cookie; the
 * store keeps its hash. Who else may see a chat: chat_access.c. */
#include "feature/chat/chat_internal.h"

#include <string.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

enum { CHAT_COOKIE_MAX_AGE_S = 30 * 86400 };

static void set_visitor_cookie(http_request *r, const char *token)
{
    http_add_header(r, "Set-Cookie",
                    arena_printf(r->a, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", CHAT_VISITOR_COOKIE,
                                 token, CHAT_COOKIE_MAX_AGE_S, r->app->https ? "; Secure" : ""));
}

/* The chat and its transcript, plus the visitor's CSRF token when a visitor asks. */
static void answer_with_csrf(http_request *r, int status, int64_t id, const char *token)
{
    json_t *j = chat_transcript_json(r->db, id, false);
    if (!j)
        return http_error(r, 500, "store_error", "the chat could not be read", NULL);
    if (token) {
        char csrf[SECRET_HASH_HEX + 1];
        chat_visitor_csrf(token, csrf);
        json_object_set_new(j, "visitor_csrf", json_string(csrf));
    }
    http_json(r, status, j);
}

static bool start_customer(http_request *r, chat_new *n)
{
    auth_user u;
    n->user_id = r->user_id;
    n->org_id = r->current_org && org_user_may(r->db, r->user_id, r->current_org, ORG_NEED_MEMBER)
                    ? r->current_org
                    : org_first_for_user(r->db, r->user_id);
    if (!auth_user_get(r, r->user_id, &u)) {
        http_error(r, 500, "store_error", "the chat could not be started", NULL);
        return false;
    }
    n->email = u.email;
    n->name = u.name;
    return true;
}

static void start_chat(http_request *r)
{
    json_t *b;
    chat_new n = {.lang = strcmp(r->lang, "en") ? "it" : "en"};
    char token[SECRET_TOKEN_CHARS + 1], hash[SECRET_HASH_HEX + 1];
    if (!jin_body(r, &b))
        return;
    if (r->user_id) {
        if (!start_customer(r, &n))
            return;
    } else if (!jin_email(r, b, "email", JIN_REQUIRED, &n.email) ||
               !jin_string(r, b, "name", JIN_REQUIRED, 1, CHAT_NAME_MAX, &n.name)) {
        return;
    }
    if (!chat_body_field(r, b, "message", &n.first))
        return;
    if (!r->user_id) {
        secret_token_new(token);
        secret_token_hash(token, hash);
        n.token_hash = hash;
    }
    int64_t id;
    if (!chat_create(r->db, &n, &id))
        return http_error(r, 500, "store_error", "the chat could not be started; nothing was saved", NULL);
    chat_hub_notify(id);
    if (!r->user_id)
        set_visitor_cookie(r, token);
    answer_with_csrf(r, 201, id, r->user_id ? NULL : token);
}

/* The newest open chat of the signed-in customer, or of the visitor's cookie: 1, 0 none, -1 store error. */
static int current_chat(http_request *r, int64_t *id)
{
    const char *token = http_cookie(r, CHAT_VISITOR_COOKIE);
    char hash[SECRET_HASH_HEX + 1] = "";
    if (!r->user_id && (!token || strlen(token) != SECRET_TOKEN_CHARS))
        return 0;
    if (!r->user_id)
        secret_token_hash(token, hash);
    db_stmt *s = db_prepare(r->db, "SELECT id FROM chats WHERE status <> 'closed' AND"
                                   " (user_id = $1 OR visitor_token_hash = $2) ORDER BY id DESC LIMIT 1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, r->user_id ? r->user_id : -1);
    db_bind_text(s, 2, hash[0] ? hash : "-");
    db_status st = db_step(s);
    if (st == DB_ROW)
        *id = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

static void get_current(http_request *r)
{
    int64_t id;
    int found = current_chat(r, &id);
    if (found < 0)
        return http_error(r, 500, "store_error", "the chat could not be read", NULL);
    if (!found)
        return http_error(r, 404, "not_found", "no open chat", NULL);
    answer_with_csrf(r, 200, id, r->user_id ? NULL : http_cookie(r, CHAT_VISITOR_COOKIE));
}

static void get_chat(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, false, &c, &kind))
        answer_with_csrf(r, 200, c.id, kind == CHAT_BY_VISITOR ? http_cookie(r, CHAT_VISITOR_COOKIE) : NULL);
}

static void post_message(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, false, &c, &kind))
        chat_post_answer(r, &c, kind, kind == CHAT_BY_CUSTOMER ? r->user_id : 0);
}

static void close_chat(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, false, &c, &kind))
        chat_close_answer(r, &c, false);
}

static void events(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, r->staff_id != 0, &c, &kind))
        chat_events(r, &c);
}

void chat_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/chats", start_chat, ROUTE_PUBLIC);
    router_add(rt, "GET", "/api/v1/chats/current", get_current, ROUTE_PUBLIC);
    router_add(rt, "GET", "/api/v1/chats/{chat_id}", get_chat, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/chats/{chat_id}/messages", post_message, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/chats/{chat_id}/close", close_chat, ROUTE_PUBLIC);
    router_add(rt, "GET", "/api/v1/chats/{chat_id}/events", events, ROUTE_PUBLIC);
    router_add(rt, "GET", "/staff/chats/{chat_id}/events", events, ROUTE_STAFF);
}
