/* chat_hub.c - the open event streams of chats on this node, and the thread
 * that keeps them moving.
 *
 * One list of listeners (one per stream) under one mutex: a post on this
 * node wakes the chat's listeners right after its commit (chat_hub_notify);
 * the hub's thread looks at the store every second for messages newer than
 * the newest it knows (posted on any node, as several nodes share the
 * PostgreSQL store) and wakes their chats' listeners, and every
 * CHAT_KEEPALIVE_S asks every stream for a comment line, which keeps proxies
 * and the server's idle timeout from closing a quiet stream and finds the
 * clients that went away. Waking a listener only has its stream's fill run
 * (chat_events.c), which reads what is new from the store itself: a wake
 * too many costs one query, and none is ever lost. */
#include "feature/chat/chat_hub.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "jobs/worker.h"
#include "lib/log.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static chat_listener head = {.prev = &head, .next = &head};
static size_t total;
static worker *thread;
static int64_t newest_seen = -1; /* the newest message id the thread saw; -1 before its first round */
static int64_t last_keepalive;

const char *chat_hub_join(chat_listener *l)
{
    size_t of_chat = 0;
    pthread_mutex_lock(&lock);
    for (chat_listener *o = head.next; o != &head; o = o->next)
        of_chat += o->chat_id == l->chat_id;
    const char *why = of_chat >= CHAT_STREAMS_PER_CHAT ? "chat" : total >= CHAT_STREAMS_MAX ? "node" : NULL;
    if (!why) {
        l->next = &head;
        l->prev = head.prev;
        head.prev->next = l;
        head.prev = l;
        total++;
    }
    pthread_mutex_unlock(&lock);
    return why;
}

void chat_hub_attach(chat_listener *l, http_stream *s)
{
    pthread_mutex_lock(&lock);
    l->stream = s;
    pthread_mutex_unlock(&lock);
}

void chat_hub_leave(chat_listener *l)
{
    pthread_mutex_lock(&lock);
    l->prev->next = l->next;
    l->next->prev = l->prev;
    total--;
    pthread_mutex_unlock(&lock);
}

/* Wakes the listeners of chat_id (0 = all; keepalive asks for a comment
 * line): their streams are held under the lock and woken after it (stream.h). */
static void wake(int64_t chat_id, bool keepalive)
{
    http_stream *some[CHAT_STREAMS_PER_CHAT], **streams = some;
    size_t n = 0;
    pthread_mutex_lock(&lock);
    if (!chat_id && !(streams = calloc(total ? total : 1, sizeof *streams)))
        abort();
    for (chat_listener *l = head.next; l != &head; l = l->next) {
        if (chat_id && l->chat_id != chat_id)
            continue;
        if (keepalive)
            atomic_store(&l->keepalive, true);
        if (l->stream) {
            assert(n < (chat_id ? CHAT_STREAMS_PER_CHAT : total));
            http_stream_hold(l->stream);
            streams[n++] = l->stream;
        }
    }
    pthread_mutex_unlock(&lock);
    for (size_t i = 0; i < n; i++) {
        http_stream_wake(streams[i]);
        http_stream_drop(streams[i]);
    }
    if (streams != some)
        free(streams);
}

void chat_hub_notify(int64_t chat_id)
{
    wake(chat_id, false);
}

/* The chats with messages after newest_seen, woken; newest_seen moves on. */
static void poll_store(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT chat_id, MAX(id) FROM chat_messages WHERE id > $1 GROUP BY chat_id");
    if (!s)
        return;
    db_bind_int64(s, 1, newest_seen);
    int64_t newest = newest_seen;
    while (db_step(s) == DB_ROW) {
        if (newest_seen >= 0)
            wake(db_col_int64(s, 0), false);
        if (db_col_int64(s, 1) > newest)
            newest = db_col_int64(s, 1);
    }
    db_done(s);
    newest_seen = newest < 0 ? 0 : newest;
}

static bool round_fn(worker *w, db *d, void *ctx)
{
    (void)w;
    (void)ctx;
    poll_store(d);
    db_release_all(d);
    int64_t now = (int64_t)time(NULL);
    if (now - last_keepalive >= CHAT_KEEPALIVE_S) {
        last_keepalive = now;
        wake(0, true);
    }
    return false;
}

void chat_hub_start(const char *db_url)
{
    last_keepalive = (int64_t)time(NULL);
    thread = worker_start("chat_hub", db_url, 1000, round_fn, NULL);
    if (!thread)
        log_error("chat_hub", "msg=\"cannot start: chats get messages of other nodes only on reconnect\"");
}

void chat_hub_stop(void)
{
    worker_stop(thread);
    thread = NULL;
}
