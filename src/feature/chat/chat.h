/* chat.h - live chat between customers (or visitors who give an email) and
 * staff. Messages are posted with the API and flow to every open event stream
 * of the chat (server-sent events, stream.h) through the hub: a post on this
 * node wakes the chat's streams at once, and the hub's thread looks at the
 * store about once a second for messages posted on other nodes. Chats and
 * their messages stay after closing (the transcript); staff can turn a chat
 * into a support ticket. */
#ifndef SALDO_CHAT_H
#define SALDO_CHAT_H

#include "http/router.h"

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

void chat_routes(router *rt);
void chat_staff_routes(router *rt);

/* The hub's thread of `saldo serve` (cross-node poll and keep-alives). */
void chat_hub_start(const char *db_url);
void chat_hub_stop(void);

#endif
