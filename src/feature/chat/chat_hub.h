/* chat_hub.h - the hub's registry of listeners, for the event streams
 * (chat_events.c). A listener is joined before its stream starts and leaves
 * when the stream ends; the hub wakes its stream when its chat has news. */
#ifndef SALDO_CHAT_HUB_H
#define SALDO_CHAT_HUB_H

#include <stdatomic.h>

#include "feature/chat/chat_internal.h"
#include "lib/buf.h"

typedef struct chat_listener {
    struct chat_listener *prev, *next; /* the hub's, under its lock */
    int64_t chat_id;
    http_stream *stream;               /* NULL until attached; under the hub's lock */
    atomic_bool keepalive;             /* a comment line is due */
    /* The stream's own (only its fill touches them). */
    int64_t last_id;                   /* the newest message sent */
    buf pending;                       /* formatted, not yet written */
    size_t sent;                       /* of pending */
    bool closed_sent;                  /* the "closed" event went out */
} chat_listener;

/* Adds l: NULL, or why not: "chat" (too many streams of its chat) or "node" (of all). */
const char *chat_hub_join(chat_listener *l);
void chat_hub_attach(chat_listener *l, http_stream *s);
void chat_hub_leave(chat_listener *l);

#endif
