/* stream.c - see stream.h. Every open stream is on one list (for the stop)
 * under list_lock; each has its own lock for the suspend/wake handshake:
 * a step that finds nothing suspends the connection unless a wake came in
 * meanwhile, and a wake resumes the connection only if it is suspended
 * (libmicrohttpd forbids resuming one that is not; and it never closes a
 * suspended connection, so a released stream is never marked suspended).
 * libmicrohttpd is called under a stream's lock only, never under list_lock
 * or a caller's lock: whoever wakes streams from a list holds them (a count
 * of references, libmicrohttpd's being one) and wakes them after letting go
 * of the list, so no lock of ours is ever taken while libmicrohttpd holds one
 * of its own and waits for ours. */
#include "http/stream.h"

#include <assert.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

struct http_stream {
    http_stream *prev, *next;
    pthread_mutex_t lock;
    struct MHD_Connection *conn;
    http_stream_fill fill;
    void (*done)(void *ctx);
    void *ctx;
    bool suspended; /* the connection is suspended (only a wake resumes it) */
    bool woken;     /* a wake since the last step began */
    bool ending;    /* the server stops: end at the next step */
    atomic_int refs; /* libmicrohttpd's, plus one per http_stream_hold */
};

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static http_stream head = {.prev = &head, .next = &head};
static size_t open_count;
static bool refusing;

http_stream *http_stream_answer(http_request *r, const char *content_type, http_stream_fill fill,
                                void (*done)(void *ctx), void *ctx)
{
    assert(fill && done && !r->answered);
    http_stream *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    pthread_mutex_init(&s->lock, NULL);
    s->conn = r->conn;
    s->fill = fill;
    s->done = done;
    s->ctx = ctx;
    atomic_init(&s->refs, 1);
    pthread_mutex_lock(&list_lock);
    bool ok = !refusing;
    if (ok) {
        s->next = &head;
        s->prev = head.prev;
        head.prev->next = s;
        head.prev = s;
        open_count++;
    }
    pthread_mutex_unlock(&list_lock);
    if (!ok) {
        pthread_mutex_destroy(&s->lock);
        free(s);
        return NULL;
    }
    r->stream = s;
    r->status = 200;
    r->content_type = content_type;
    r->answered = true;
    http_add_header(r, "Cache-Control", "no-store");
    http_add_header(r, "X-Accel-Buffering", "no"); /* a proxy in front must not hold the events back */
    return s;
}

void http_stream_wake(http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    s->woken = true;
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    }
    pthread_mutex_unlock(&s->lock);
}

void http_stream_hold(http_stream *s)
{
    atomic_fetch_add(&s->refs, 1);
}

void http_stream_drop(http_stream *s)
{
    if (atomic_fetch_sub(&s->refs, 1) > 1)
        return;
    pthread_mutex_destroy(&s->lock);
    free(s);
}

ssize_t http_stream_step(http_stream *s, db *d, char *out, size_t max)
{
    pthread_mutex_lock(&s->lock);
    bool ending = s->ending;
    s->woken = false;
    pthread_mutex_unlock(&s->lock);
    if (ending)
        return -1;
    ssize_t n = s->fill(s->ctx, d, out, max); /* without locks: fill may take its own */
    if (n != 0)
        return n < 0 ? -1 : n;
    pthread_mutex_lock(&s->lock);
    if (s->ending) {
        n = -1;
    } else if (!s->woken) { /* nothing came in since the step began: sleep */
        s->suspended = true;
        MHD_suspend_connection(s->conn);
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

void http_stream_release(void *p)
{
    http_stream *s = p;
    pthread_mutex_lock(&list_lock);
    s->prev->next = s->next;
    s->next->prev = s->prev;
    open_count--;
    pthread_mutex_unlock(&list_lock);
    s->done(s->ctx);
    http_stream_drop(s);
}

void http_stream_end_all(void)
{
    pthread_mutex_lock(&list_lock);
    refusing = true;
    http_stream **all = calloc(open_count ? open_count : 1, sizeof *all);
    if (!all)
        abort();
    size_t n = 0;
    for (http_stream *s = head.next; s != &head; s = s->next) {
        http_stream_hold(s);
        all[n++] = s;
    }
    pthread_mutex_unlock(&list_lock);
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&all[i]->lock);
        all[i]->ending = true;
        pthread_mutex_unlock(&all[i]->lock);
        http_stream_wake(all[i]);
        http_stream_drop(all[i]);
    }
    free(all);
}
