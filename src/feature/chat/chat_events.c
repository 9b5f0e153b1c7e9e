/* chat_events.c - a chat's messages as server-sent events:
 *   GET /api/v1/chats/{chat_id}/events        (customer, visitor, staff with a bearer token)
 *   GET /staff/chats/{chat_id}/events         (staff with the back office's cookie)
 * Each message is an event "message" whose id is the message id; a client
 * resumes after the id in Last-Event-ID (EventSource sends it when it
 * reconnects) or ?after=. When the chat is closed and everything was sent, an
 * event "closed" ends the stream. The stream holds no pool thread while it
 * waits (stream.h); the hub (chat_hub.c) wakes it. */
#include "feature/chat/chat_hub.h"

#include <stdlib.h>
#include <string.h>

#include "core/number_text.h"

enum { EVENTS_PER_FILL = 50, EVENTS_RETRY_MS = 3000 };

/* Formats the messages after l->last_id into l->pending; false on a store error. */
static bool read_news(chat_listener *l, db *d)
{
    json_t *msgs = chat_messages_json(d, l->chat_id, l->last_id, EVENTS_PER_FILL);
    if (!msgs)
        return false;
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m) {
        char *data = json_dumps(m, JSON_COMPACT); /* one line: JSON escapes newlines */
        l->last_id = json_integer_value(json_object_get(m, "id"));
        buf_printf(&l->pending, "id: %lld\nevent: message\ndata: %s\n\n", (long long)l->last_id, data);
        free(data);
    }
    size_t n = json_array_size(msgs);
    json_decref(msgs);
    if (n || l->closed_sent)
        return true;
    chat c;
    int found = chat_get(d, l->chat_id, &c);
    if (found == 1 && c.status == CHAT_CLOSED) {
        buf_puts(&l->pending, "event: closed\ndata: {}\n\n");
        l->closed_sent = true;
    }
    return found >= 0;
}

static ssize_t fill(void *ctx, db *d, char *out, size_t max)
{
    chat_listener *l = ctx;
    if (l->sent == l->pending.len) {
        buf_reset(&l->pending);
        l->sent = 0;
        if (l->closed_sent)
            return -1;
        if (atomic_exchange(&l->keepalive, false))
            buf_puts(&l->pending, ": keep-alive\n\n");
        bool ok = d && read_news(l, d);
        if (d)
            db_release_all(d);
        if (!ok)
            return -1; /* the client reconnects and resumes */
    }
    size_t n = l->pending.len - l->sent;
    if (n > max)
        n = max;
    memcpy(out, l->pending.data + l->sent, n);
    l->sent += n;
    return (ssize_t)n;
}

static void done(void *ctx)
{
    chat_listener *l = ctx;
    chat_hub_leave(l);
    buf_free(&l->pending);
    free(l);
}

/* Where the stream starts: Last-Event-ID, else ?after=, else 0; -1 when malformed. */
static int64_t resume_after(http_request *r)
{
    const char *v = http_header(r, "Last-Event-ID");
    if (!v || !*v)
        v = http_query(r, "after");
    if (!v || !*v)
        return 0;
    int64_t n;
    return int_text_parse(v, 0, INT64_MAX, &n) ? n : -1;
}

void chat_events(http_request *r, const chat *c)
{
    int64_t after = resume_after(r);
    if (after < 0)
        return http_error(r, 422, "invalid_field", "after: a message id (Last-Event-ID likewise)", "after");
    chat_listener *l = calloc(1, sizeof *l);
    if (!l)
        abort();
    l->chat_id = c->id;
    l->last_id = after;
    buf_init(&l->pending, 0);
    buf_printf(&l->pending, "retry: %d\n\n", EVENTS_RETRY_MS);
    const char *full = chat_hub_join(l);
    if (full) {
        buf_free(&l->pending);
        free(l);
        return http_error(r, 429, "too_many_streams",
                          strcmp(full, "chat") ? "too many open event streams on this server: try again later"
                                               : "too many open event streams of this chat",
                          NULL);
    }
    http_stream *s = http_stream_answer(r, "text/event-stream; charset=utf-8", fill, done, l);
    if (!s) {
        done(l);
        return http_error(r, 503, "unavailable", "the server is stopping", NULL);
    }
    chat_hub_attach(l, s);
}
