/* metrics.c - GET /metrics (see metrics.h): who may scrape, then the text. */
#include "feature/metrics/metrics.h"

#include <string.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "http/metrics.h"
#include "lib/log.h"

/* 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
static bool loopback(const char *ip)
{
    return !strncmp(ip, "127.", 4) || !strcmp(ip, "::1") || !strncmp(ip, "::ffff:127.", 11);
}

/* With a token: the bearer token, from anywhere. Without: a loopback peer
 * that is not a proxy forwarding someone else. Answers the refusal itself. */
static bool may_scrape(http_request *r)
{
    const char *token = ((const app *)r->app)->cfg->metrics.token;
    if (token[0]) {
        const char *authz = http_header(r, "Authorization");
        if (!authz || strncmp(authz, "Bearer ", 7)) {
            http_add_header(r, "WWW-Authenticate", "Bearer realm=\"metrics\"");
            http_error(r, 401, "unauthenticated", "send the metrics token as a bearer token", NULL);
            return false;
        }
        if (strlen(authz + 7) != strlen(token) || !auth_secure_equal(authz + 7, token)) {
            http_error(r, 403, "forbidden", "wrong metrics token", NULL);
            return false;
        }
        return true;
    }
    if (!loopback(r->client_ip) || http_header(r, "X-Forwarded-For") || http_header(r, "Forwarded")) {
        http_error(r, 403, "forbidden", "metrics are served to loopback only (or set metrics.token)", NULL);
        return false;
    }
    return true;
}

static void get_metrics(http_request *r)
{
    if (!may_scrape(r))
        return;
    buf out;
    buf_init(&out, 0);
    http_metrics_write(&out, &((const app *)r->app)->routes);
    bool store_ok = metrics_store_write(r->db, &out);
    if (!store_ok)
        log_warn("metrics", "error=\"%s\"", db_errmsg(r->db));
    buf_printf(&out, "# HELP saldo_database_up Whether the database answered this scrape's queries.\n"
                     "# TYPE saldo_database_up gauge\nsaldo_database_up %d\n", store_ok ? 1 : 0);
    http_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len);
    buf_free(&out);
}

void metrics_routes(router *rt)
{
    router_add(rt, "GET", "/metrics", get_metrics, ROUTE_PUBLIC);
}
