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

#include "http/json_in.h"

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

static void start_chat(http_request *r)
{
    json_t *b;
    const char *email = NULL, *name = NULL, *message, *token;
    int64_t id;
    if (!jin_body(r, &b))
        return;
    if (!r->user_id && (!jin_email(r, b, "email", JIN_REQUIRED, &email) ||
                        !jin_string(r, b, "name", JIN_REQUIRED, 1, CHAT_NAME_MAX, &name)))
        return;
    if (!chat_body_field(r, b, "message", &message))
        return;
    chat_result res = chat_start(r, email, name, message, &id, &token);
    if (res != CHAT_OK)
        return chat_result_answer(r, res);
    answer_with_csrf(r, 201, id, token);
}

static void get_current(http_request *r)
{
    int64_t id;
    int found = chat_current(r, &id);
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
    chat_post_route(r, false);
}

static void close_chat(http_request *r)
{
    chat_close_route(r, false);
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
