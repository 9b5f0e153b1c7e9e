/* billing_run_bench.c - how fast the billing run renews services, measured
 * beside the bare SQL of a renewal on the same database, in the same run.
 *
 * Generates N services (default 1,000,000; ten per organization, each
 * organization with an administrator and enough balance) with auto-renew on,
 * all inside the renewal window, in a fresh SQLite file opened the way
 * production opens it (db_open + db_migrate: WAL, synchronous=FULL). Then:
 *   1. the real billing run (billing_run, as `saldo billing-run` calls it):
 *      for each service the price, the VAT (decided once per organization
 *      per batch), the ledger transfers (the gross from the wallet, the VAT
 *      to vat_payable) with their guarded balance updates, the service
 *      update, the renewal row, the final invoice (numbered; its frame of
 *      seller, buyer and evidence frozen once per organization per batch;
 *      line and totals), and the one "renewed" mail rendered from its
 *      template into the outbox, naming the invoice whose PDF it carries;
 *      batches of 1,000 services per transaction;
 *   2. the bare SQL of a renewal as the issue states it, in batches of
 *      1,000 per transaction: one invoice row (in the real documents
 *      table), two postings (one ledger transfer row), two balance updates,
 *      one service update; nothing looked up, no mail. (Until 2026-11-22 a
 *      renewal row stood where the invoice row is: the renewal before
 *      invoices existed; docs/PERFORMANCE.md has the figures of both.)
 * Prints both rates, their ratio and PASS/MISS against the target of
 * docs/PERFORMANCE.md (the run at least a third of the bare rate), and the
 * peak RSS before and after the run (getrusage), which shows the run's memory
 * does not grow with N. Fails only when something goes wrong (a renewal
 * missing, `ledger verify`), never on a slow run.
 *
 * usage: billing_run_bench DIR [--services N]
 * DIR must exist; the database is DIR/billing-bench.db, replaced on each run.
 *
 * usage: billing_run_bench URL [--services N]
 * With a database URL (sqlite:PATH or postgresql://...) instead of DIR it only
 * migrates that (empty) database and generates the services into it, for
 * runs made by `saldo billing-run` processes (bench/billing_run_pg.sh: two
 * nodes on PostgreSQL). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "core/period.h"
#include "feature/ledger/ledger.h"
#include "jobs/billing_run.h"
#include "lib/log.h"
#include "store/db.h"
#include "store/migrate.h"

enum {
    BENCH_PER_ORG = 10,          /* services per organization */
    BENCH_BATCH = 1000,          /* renewals per transaction, both cases */
    BENCH_PRICE_MINOR = 1000,    /* 10.00 EUR for 12 months */
    BENCH_SERVICES_MAX = 10000000,
    BENCH_REVENUE_ID = 2,        /* account ids fixed by the generator */
    BENCH_ADJUSTMENTS_ID = 1,
};

#define TARGET_RATIO (1.0 / 3.0)

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The process's CPU time (user + system, one thread): what other jobs on a
 * shared machine change least. */
static int64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 2030-01-01: the bench's "today"; services expire over the next 10 days. */
static int64_t bench_today(void)
{
    int64_t t;
    if (!period_parse_date("2030-01-01", &t))
        abort();
    return t;
}

static int64_t expiry_of(int64_t service_id)
{
    return bench_today() + ((service_id - 1) % BENCH_PER_ORG) * BILLING_DAY_S + BILLING_DAY_S;
}

static bool exec_n(db *d, const char *sql, int64_t n)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    if (n >= 0)
        db_bind_int64(s, 1, n);
    bool ok = db_exec1(s) == DB_DONE;
    if (!ok)
        fprintf(stderr, "bench: %s\n  %s\n", db_errmsg(d), sql);
    return ok;
}

#define SEQ "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1) "

/* Organizations 1..orgs with an English-speaking admin each; a product at
 * 10.00 EUR a year; every wallet funded from "adjustments" by a transfer
 * (three years of renewals: the run, the bare case, a margin); services
 * 1..n, ten per organization, expiring 1 to 10 days from today. */
