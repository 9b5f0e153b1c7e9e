/* fuzz_http_request.c - a whole request as a client sends it (request line,
 * query string, headers, cookies, body), read by a real libmicrohttpd daemon
 * set up as src/http/server.c sets it up for what parsing is concerned
 * (its unescape callback and per-connection memory, from server.h),
 * without threads or a listening socket: each input arrives through a
 * socketpair. libmicrohttpd splits the headers, cookies and query arguments;
 * the handler reads every one of them (C strings, within the connection's
 * memory), asks for the ones saldo asks for through its own helpers, and
 * looks the decoded path up in the real route table. */
#include <arpa/inet.h>
#include <assert.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app.h"
#include "http/http.h"
#include "http/server.h"

enum {
    INPUT_MAX = 16 * 1024,  /* fits the socket buffer: one write */
    RUNS_MAX = 16,          /* turns of the daemon per input */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static app the_app;
static struct MHD_Daemon *daemon_;
static const char ok_body[] = "ok";

static enum MHD_Result each_value(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)cls, (void)kind;
    assert(key && strlen(key) < HTTP_CONNECTION_MEMORY_BYTES);
    assert(!value || strlen(value) < HTTP_CONNECTION_MEMORY_BYTES);
    return MHD_YES;
}

static void read_request(struct MHD_Connection *c, const char *url, const char *method)
{
    MHD_get_connection_values(c, MHD_HEADER_KIND | MHD_COOKIE_KIND | MHD_GET_ARGUMENT_KIND, each_value, NULL);
    arena *a = arena_new();
    http_request *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->conn = c;
    const char *names[] = {"saldo_session", "saldo_staff", "saldo_csrf", "lang"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = http_cookie(r, names[i]);
        assert(!v || strlen(v) < HTTP_CONNECTION_MEMORY_BYTES);
    }
    const char *q = http_query(r, "currency");
    assert(!q || strlen(q) < HTTP_CONNECTION_MEMORY_BYTES);
    const route *ro = NULL;
    if (router_match(&the_app.routes, method, url, r, &ro) == ROUTER_FOUND)
        assert(ro && r->route == ro->pattern);
    arena_free(a);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size,
                                  void **con_cls)
{
    (void)cls, (void)version, (void)upload;
    if (!*con_cls) {
        *con_cls = (void *)ok_body;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* the body is read and dropped */
        return MHD_YES;
    }
    read_request(c, url, method);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof ok_body - 1, (void *)ok_body, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void start(void)
{
    app_routes(&the_app);
    daemon_ = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, on_request, NULL,
                               MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY_BYTES,
                               MHD_OPTION_UNESCAPE_CALLBACK, http_server_unescape, NULL, MHD_OPTION_END);
    assert(daemon_);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!daemon_)
        start();
    if (size > INPUT_MAX)
        return 0;
    int fd[2];
    assert(socketpair(AF_UNIX, SOCK_STREAM, 0, fd) == 0);
    fcntl(fd[0], F_SETFL, O_NONBLOCK);
    struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000), .sin_addr.s_addr = htonl(0x7f000001)};
    assert(MHD_add_connection(daemon_, fd[1], (struct sockaddr *)&peer, sizeof peer) == MHD_YES);
    if (size)
        assert(write(fd[0], data, size) == (ssize_t)size);
    shutdown(fd[0], SHUT_WR);
    char sink[4096];
    for (int i = 0; i < RUNS_MAX; i++) {
        MHD_run(daemon_);
        while (read(fd[0], sink, sizeof sink) > 0)
            ;
    }
    close(fd[0]);
    for (int i = 0; i < 4; i++)
        MHD_run(daemon_); /* sees the closed peer and frees the connection */
    return 0;
}
