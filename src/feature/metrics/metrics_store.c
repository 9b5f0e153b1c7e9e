/* metrics_store.c - the gauges GET /metrics reads from the database at scrape
 * time. Counts by status are read straight from the outbox, payments and
 * services tables with GROUP BY (read-only, one scrape's snapshot: the
 * request's read scope); the billing run's record comes through its header.
 * Label values come from CHECK-constrained columns and are escaped anyway. */
#include "feature/metrics/metrics.h"

#include "jobs/billing_run.h"

/* A label value in the text format: \ " and newline escaped. */
static void put_label(buf *out, const char *v)
{
    for (const char *p = v ? v : ""; *p; p++) {
        if (*p == '\\' || *p == '"')
            buf_putc(out, '\\');
        if (*p == '\n')
            buf_puts(out, "\\n");
        else
            buf_putc(out, *p);
    }
}

/* One gauge family from "SELECT label1[, label2], count": label names given. */
static bool grouped(db *d, buf *out, const char *name, const char *help, const char *sql,
                    const char *label1, const char *label2)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int count_col = label2 ? 2 : 1;
        buf_printf(out, "%s{%s=\"", name, label1);
        put_label(out, db_col_text(s, 0));
        if (label2) {
            buf_printf(out, "\",%s=\"", label2);
            put_label(out, db_col_text(s, 1));
        }
        buf_printf(out, "\"} %lld\n", (long long)db_col_int64(s, count_col));
    }
    db_done(s);
    return st == DB_DONE;
}

static void billing_gauge(buf *out, const char *name, const char *help, const char *type, long long v)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", name, help, name, type, name, v);
}

static bool billing(db *d, buf *out)
{
    billing_run_summary b;
    int found = billing_run_last(d, &b);
    if (found <= 0)
        return found == 0;
    billing_gauge(out, "saldo_billing_run_last_started_timestamp_seconds",
                  "When the last finished billing run started (Unix time).", "gauge", (long long)b.started_at);
    billing_gauge(out, "saldo_billing_run_last_finished_timestamp_seconds",
                  "When the last billing run finished (Unix time).", "gauge", (long long)b.finished_at);
    billing_gauge(out, "saldo_billing_run_last_success",
                  "1 when the last billing run completed, 0 when a batch failed and it stopped.", "gauge", b.ok);
    buf_puts(out, "# HELP saldo_billing_run_last_services What the last billing run did, by result.\n"
                  "# TYPE saldo_billing_run_last_services gauge\n");
    const struct { const char *result; int64_t n; } rows[] = {
        {"renewed", b.counts.renewed}, {"renewal_failed", b.counts.failed}, {"reminded", b.counts.reminders},
        {"suspended", b.counts.suspended}, {"terminated", b.counts.terminated},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        buf_printf(out, "saldo_billing_run_last_services{result=\"%s\"} %lld\n", rows[i].result, (long long)rows[i].n);
    buf_printf(out, "# HELP saldo_billing_runs_total Billing runs finished, by outcome.\n"
                    "# TYPE saldo_billing_runs_total counter\n"
                    "saldo_billing_runs_total{outcome=\"ok\"} %lld\n"
                    "saldo_billing_runs_total{outcome=\"failed\"} %lld\n",
               (long long)b.runs_ok, (long long)b.runs_failed);
    return true;
}

bool metrics_store_write(db *d, buf *out)
{
    return grouped(d, out, "saldo_outbox_messages", "Mails in the outbox, by status (pending is the queue depth).",
                   "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status", "status", NULL) &&
           grouped(d, out, "saldo_payments", "Gateway and bank payments, by method and status.",
                   "SELECT method, status, count(*) FROM payments GROUP BY method, status ORDER BY method, status",
                   "method", "status") &&
           grouped(d, out, "saldo_services", "Services, by status.",
                   "SELECT status, count(*) FROM services GROUP BY status ORDER BY status", "status", NULL) &&
           billing(d, out);
}
