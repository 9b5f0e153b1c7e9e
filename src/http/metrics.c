/* metrics.c - see metrics.h. Counts live in static slots indexed by route;
 * the last slot takes the requests no route matched. Buckets are kept
 * per-interval and made cumulative when written. */
#include "http/metrics.h"

#include "store/db_group.h"

#include <assert.h>
#include <inttypes.h>
#include <stdatomic.h>

enum { SLOT_UNMATCHED = ROUTER_ROUTES_MAX, SLOT_COUNT = ROUTER_ROUTES_MAX + 1, STATUS_CLASSES = 6 };

static const int64_t bucket_ns[HTTP_METRICS_BUCKETS] = {
    1000000, 2500000, 5000000, 10000000, 25000000, 50000000, 100000000,
    250000000, 500000000, 1000000000, 2500000000, 5000000000, 10000000000,
};
static const char *const bucket_label[HTTP_METRICS_BUCKETS] = {
    "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
};
/* Index = status / 100; 0 = not answered. */
static const char *const class_label[STATUS_CLASSES] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

typedef struct slot {
    _Alignas(64) atomic_uint_fast64_t by_class[STATUS_CLASSES];
    atomic_uint_fast64_t buckets[HTTP_METRICS_BUCKETS + 1]; /* the last: over the largest bound */
    atomic_uint_fast64_t sum_us;
} slot;

static slot slots[SLOT_COUNT];

void http_metrics_observe(int route_index, int status, int64_t elapsed_ns)
{
    assert(route_index >= -1 && route_index < ROUTER_ROUTES_MAX);
    slot *s = &slots[route_index < 0 ? SLOT_UNMATCHED : route_index];
    int cls = status >= 100 && status < 600 ? status / 100 : 0;
    int b = 0;
    while (b < HTTP_METRICS_BUCKETS && elapsed_ns > bucket_ns[b])
        b++;
    atomic_fetch_add_explicit(&s->by_class[cls], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, (uint_fast64_t)(elapsed_ns > 0 ? elapsed_ns / 1000 : 0),
                              memory_order_relaxed);
}

static uint64_t load(atomic_uint_fast64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static uint64_t slot_total(slot *s)
{
    uint64_t n = 0;
    for (int b = 0; b <= HTTP_METRICS_BUCKETS; b++)
        n += load(&s->buckets[b]);
    return n;
}

/* The label pair of slot i; route patterns hold no quote, backslash or newline. */
static void labels(buf *out, const router *rt, size_t i)
{
    if (i == SLOT_UNMATCHED) {
        buf_puts(out, "method=\"*\",route=\"unmatched\"");
        return;
    }
    buf_printf(out, "method=\"%s\",route=\"%s\"", rt->routes[i].method, rt->routes[i].pattern);
}

static bool slot_used(const router *rt, size_t i)
{
    return (i < rt->count || i == SLOT_UNMATCHED) && slot_total(&slots[i]) > 0;
}

static void write_counts(buf *out, const router *rt)
{
    buf_puts(out, "# HELP saldo_http_requests_total HTTP requests completed, by route and status class.\n"
                  "# TYPE saldo_http_requests_total counter\n");
    for (size_t i = 0; i < SLOT_COUNT; i++) {
        if (!slot_used(rt, i))
            continue;
        for (int c = 0; c < STATUS_CLASSES; c++) {
            uint64_t n = load(&slots[i].by_class[c]);
            if (!n)
                continue;
            buf_puts(out, "saldo_http_requests_total{");
            labels(out, rt, i);
            buf_printf(out, ",code=\"%s\"} %llu\n", class_label[c], (unsigned long long)n);
        }
    }
}

static void write_histograms(buf *out, const router *rt)
{
    buf_puts(out, "# HELP saldo_http_request_duration_seconds Time from the first byte of a request to its response sent, by route.\n"
                  "# TYPE saldo_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < SLOT_COUNT; i++) {
        if (!slot_used(rt, i))
            continue;
        slot *s = &slots[i];
        uint64_t cum = 0;
        for (int b = 0; b <= HTTP_METRICS_BUCKETS; b++) {
            cum += load(&s->buckets[b]);
            buf_puts(out, "saldo_http_request_duration_seconds_bucket{");
            labels(out, rt, i);
            buf_printf(out, ",le=\"%s\"} %llu\n", b < HTTP_METRICS_BUCKETS ? bucket_label[b] : "+Inf",
                       (unsigned long long)cum);
        }
        uint64_t us = load(&s->sum_us);
        buf_puts(out, "saldo_http_request_duration_seconds_sum{");
        labels(out, rt, i);
        buf_printf(out, "} %llu.%06llu\n", (unsigned long long)(us / 1000000), (unsigned long long)(us % 1000000));
        buf_puts(out, "saldo_http_request_duration_seconds_count{");
        labels(out, rt, i);
        buf_printf(out, "} %llu\n", (unsigned long long)cum);
    }
}

/* Group commit (store/db_group.h): groups resolved, their members, failed
 * groups; members / groups is the average group size. */
static void write_group_commit(buf *out)
{
    db_group_stats st = db_group_process_stats();
    buf_printf(out,
               "# HELP saldo_group_commit_groups_total Group commits resolved (one fsync each).\n"
               "# TYPE saldo_group_commit_groups_total counter\n"
               "saldo_group_commit_groups_total %" PRIu64 "\n"
               "# HELP saldo_group_commit_members_total Write transactions committed in groups.\n"
               "# TYPE saldo_group_commit_members_total counter\n"
               "saldo_group_commit_members_total %" PRIu64 "\n"
               "# HELP saldo_group_commit_failed_total Groups whose COMMIT failed.\n"
               "# TYPE saldo_group_commit_failed_total counter\n"
               "saldo_group_commit_failed_total %" PRIu64 "\n",
               st.groups, st.members, st.failed);
}

void http_metrics_write(buf *out, const router *rt)
{
    assert(rt->count <= ROUTER_ROUTES_MAX);
    write_counts(out, rt);
    write_histograms(out, rt);
    write_group_commit(out);
}
