/* health.h - liveness (GET /healthz answers while the process serves) and
 * readiness (GET /readyz answers 200 only while the database does). */
#ifndef SALDO_HEALTH_H
#define SALDO_HEALTH_H

#include "http/router.h"

void health_routes(router *rt);
/* Without a database connection (none opens): answers /healthz (200) and
 * /readyz (503) and returns true; false for any other request. */
bool health_without_db(http_request *r);

#endif