static bool generate(db *d, int64_t n)
{
    int64_t orgs = (n + BENCH_PER_ORG - 1) / BENCH_PER_ORG;
    int64_t funds = 3 * BENCH_PER_ORG * BENCH_PRICE_MINOR;
    char price_sql[256];
    snprintf(price_sql, sizeof price_sql,
             "INSERT INTO catalog_prices (product_id, currency, period_months, price_minor) VALUES (1, 'EUR', 12, %d)",
             BENCH_PRICE_MINOR);
    char funds_sql[3][400];
    snprintf(funds_sql[0], sizeof funds_sql[0],
             SEQ "INSERT INTO ledger_accounts (id, code, org_id, currency, may_go_negative, balance_minor, created_at)"
             " SELECT i + 2, 'wallet', i, 'EUR', 0, %" PRId64 ", 0 FROM seq", funds);
    snprintf(funds_sql[1], sizeof funds_sql[1],
             SEQ "INSERT INTO ledger_transfers (id, idempotency_key, debit_account_id, credit_account_id, amount_minor,"
             " currency, kind, reference, created_at) SELECT i, 'bench-topup:' || i, 1, i + 2, %" PRId64 ", 'EUR',"
             " 'adjustment', '', 0 FROM seq", funds);
    snprintf(funds_sql[2], sizeof funds_sql[2],
             "UPDATE ledger_accounts SET balance_minor = -%" PRId64 " * CAST($1 AS BIGINT) WHERE id = 1", funds);
    char services_sql[600];
    snprintf(services_sql, sizeof services_sql,
             SEQ "INSERT INTO services (id, org_id, product_id, status, label, currency, period_months, price_minor,"
             " auto_renew, created_at, starts_at, expires_at, status_changed_at)"
             " SELECT i, (i - 1) / %d + 1, 1, 'active', 'host' || i || '.example', 'EUR', 12, %d, 1, 0, 0,"
             " %" PRId64 " + ((i - 1) %% %d) * 86400 + 86400, 0 FROM seq",
             BENCH_PER_ORG, BENCH_PRICE_MINOR, bench_today(), BENCH_PER_ORG);
    bool ok = db_begin(d, DB_TX_WRITE) == DB_OK &&
        exec_n(d, SEQ "INSERT INTO orgs (id, name, created_at) SELECT i, 'Bench ' || i, 0 FROM seq", orgs) &&
        exec_n(d, SEQ "INSERT INTO users (id, email, password_hash, name, country, language, created_at)"
                  " SELECT i, 'admin' || i || '@bench.example', '!', 'Admin', 'IT', 'en', 0 FROM seq", orgs) &&
        exec_n(d, SEQ "INSERT INTO memberships (org_id, user_id, role, billing, created_at)"
                  " SELECT i, i, 'admin', 1, 0 FROM seq", orgs) &&
        exec_n(d, "INSERT INTO catalog_categories (id, code, name_en, name_it, created_at)"
                  " VALUES (1, 'hosting', 'Hosting', 'Hosting', 0)", -1) &&
        exec_n(d, "INSERT INTO catalog_products (id, category_id, code, name_en, name_it, auto_renew, created_at,"
                  " updated_at) VALUES (1, 1, 'web', 'Web hosting', 'Hosting web', 1, 0, 0)", -1) &&
        exec_n(d, price_sql, -1) &&
        exec_n(d, "INSERT INTO ledger_accounts (id, code, currency, may_go_negative, created_at)"
                  " VALUES (1, 'adjustments', 'EUR', 1, 0), (2, 'revenue', 'EUR', 1, 0)", -1) &&
        exec_n(d, funds_sql[0], orgs) && exec_n(d, funds_sql[1], orgs) && exec_n(d, funds_sql[2], orgs) &&
        exec_n(d, services_sql, n) && db_commit(d) == DB_OK;
    if (!ok && db_in_tx(d))
        db_rollback(d);
    return ok;
}

/* ---- the bare SQL of one renewal ---- */

/* The invoice row of a bare renewal: a paid invoice in the real documents
 * table, its seller, buyer and VAT evidence written as constants (a bare
 * statement knows them), its number from the service id ("BARE" series:
 * no counter read). */
static const char bare_invoice_sql[] =
    "INSERT INTO documents (org_id, kind, status, series, year, seq, number, issue_date, paid_date, payment_method,"
    " language, currency, seller_name, seller_vat_id, seller_fiscal_code, seller_street, seller_extra,"
    " seller_postal_code, seller_city, seller_province, seller_country, buyer_name, buyer_vat_id, buyer_fiscal_code,"
    " buyer_street, buyer_extra, buyer_postal_code, buyer_city, buyer_province, buyer_country, buyer_kind,"
    " buyer_sdi_code, buyer_pec, vat_seller_country, vat_buyer_country, vat_buyer_business, vat_buyer_vat_id,"
    " vat_scheme, vat_mention, vat_decided_on, net_minor, vat_minor, gross_minor, created_at)"
    " VALUES ($1, 'invoice', 'paid', 'BARE', 2030, $2, $3, '2030-01-01', '2030-01-01', 'balance', 'en', 'EUR',"
    " 'Saldo Hosting S.r.l.', 'IT01234567890', '01234567890', 'Via Roma 1', '', '00100', 'Roma', 'RM', 'IT',"
    " 'Bench Customer', '', '', '1 Main Street', '', '10001', 'New York', '', 'US', 'person', '', '', 'IT', 'US',"
    " 0, '', 'not_subject', 'not_subject_eservice', '2030-01-01', $4, 0, $4, $5)";

