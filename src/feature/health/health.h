/* health.h - liveness: GET /healthz answers while the process serves. */
#ifndef SALDO_HEALTH_H
#define SALDO_HEALTH_H

#include "http/router.h"

void health_routes(router *rt);

#endif
