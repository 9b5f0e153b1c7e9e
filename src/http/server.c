/* server.c - see server.h. One http_request per request, created on the first
 * callback, filled as the body arrives, dispatched on the last callback, and
 * freed (with its arena) when libmicrohttpd reports the request completed. */
#include "http/server.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <assert.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/header_watchdog.h"
#include "http/job_queue.h"
#include "http/metrics.h"
#include "http/stream.h"
#include "http/url_decode.h"
#include "lib/log.h"
#include "store/db_group.h"

enum {
    HTTP_REQUEST_TIME_MAX_S = 60,
    WRITER_THREADS = 2, /* measured: one is the bottleneck of the mixed workload (docs/PERFORMANCE.md) */
};

/* Where a stream's reader finds its thread's database (one server per process). */
static const char *stream_db_url;

struct http_server {
    struct MHD_Daemon *daemon;
    header_watchdog *watchdog;
    db_group *group;            /* NULL: group commit off */
    job_queue *writers;         /* run the grouped requests (job_queue.h); NULL: group commit off */
    http_server_opts opts;
    char db_url[512];
    atomic_int in_flight;
    unsigned port;
};

static pthread_key_t tls_db_key;
static pthread_once_t tls_db_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *d) { db_close(d); }
static void make_tls_key(void) { pthread_key_create(&tls_db_key, close_thread_db); }

static db *thread_db(const char *url, db_group *g)
{
    pthread_once(&tls_db_once, make_tls_key);
    db *d = pthread_getspecific(tls_db_key);
    if (d && db_broken(d)) { /* the server went away: reconnect */
        log_warn("db_reconnect", "msg=\"connection lost, opening a new one\"");
        db_close(d);
        d = NULL;
        pthread_setspecific(tls_db_key, NULL);
    }
    if (!d) {
        char err[256];
        d = db_open(url, err, sizeof err);
        if (!d) {
            log_error("db_open", "error=\"%s\"", err);
            return NULL;
        }
        pthread_setspecific(tls_db_key, d);
    }
    db_attach_group(d, g);
    return d;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *peer_ip(arena *a, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host, sizeof host);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, host, sizeof host);
    }
    return arena_strdup(a, host);
}

size_t http_server_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return url_unescape(s);
}

static http_request *request_new(http_server *s, struct MHD_Connection *c, const char *url,
                                 const char *method)
{
    arena *a = arena_new();
    http_request *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->app = s->opts.app;
    r->conn = c;
    r->method = arena_strdup(a, method);
    r->path = arena_strdup(a, url);
    r->client_ip = peer_ip(a, c);
    r->started_ns = now_ns();
    r->route_index = -1;
    r->lang = "it";
    r->status = 500;
    buf_init(&r->out, 0);
    return r;
}