/* One renewal as the issue states its bare SQL: one invoice row, two postings
 * (the one ledger transfer row, debit and credit), two balance updates, one
 * service update; nothing looked up, nothing checked, no mail. */
static bool bare_one(db *d, int64_t id, int64_t now)
{
    int64_t old = period_add(expiry_of(id), 12), next = period_add(old, 12);
    int64_t wallet = (id - 1) / BENCH_PER_ORG + 3;
    char key[48], number[48];
    snprintf(key, sizeof key, "bare:%" PRId64, id);
    snprintf(number, sizeof number, "BARE-2030-%" PRId64, id);
    db_stmt *s = db_prepare(d, bare_invoice_sql);
    db_bind_int64(s, 1, wallet - 2);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, number);
    db_bind_int64(s, 4, BENCH_PRICE_MINOR);
    db_bind_int64(s, 5, now);
    bool ok = db_exec1(s) == DB_DONE;
    s = db_prepare(d, "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE id = $2");
    db_bind_int64(s, 1, -BENCH_PRICE_MINOR);
    db_bind_int64(s, 2, wallet);
    ok = ok && db_exec1(s) == DB_DONE;
    s = db_prepare(d, "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE id = $2");
    db_bind_int64(s, 1, BENCH_PRICE_MINOR);
    db_bind_int64(s, 2, BENCH_REVENUE_ID);
    ok = ok && db_exec1(s) == DB_DONE;
    s = db_prepare(d,
        "INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor, currency,"
        " kind, reference, created_at) VALUES ($1, $2, $3, $4, 'EUR', 'renewal', '', $5)");
    db_bind_text(s, 1, key);
    db_bind_int64(s, 2, wallet);
    db_bind_int64(s, 3, BENCH_REVENUE_ID);
    db_bind_int64(s, 4, BENCH_PRICE_MINOR);
    db_bind_int64(s, 5, now);
    ok = ok && db_exec1(s) == DB_DONE;
    s = db_prepare(d, "UPDATE services SET expires_at = $1 WHERE id = $2 AND expires_at = $3");
    db_bind_int64(s, 1, next);
    db_bind_int64(s, 2, id);
    db_bind_int64(s, 3, old);
    return ok && db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

static bool bare_run(db *d, int64_t n)
{
    int64_t now = bench_today();
    for (int64_t first = 1; first <= n; first += BENCH_BATCH) {
        if (db_begin(d, DB_TX_WRITE) != DB_OK)
            return false;
        for (int64_t id = first; id < first + BENCH_BATCH && id <= n; id++)
            if (!bare_one(d, id, now)) {
                fprintf(stderr, "bench: bare renewal %" PRId64 ": %s\n", id, db_errmsg(d));
                db_rollback(d);
                return false;
            }
        if (db_commit(d) != DB_OK)
            return false;
    }
    return true;
}

static int64_t count(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    int64_t v = s && db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return v;
}

/* PostgreSQL's identity sequences past the ids the generator chose, so the
 * run's own inserts get new ones (SQLite takes the largest rowid + 1). */
static bool move_sequences(db *d)
{
    static const char *const tables[] = {"orgs", "users", "ledger_accounts", "ledger_transfers", "services",
                                         "catalog_categories", "catalog_products"};
    if (strcmp(db_driver_name(d), "postgresql"))
        return true;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))",
                 tables[i], tables[i]);
        if (db_exec_script(d, sql) != DB_OK) {
            fprintf(stderr, "bench: %s\n  %s\n", db_errmsg(d), sql);
            return false;
        }
    }
    return true;
}

