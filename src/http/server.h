/* server.h - the HTTP server: libmicrohttpd with an epoll thread pool.
 *
 * The server does the plumbing every request shares: reading the body within
 * its limit, a per-request arena, this thread's database connection, security
 * headers on every answer, one access-log line per request, and a graceful stop
 * that lets requests in flight finish. What a request means is up to `dispatch`.
 * With group commit on, the grouped routes are dispatched on writer threads of
 * the server's own and answered once their group is on disk (docs/ARCHITECTURE.md). */
#ifndef SALDO_SERVER_H
#define SALDO_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "store/db_group.h"

typedef struct http_server http_server;

/* libmicrohttpd's memory per connection (request line, headers, cookies, the
 * query), and its unescape callback (url_decode.h): the server's parsing set
 * up, shared with tests/fuzz/fuzz_http_request.c. */
enum { HTTP_CONNECTION_MEMORY_BYTES = 32 * 1024 };
struct MHD_Connection;
size_t http_server_unescape(void *cls, struct MHD_Connection *c, char *s);

typedef struct http_server_opts {
    const char *listen;          /* HOST:PORT or [V6]:PORT */
    const char *db_url;          /* each pool thread opens its own connection */
    unsigned threads;            /* pool size; 0 = number of CPUs */
    size_t body_max_bytes;       /* larger bodies are dropped: dispatch sees body_too_large and answers 413 */
    /* A larger limit for some routes (uploads), asked once per request with
     * its method and path set; NULL, or an answer below body_max_bytes, keeps
     * body_max_bytes. */
    size_t (*body_limit)(http_request *r);
    unsigned idle_timeout_s;     /* a connection silent this long, or whose request headers
                                    take longer than this (header_watchdog.h), is closed */
    bool https;                  /* public URL is https: send HSTS, Secure cookies */
    /* Group commit (store/db_group.h) of ROUTE_GROUPED routes' write
     * transactions; NULL = off, each transaction commits alone. The caller
     * starts the group and stops it after the server (background workers may
     * be members of it too). */
    db_group *group;
    struct app *app;
    void (*dispatch)(http_request *r);
    /* Whether r's route is one whose writes join the group commit: such
     * requests are dispatched on the server's writer threads (job_queue.h).
     * Asked once the body is read; required with a group. */
    bool (*grouped)(http_request *r);
    /* Answers instead of dispatch when no database connection opens (r->db
     * NULL); NULL answers 503 "unavailable". */
    void (*unavailable)(http_request *r);
} http_server_opts;

http_server *http_server_start(const http_server_opts *opts, char *err, size_t err_size);
/* Stops accepting, waits up to grace_ms for requests in flight, then stops. */
void http_server_stop(http_server *s, unsigned grace_ms);
/* The port actually bound (useful with port 0). */
unsigned http_server_port(const http_server *s);

#endif
