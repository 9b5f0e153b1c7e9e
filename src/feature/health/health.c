/* health.c - GET /healthz: liveness, cheap, no database, for load balancers
 * and benchmarks. GET /readyz: readiness, whether this node can reach its
 * database right now (a trivial query; on SQLite the file still in place),
 * so a load balancer stops sending it traffic while it cannot. */
#include "feature/health/health.h"

#include <jansson.h>
#include <string.h>

#include "lib/log.h"

static void get_healthz(http_request *r)
{
    http_text(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
}

static void get_readyz(http_request *r)
{
    char err[512];
    if (db_ping(r->db, err, sizeof err)) {
        http_json(r, 200, json_pack("{s:s}", "status", "ready"));
        return;
    }
    log_warn("readyz", "error=\"%s\"", err);
    http_json(r, 503, json_pack("{s:s, s:s}", "status", "unavailable", "reason", err));
}

bool health_without_db(http_request *r)
{
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
        return false;
    if (!strcmp(r->path, "/healthz")) {
        get_healthz(r);
        return true;
    }
    if (!strcmp(r->path, "/readyz")) {
        log_warn("readyz", "error=\"cannot connect to the database\"");
        http_json(r, 503, json_pack("{s:s, s:s}", "status", "unavailable", "reason", "cannot connect to the database"));
        return true;
    }
    return false;
}

void health_routes(router *rt)
{
    router_add(rt, "GET", "/healthz", get_healthz, ROUTE_PUBLIC);
    router_add(rt, "GET", "/readyz", get_readyz, ROUTE_PUBLIC);
}
