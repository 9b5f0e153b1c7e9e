/* metrics.h - request counts and latency histograms per route, for GET /metrics.
 *
 * The server records every completed request against the route the router
 * matched (its index in the routing table, so the label set is bounded by the
 * table and never by raw paths). Counters are relaxed atomics in one slot per
 * route, a cache line apart: the request path takes no lock. The scrape
 * writes them in the Prometheus text format 0.0.4. */
#ifndef SALDO_HTTP_METRICS_H
#define SALDO_HTTP_METRICS_H

#include <stdint.h>

#include "http/router.h"
#include "lib/buf.h"

/* The histogram's upper bounds, seconds; +Inf is implied. */
#define HTTP_METRICS_BUCKETS 13

/* Counts one request: route_index from the router (-1: none matched), the
 * status answered (0: none, the client went away) and how long it took. */
void http_metrics_observe(int route_index, int status, int64_t elapsed_ns);

/* saldo_http_requests_total{method,route,code} and
 * saldo_http_request_duration_seconds{method,route} (buckets, _sum, _count)
 * for the routes of rt that served at least one request, with HELP and TYPE. */
void http_metrics_write(buf *out, const router *rt);

#endif
