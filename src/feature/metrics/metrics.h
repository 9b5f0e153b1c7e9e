/* metrics.h - GET /metrics: the Prometheus text format (0.0.4) of the
 * request counters and latency histograms (http/metrics.h) and of gauges
 * read from the database at scrape time (metrics_store.c): outbox depth,
 * payments, services, the last billing run.
 *
 * Never public: with metrics.token empty only loopback clients that did not
 * come through a proxy may scrape; with a token every scrape needs
 * `Authorization: Bearer <token>`. docs/OPERATIONS.md lists the metrics. */
#ifndef SALDO_FEATURE_METRICS_H
#define SALDO_FEATURE_METRICS_H

#include "http/router.h"
#include "lib/buf.h"
#include "store/db.h"

void metrics_routes(router *rt);

/* Writes the database gauges to out; false (out holding what was written) on
 * a store error. */
bool metrics_store_write(db *d, buf *out);

#endif
