/* chat.h - live chat between customers (or visitors who give an email) and
 * staff. Messages are posted with the API and flow to every open event stream
 * of the chat (server-sent events, stream.h) through the hub: a post on this
 * node wakes the chat's streams at once, and the hub's thread looks at the
 * store about once a second for messages posted on other nodes. Chats and
 * their messages stay after closing (the transcript); staff can turn a chat
 * into a support ticket. */
#ifndef SALDO_CHAT_H
#define SALDO_CHAT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"

struct support_department;

enum {
    CHAT_BODY_MAX = 4000,      /* characters of one message */
    CHAT_NAME_MAX = 100,
    CHAT_RATE_COUNT = 20,      /* messages per chat ... */
    CHAT_RATE_WINDOW_S = 10,   /* ... in this many seconds */
    CHAT_STREAMS_PER_CHAT = 8, /* open event streams of one chat */
    CHAT_STREAMS_MAX = 512,    /* of all chats on this node */
    CHAT_KEEPALIVE_S = 20,     /* a comment line this often keeps a quiet stream open */
};

/* The cookie holding a visitor's chat token. */
#define CHAT_VISITOR_COOKIE "saldo_chat"

typedef enum {
    CHAT_OK,
    CHAT_STORE_ERROR,      /* nothing was changed */
    CHAT_IS_CLOSED,
    CHAT_RATE_LIMITED,     /* more than CHAT_RATE_COUNT in CHAT_RATE_WINDOW_S */
    CHAT_ALREADY_TICKET,
    CHAT_NO_ACCOUNT,       /* a visitor whose email is no customer's cannot own a ticket */
    CHAT_NO_ORG,           /* the customer has no organization to own a ticket */
} chat_result;

/* A message text: 1..CHAT_BODY_MAX characters of (multi-line) text. */
bool chat_text_ok(const char *s);
/* Starts a chat with its first message (checked by the caller): the signed-in
 * customer's (in their current organization), else a visitor's with email
 * (lowercased) and name, for whom it sets the visitor cookie (*visitor_token:
 * the cookie's value, in the arena; NULL for a customer). */
chat_result chat_start(http_request *r, const char *email, const char *name, const char *message, int64_t *out_id,
                       const char **visitor_token);
/* The caller's newest open chat (customer, or the visitor cookie's): 1, 0 none, -1 store error. */
int chat_current(http_request *r, int64_t *out_id);
/* {"chat": {...}, "messages": [...]} (staff also see the customer's email and
 * ids); NULL when there is no such chat or on a store error. */
json_t *chat_transcript_json(db *d, int64_t id, bool staff);
/* Staff's list: waiting and active first (oldest first), then closed (newest
 * first); status a "waiting", "active" or "closed" index, -1 = all. NULL on a store error. */
json_t *chat_list_json(db *d, int status, int max);

/* What the caller may do to chat id, once the caller's right to it is
 * established (chat_current, or staff). Each wakes the chat's streams. */
/* Writes body (checked by the caller): staff's answer with staff, else the
 * chat's customer or visitor's. *msg_id the message's id. */
chat_result chat_post(http_request *r, int64_t id, bool staff, const char *body, int64_t *msg_id);
/* Closes the chat with a system message (staff: audited). */
chat_result chat_close(http_request *r, int64_t id, bool staff);
/* Staff take the chat: active, assigned to r->staff_id; audited. */
chat_result chat_claim(http_request *r, int64_t id);
/* Staff turn the chat into a ticket of dep (high or normal priority, subject
 * or "Live chat N" when NULL) for its customer, or the customer with a
 * visitor's email; the transcript is its first message; the chat is linked,
 * told the ticket's number and closed; audited. */
chat_result chat_to_ticket(http_request *r, int64_t id, const struct support_department *dep, bool high,
                           const char *subject, int64_t *ticket_id);
/* Why a result failed, in English (API messages). */
const char *chat_result_message(chat_result res);

void chat_routes(router *rt);
void chat_staff_routes(router *rt);

/* The hub's thread of `saldo serve` (cross-node poll and keep-alives). */
void chat_hub_start(const char *db_url);
void chat_hub_stop(void);

#endif