static void add_security_headers(const http_server *s, struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                            "script-src 'self'; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    if (s->opts.https)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

/* A stream's reader (stream.h): runs on the pool thread that owns the
 * connection, with that thread's database connection. */
static ssize_t read_stream(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    http_stream *st = cls;
    ssize_t n = http_stream_step(st, thread_db(stream_db_url, NULL), out, max); /* streams only read */
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static struct MHD_Response *stream_response(http_request *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, read_stream, r->stream, http_stream_release);
    if (!resp)
        http_stream_release(r->stream);
    r->stream = NULL; /* libmicrohttpd releases it when the stream ends */
    r->streamed = resp != NULL;
    return resp;
}

static enum MHD_Result send_response(http_server *s, http_request *r)
{
    struct MHD_Response *resp;
    r->answered_ns = now_ns();
    if (r->stream) {
        resp = stream_response(r);
    } else {
        size_t len = r->out.len;
        char *data = r->out.data;
        r->out.data = NULL; /* ownership passes to libmicrohttpd */
        r->out.len = r->out.cap = 0;
        resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
        if (!resp)
            free(data);
    }
    if (!resp)
        return MHD_NO;
    add_security_headers(s, resp);
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    for (int i = 0; i < r->header_count; i++)
        MHD_add_response_header(resp, r->header_names[i], r->header_values[i]);
    r->answered = true;
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void answer_plain_error(http_request *r, int status, const char *code, const char *message)
{
    http_error(r, status, code, message, NULL);
}

static void resume(void *c) { MHD_resume_connection(c); }

/* The answer of a request whose writes joined a group, once the group is
 * resolved: as the handler made it when the group is on disk, 503 when its
 * COMMIT failed (then nothing of the request exists). */
static enum MHD_Result send_grouped(http_server *s, http_request *r)
{
    db_group_outcome o = db_group_watch(s->group, r->group_ticket, NULL, NULL);
    assert(o != DB_GROUP_PENDING);
    if (o == DB_GROUP_FAILED) {
        log_error("group_commit_failed", "route=\"%s\" generation=%" PRIu64, r->route ? r->route : "-",
                  r->group_ticket);
        r->answered = false;
        r->header_count = 0;
        answer_plain_error(r, 503, "store_error", "the request could not be saved; nothing was changed");
    }
    r->group_ticket = 0;
    return send_response(s, r);
}

/* Runs the request's handler on this thread's database connection; false
 * when there is none (the request then has its 503). */
static bool dispatch_here(http_server *s, http_request *r)
{
    r->db = thread_db(s->db_url, s->group);
    if (!r->db) {
        if (s->opts.unavailable)
            s->opts.unavailable(r);
        if (!r->answered && !r->out.len)
            answer_plain_error(r, 503, "unavailable", "the database is unavailable");
        return false;
    }
    db_read_scope(r->db);
    s->opts.dispatch(r);
    size_t left = db_release_all(r->db);
    if (left)
        log_warn("db_leak", "route=\"%s\" statements=%zu", r->route ? r->route : "-", left);
    if (!r->answered && r->status == 500 && !r->out.len)
        answer_plain_error(r, 500, "internal", "internal error");
    return true;
}

/* A writer thread (job_queue.h): a grouped request, whose connection the pool
 * thread that read it has suspended. When the handler's writes joined a group
 * not yet on disk, the committer resumes the connection once the group is
 * resolved, else it is resumed now; the pool thread then sends the answer
 * (on_request). Suspending before asking means the wake-up can only come
 * after the suspension. Only a suspended connection's headers, cookies and
 * query are read here, and nothing of it is touched by its pool thread until
 * the resume. */
static void run_grouped(void *ctx, void *job)
{
    http_server *s = ctx;
    http_request *r = job;
    r->group_ticket = dispatch_here(s, r) ? db_take_group_ticket(r->db) : 0;
    if (!r->group_ticket || db_group_watch(s->group, r->group_ticket, resume, r->conn) != DB_GROUP_PENDING)
        MHD_resume_connection(r->conn);
}

/* While a writer has requests queued, the group stays open for them (up to
 * its longest wait): they join it instead of each starting a group. */
static void writer_busy(void *ctx, bool busy)
{
    http_server *s = ctx;
    if (busy)
        db_group_arrive(s->group);
    else
        db_group_depart(s->group);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_request *r = *con_cls;
    if (r && r->handled_elsewhere) { /* resumed by run_grouped or the committer */
        r->handled_elsewhere = false;
        return r->group_ticket ? send_grouped(s, r) : send_response(s, r);
    }
    if (!r) {
        header_watchdog_request_started(c);
        r = request_new(s, c, url, method);
        *con_cls = r;
        atomic_fetch_add(&s->in_flight, 1);
        buf_init(&r->out, 0);
        size_t limit = s->opts.body_limit ? s->opts.body_limit(r) : 0;
        buf_init(&r->in, limit > s->opts.body_max_bytes ? limit : s->opts.body_max_bytes);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > r->in.limit)
            r->body_too_large = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (now_ns() - r->started_ns > (int64_t)HTTP_REQUEST_TIME_MAX_S * 1000000000) {
            log_warn("http_slow_client", "ip=%s path=\"%s\" msg=\"body not received in time: closing\"",
                     r->client_ip, r->path);
            return MHD_NO; /* closes the connection */
        }
        if (!r->body_too_large && !buf_append(&r->in, upload, *upload_size)) {
            r->body_too_large = true;
            buf_free(&r->in); /* the rest is read and dropped */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    r->body = r->body_too_large ? "" : buf_cstr(&r->in);
    r->body_len = r->body_too_large ? 0 : r->in.len;
    if (s->writers && s->opts.grouped(r)) {
        r->handled_elsewhere = true;
        MHD_suspend_connection(c);
        job_queue_push(s->writers, r); /* r is the writers' until they resume c */
        return MHD_YES;
    }
    if (dispatch_here(s, r) && s->group) { /* only grouped requests, run on the writers, join groups */
        uint64_t ticket = db_take_group_ticket(r->db);
        assert(ticket == 0);
        (void)ticket;
    }
    return send_response(s, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *s = cls;
    http_request *r = *con_cls;
    header_watchdog_request_done(c);
    if (!r)
        return;
    int64_t elapsed_ns = now_ns() - r->started_ns;
    /* A stream's latency is the time to its start, not how long it stayed open. */
    http_metrics_observe(r->route_index, r->answered ? r->status : 0,
                         r->streamed ? r->answered_ns - r->started_ns : elapsed_ns);
    double ms = (double)elapsed_ns / 1e6;
    log_info("http", "method=%s path=\"%s\" route=\"%s\" status=%d ms=%.2f ip=%s user=%lld staff=%lld%s%s",
             r->method, r->path, r->route ? r->route : "-", r->answered ? r->status : 0, ms,
             r->client_ip, (long long)r->user_id, (long long)r->staff_id,
             r->streamed ? " stream=1" : "", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    buf_free(&r->out);
    buf_free(&r->in);
    arena_free(r->a);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

static bool parse_listen(const char *listen, struct sockaddr_storage *ss, char *err, size_t err_size)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host) {
        snprintf(err, err_size, "listen: bad address '%s'", listen);
        return false;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    if (host[0] == '[') {
        memmove(host, host + 1, strlen(host));
        host[strcspn(host, "]")] = '\0';
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc || !res) {
        snprintf(err, err_size, "listen: cannot resolve '%s': %s", listen, gai_strerror(rc));
        return false;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return true;
}

http_server *http_server_start(const http_server_opts *opts, char *err, size_t err_size)
{
    assert(opts && opts->dispatch && opts->db_url && (!opts->group || opts->grouped));
    struct sockaddr_storage ss;
    if (!parse_listen(opts->listen, &ss, err, err_size))
        return NULL;
    http_server *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->opts = *opts;
    snprintf(s->db_url, sizeof s->db_url, "%s", opts->db_url);
    s->opts.db_url = s->db_url;
    stream_db_url = s->db_url;
    unsigned threads = opts->threads ? opts->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    unsigned idle_s = opts->idle_timeout_s ? opts->idle_timeout_s : 30u;
    s->watchdog = header_watchdog_start(idle_s);
    s->group = opts->group;
    if (s->group && !(s->writers = job_queue_start(WRITER_THREADS, run_grouped, writer_busy, s))) {
        snprintf(err, err_size, "group commit: cannot start the writer threads");
        header_watchdog_stop(s->watchdog);
        free(s);
        return NULL;
    }
    /* Streams (stream.h) suspend their connections; resuming one from another
     * thread needs the inter-thread channel. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 2u,
        MHD_OPTION_CONNECTION_TIMEOUT, idle_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY_BYTES,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_UNESCAPE_CALLBACK, http_server_unescape, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, header_watchdog_notify, s->watchdog,
        MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, err_size, "listen: cannot listen on %s", opts->listen);
        job_queue_stop(s->writers);
        header_watchdog_stop(s->watchdog);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    return s;
}

unsigned http_server_port(const http_server *s) { return s->port; }

void http_server_stop(http_server *s, unsigned grace_ms)
{
    if (!s)
        return;
    MHD_socket fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    http_stream_end_all(); /* open streams would hold the stop for the whole grace */
    for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < grace_ms; waited += 10)
        usleep(10 * 1000);
    job_queue_stop(s->writers); /* runs what is queued: it resumes connections of the daemon */
    MHD_stop_daemon(s->daemon); /* the last request is done: the caller may stop the group */
    header_watchdog_stop(s->watchdog);
    free(s);
}
