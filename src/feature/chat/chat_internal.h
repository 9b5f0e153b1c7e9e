/* chat_internal.h - what the chat feature's files share: the chat row, the
 * store calls (chats.c), who may see a chat (chat_access.c), the hub
 * (chat_hub.c), the event streams (chat_events.c), the per-chat rate limit
 * (chat_rate.c) and the API helpers (chat_actions.c). */
#ifndef SALDO_CHAT_INTERNAL_H
#define SALDO_CHAT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "feature/auth/secret.h"
#include "feature/chat/chat.h"
#include "http/http.h"
#include "http/stream.h"

typedef enum { CHAT_WAITING, CHAT_ACTIVE, CHAT_CLOSED, CHAT_STATUS_COUNT } chat_status;
extern const char *const chat_status_names[]; /* "waiting", "active", "closed", NULL */

typedef enum { CHAT_BY_CUSTOMER, CHAT_BY_VISITOR, CHAT_BY_STAFF, CHAT_BY_SYSTEM } chat_author;
extern const char *const chat_author_names[]; /* "customer", "visitor", "staff", "system", NULL */

typedef struct chat {
    int64_t id, org_id, user_id, assigned_staff_id, ticket_id, created_at, closed_at; /* 0 = none */
    chat_status status;
    char email[255], name[CHAT_NAME_MAX + 1], lang[3];
    char token_hash[SECRET_HASH_HEX + 1]; /* "" for a customer's chat */
} chat;

typedef struct chat_new {
    int64_t org_id, user_id;           /* a customer's chat; 0 for a visitor */
    const char *email, *name, *lang;
    const char *token_hash;            /* a visitor's; NULL for a customer */
    const char *first;                 /* the first message */
} chat_new;

/* ---- chats.c: the store (write calls run their own transaction) ---- */
bool chat_create(db *d, const chat_new *n, int64_t *out_id);
/* 1, 0 none, -1 store error. */
int chat_get(db *d, int64_t id, chat *out);
/* Adds a message (inside the caller's transaction when one is open). */
bool chat_add_message(db *d, int64_t chat_id, chat_author kind, int64_t author_id, const char *body, int64_t *out_id);
/* Messages of chat_id after after_id, oldest first, at most max (0 = all) as a JSON array; NULL on error. */
json_t *chat_messages_json(db *d, int64_t chat_id, int64_t after_id, int max);
/* Sets status (closing sets closed_at) and, when staff_id > 0, the assignee, inside the caller's transaction. */
bool chat_set_status(db *d, int64_t id, chat_status st, int64_t staff_id);
bool chat_set_ticket(db *d, int64_t id, int64_t ticket_id);
/* The chat as the API shows it (staff also see the email and the ids). */
json_t *chat_json(const chat *c, bool staff);
/* Hex SHA-256 of "csrf:" + token: what a visitor sends as X-CSRF-Token. */
void chat_visitor_csrf(const char *token, char out[SECRET_HASH_HEX + 1]);

/* ---- chat_access.c ---- */
/* The path's chat when the caller may see it (its customer, an admin of its
 * organization, the visitor with the cookie, or staff when staff is true);
 * else answers 404. *kind says who writes. A visitor's unsafe request must
 * carry the visitor's CSRF token: else 403. */
bool chat_or_404(http_request *r, bool staff, chat *c, chat_author *kind);

/* ---- chat_hub.c ---- */
/* Wakes the streams of chat_id (after a commit). */
void chat_hub_notify(int64_t chat_id);

/* ---- chat_events.c ---- */
/* Answers the chat's messages as server-sent events (customer, visitor, staff). */
void chat_events(http_request *r, const chat *c);

/* ---- chat_rate.c ---- */
/* True when chat_id may take one more message now (and counts it). */
bool chat_rate_take(int64_t chat_id, int64_t now);

/* ---- chat_actions.c ---- */
/* A message text field: answers 422 naming it itself. */
bool chat_body_field(http_request *r, json_t *b, const char *field, const char **out);
/* Answers a failed result: 409, 422, 429 or 500 with its code and message. */
void chat_result_answer(http_request *r, chat_result res);
/* The staff audit log entry for chat_id (detail JSON or NULL), inside the caller's transaction. */
bool chat_audit(http_request *r, const char *action, int64_t chat_id, const char *detail);
/* Closes chat id with a system message note, inside the caller's transaction. */
bool chat_close_in_tx(db *d, int64_t id, const char *note);
/* The routes that write and close (customer: staff false). */
void chat_post_route(http_request *r, bool staff);
void chat_close_route(http_request *r, bool staff);
/* Answers the chat and its transcript with status. */
void chat_answer(http_request *r, int status, int64_t id, bool staff);

#endif
