/* header_watchdog.c - see header_watchdog.h. The connections are a list
 * under one mutex: libmicrohttpd's threads add and remove them, the watchdog's
 * thread walks it. A connection leaves the list (CLOSED notification) before
 * libmicrohttpd closes its socket, so a shutdown under the mutex never hits a
 * socket number already reused by another connection. */
#include "http/header_watchdog.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"

typedef struct watched {
    struct watched *prev, *next;
    MHD_socket fd;
    atomic_llong ready_ns;  /* when it began waiting for a request's headers */
    atomic_bool in_request; /* the headers are complete, the request under way */
    bool dropped;           /* shut down already: once is enough */
} watched;

struct header_watchdog {
    pthread_mutex_t lock;
    watched head; /* sentinel of a circular list */
    int64_t deadline_ns;
    atomic_bool stopping;
    pthread_t thread;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void sweep(header_watchdog *w)
{
    int64_t now = now_ns();
    pthread_mutex_lock(&w->lock);
    for (watched *c = w->head.next; c != &w->head; c = c->next) {
        if (c->dropped || atomic_load(&c->in_request) || now - atomic_load(&c->ready_ns) < w->deadline_ns)
            continue;
        c->dropped = true;
        shutdown(c->fd, SHUT_RDWR);
        log_warn("http_slow_client", "msg=\"request headers not received in time: closing\"");
    }
    pthread_mutex_unlock(&w->lock);
}

static void *run(void *arg)
{
    header_watchdog *w = arg;
    while (!atomic_load(&w->stopping)) {
        sweep(w);
        for (int i = 0; i < 10 && !atomic_load(&w->stopping); i++)
            usleep(100 * 1000);
    }
    return NULL;
}

header_watchdog *header_watchdog_start(unsigned deadline_s)
{
    assert(deadline_s > 0);
    header_watchdog *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    pthread_mutex_init(&w->lock, NULL);
    w->head.next = w->head.prev = &w->head;
    w->deadline_ns = (int64_t)deadline_s * 1000000000;
    if (pthread_create(&w->thread, NULL, run, w))
        abort();
    return w;
}

void header_watchdog_stop(header_watchdog *w)
{
    if (!w)
        return;
    atomic_store(&w->stopping, true);
    pthread_join(w->thread, NULL);
    assert(w->head.next == &w->head);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void header_watchdog_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                            enum MHD_ConnectionNotificationCode code)
{
    header_watchdog *w = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        watched *n = calloc(1, sizeof *n);
        if (!n)
            abort();
        n->fd = ci ? ci->connect_fd : MHD_INVALID_SOCKET;
        atomic_store(&n->ready_ns, now_ns());
        *socket_context = n;
        if (n->fd == MHD_INVALID_SOCKET)
            return; /* not watched: nothing to shut down */
        pthread_mutex_lock(&w->lock);
        n->next = w->head.next;
        n->prev = &w->head;
        w->head.next->prev = n;
        w->head.next = n;
        pthread_mutex_unlock(&w->lock);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        watched *n = *socket_context;
        if (n->fd != MHD_INVALID_SOCKET) { /* in the list; not n->next, which a neighbour's unlink writes */
            pthread_mutex_lock(&w->lock);
            n->prev->next = n->next;
            n->next->prev = n->prev;
            pthread_mutex_unlock(&w->lock);
        }
        free(n);
        *socket_context = NULL;
    }
}

static watched *watched_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void header_watchdog_request_started(struct MHD_Connection *c)
{
    watched *n = watched_of(c);
    if (n)
        atomic_store(&n->in_request, true);
}

void header_watchdog_request_done(struct MHD_Connection *c)
{
    watched *n = watched_of(c);
    if (!n)
        return;
    atomic_store(&n->ready_ns, now_ns());
    atomic_store(&n->in_request, false);
}
