/* health.c - GET /healthz: cheap, no database, for load balancers and benchmarks. */
#include "feature/health/health.h"

static void get_healthz(http_request *r)
{
    http_text(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
}

void health_routes(router *rt)
{
    router_add(rt, "GET", "/healthz", get_healthz, ROUTE_PUBLIC);
}