/* Generates n services into the database at url (the generate-only mode). */
static int generate_into(const char *url, int64_t n)
{
    char err[512];
    db *d = db_open(url, err, sizeof err);
    if (!d || db_migrate(d, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    int64_t t0 = now_ns();
    bool ok = generate(d, n) && move_sequences(d);
    if (ok)
        printf("generated %" PRId64 " services in %.1f s into %s\n", n, (double)(now_ns() - t0) / 1e9,
               db_driver_name(d));
    db_close(d);
    return ok ? 0 : 1;
}

static int64_t parse_args(int argc, char **argv)
{
    int64_t n = 1000000;
    for (int i = 2; i < argc; i++) {
        char *end = NULL;
        if (!strcmp(argv[i], "--services") && i + 1 < argc)
            n = strtoll(argv[++i], &end, 10);
        if (!end || *end || n < 1 || n > BENCH_SERVICES_MAX) {
            fprintf(stderr, "usage: billing_run_bench DIR [--services N (1-%d)]\n", BENCH_SERVICES_MAX);
            return -1;
        }
    }
    return n;
}

/* Seconds of wall-clock and of CPU time of one case. */
typedef struct timing {
    double wall, cpu;
} timing;

static bool real_run(db *d, const app *a, const saldo_config *cfg, int64_t n, timing *t)
{
    billing_run_opts o = billing_run_opts_from(a, cfg, bench_today());
    o.batch_size = BENCH_BATCH;
    billing_counts c;
    int64_t t0 = now_ns(), c0 = cpu_ns();
    bool ok = billing_run(d, &o, &c);
    t->wall = (double)(now_ns() - t0) / 1e9;
    t->cpu = (double)(cpu_ns() - c0) / 1e9;
    if (!ok || c.renewed != n || c.failed != 0) {
        fprintf(stderr, "bench: billing run renewed %" PRId64 " of %" PRId64 " (failed %" PRId64 ")\n",
                c.renewed, n, c.failed);
        return false;
    }
    /* One invoice and one mail per renewal (renewed, carrying the invoice's PDF). */
    return count(d, "SELECT COUNT(*) FROM outbox") == n && count(d, "SELECT COUNT(*) FROM outbox_rendered") == n &&
           count(d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND renewal_id IS NOT NULL") == n;
}

static int report(db *d, int64_t n, timing real, timing bare, long rss_before, long rss_after)
{
    double real_rate = (double)n / real.wall, bare_rate = (double)n / bare.wall, ratio = real_rate / bare_rate;
    printf("billing run: %" PRId64 " services renewed in %.2f s: %.0f renewals/s (CPU %.2f s: %.0f /s of CPU)\n", n,
           real.wall, real_rate, real.cpu, (double)n / real.cpu);
    printf("bare SQL:    %" PRId64 " renewals in %.2f s: %.0f renewals/s (CPU %.2f s: %.0f /s of CPU; batches of %d)\n",
           n, bare.wall, bare_rate, bare.cpu, (double)n / bare.cpu, BENCH_BATCH);
    printf("peak RSS: %ld KiB after generating, %ld KiB after the run (+%ld KiB)\n", rss_before, rss_after,
           rss_after - rss_before);
    printf("  billing run / bare SQL = %.2f (target >= %.2f) %s; on CPU time %.2f\n", ratio, TARGET_RATIO,
           ratio >= TARGET_RATIO ? "PASS" : "MISS", bare.cpu / real.cpu);
    FILE *devnull = fopen("/dev/null", "w");
    int problems = devnull ? ledger_verify(d, devnull) : -1;
    if (devnull)
        fclose(devnull);
    if (problems != 0)
        fprintf(stderr, "bench: ledger verify found %d problems\n", problems);
    return problems == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    int64_t n = argc >= 2 ? parse_args(argc, argv) : -1;
    if (n < 0) {
        if (argc < 2)
            fprintf(stderr, "usage: billing_run_bench DIR [--services N]\n");
        return 2;
    }
    if (!strncmp(argv[1], "sqlite:", 7) || !strncmp(argv[1], "postgresql://", 13)) {
        log_set_level(LOG_WARN);
        return generate_into(argv[1], n);
    }
    char url[1100], err[512];
    snprintf(url, sizeof url, "%s/billing-bench.db", argv[1]);
    unlink(url);
    snprintf(url, sizeof url, "sqlite:%s/billing-bench.db", argv[1]);
    saldo_config cfg;
    config_defaults(&cfg);
    log_set_level(LOG_WARN);
    app a;
    db *d = db_open(url, err, sizeof err);
    if (!d || db_migrate(d, err, sizeof err) < 0 || !app_init(&a, &cfg, err, sizeof err)) {
        fprintf(stderr, "bench: %s\n", err);
        return 1;
    }
    printf("billing run benchmark: %" PRId64 " services, %d per organization, SQLite %s\n", n, BENCH_PER_ORG, url);
    int64_t t0 = now_ns();
    if (!generate(d, n))
        return 1;
    printf("generated in %.1f s\n", (double)(now_ns() - t0) / 1e9);
    fflush(stdout);
    long rss_before = peak_rss_kib();
    timing real, bare;
    if (!real_run(d, &a, &cfg, n, &real))
        return 1;
    long rss_after = peak_rss_kib();
    t0 = now_ns();
    int64_t c0 = cpu_ns();
    if (!bare_run(d, n))
        return 1;
    bare = (timing){(double)(now_ns() - t0) / 1e9, (double)(cpu_ns() - c0) / 1e9};
    int rc = report(d, n, real, bare, rss_before, rss_after);
    db_close(d);
    app_free(&a);
    return rc;
}
