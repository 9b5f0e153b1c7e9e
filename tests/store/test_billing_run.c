/* test_billing_run.c - renewals and the billing run on a real store: a run
 * twice for the same date renews and charges once; two runs at once (two
 * connections, two threads) too; small batches cover every service; a balance
 * that does not cover a renewal renews nothing and notifies once; reminders,
 * suspension and termination each on their day; retired products renew; the
 * result of service_renew for what cannot be renewed, with nothing written;
 * the VAT: the gross leaves the wallet, revenue keeps the net and
 * vat_payable the VAT, and the run issues one invoice per renewal;
 * invoices dated by the day in Rome (New Year's night);
 * and fault injection: a renewal, and a billing run, with each of their
 * database calls failing in turn, leave everything whole or nothing. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "core/period.h"
#include "feature/ledger/ledger.h"
#include "feature/services/service_renew.h"
#include "jobs/billing_run.h"
#include "store_fixture.h"

#define DAY INT64_C(86400)

static saldo_config cfg;
static app the_app;

/* 2027-03-01 00:00 UTC: the tests' "today". */
static int64_t today(void)
{
    int64_t t;
    assert_true(period_parse_date("2027-03-01", &t));
    return t;
}

static int64_t insert1(db *d, const char *sql, const int64_t *v, int n, const char *text)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    int first = text ? 2 : 1; /* text, when given, is $1 */
    if (text)
        db_bind_text(s, 1, text);
    for (int i = 0; i < n; i++)
        db_bind_int64(s, first + i, v[i]);
    int64_t id = 0;
    db_status st = db_step(s);
    assert_true(st == DB_ROW || st == DB_DONE);
    if (st == DB_ROW)
        id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

/* An organization whose admin reads English, with a billing address. */
static int64_t org_with_admin(db *d, const char *email)
{
    int64_t org = fixture_org(d, email);
    int64_t user = insert1(d,
        "INSERT INTO users (email, password_hash, name, country, language, created_at)"
        " VALUES ($1, 'x', 'Admin', 'IT', 'en', 0) RETURNING id", NULL, 0, email);
    int64_t v[] = {org, user};
    insert1(d, "INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES ($1, $2, 'admin', 1, 0)",
            v, 2, NULL);
    return org;
}

/* A product renewing for 12 months at 10.00 EUR (24 months 18.00). */
static int64_t product(db *d, const char *code, bool retired)
{
    int64_t cat = insert1(d,
        "INSERT INTO catalog_categories (code, name_en, name_it, created_at) VALUES ($1, 'Cat', 'Cat', 0)"
        " ON CONFLICT (code) DO UPDATE SET position = 0 RETURNING id", NULL, 0, "cat");
    int64_t v[] = {cat, retired ? 1 : 0};
    int64_t p = insert1(d,
        "INSERT INTO catalog_products (code, category_id, name_en, name_it, auto_renew, created_at, updated_at,"
        " retired_at) VALUES ($1, $2, 'Hosting', 'Hosting IT', 1, 0, 0, CASE WHEN $3 = 1 THEN 5 ELSE NULL END)"
        " RETURNING id", v, 2, code);
    int64_t pv[] = {p};
    insert1(d, "INSERT INTO catalog_prices (product_id, currency, period_months, price_minor) VALUES ($1, 'EUR', 12, 1000)",
            pv, 1, NULL);
    insert1(d, "INSERT INTO catalog_prices (product_id, currency, period_months, price_minor) VALUES ($1, 'EUR', 24, 1800)",
            pv, 1, NULL);
    return p;
}

static int64_t service_at(db *d, int64_t org, int64_t prod, int64_t expires, bool auto_renew, const char *status)
{
    int64_t v[] = {org, prod, auto_renew, expires - 365 * DAY, expires};
    return insert1(d,
        "INSERT INTO services (status, org_id, product_id, label, currency, period_months, price_minor, auto_renew,"
        " created_at, starts_at, expires_at, status_changed_at)"
        " VALUES ($1, $2, $3, 'example.org', 'EUR', 12, 1000, $4, $5, $5, $6, $5) RETURNING id", v, 5, status);
}

static int64_t wallet_with(db *d, int64_t org, int64_t minor)
{
    int64_t w, adj, id;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_wallet(d, org, "EUR", true, &w), LEDGER_OK);
    assert_int_equal(ledger_system_account(d, "adjustments", "EUR", &adj), LEDGER_OK);
    static int topups;
    char key[64];
    snprintf(key, sizeof key, "topup:%d", ++topups);
    ledger_transfer t = {.debit_account_id = adj, .credit_account_id = w, .amount_minor = minor, .currency = "EUR",
                         .kind = "adjustment", .reference = "", .idempotency_key = key};
    assert_int_equal(ledger_post(d, &t, &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return w;
}

/* The billing run's renewal transfers: one from the wallet per renewal, and
 * the VAT passed to vat_payable per batch, which must add up to the VAT of
 * the renewals' invoices. Returns the wallet ones. */
static int64_t renewal_transfers(db *d)
{
    assert_int_equal(fixture_value(d, "SELECT COALESCE(SUM(t.amount_minor), 0) FROM ledger_transfers t"
                              " JOIN ledger_accounts a ON a.id = t.credit_account_id"
                              " WHERE t.kind = 'renewal' AND a.code = 'vat_payable'"),
                     fixture_value(d, "SELECT COALESCE(SUM(vat_minor), 0) FROM documents WHERE renewal_id IS NOT NULL"));
    return fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id"
                    " WHERE t.kind = 'renewal' AND a.code = 'wallet'");
}

static int64_t balance(db *d, int64_t account)
{
    int64_t b;
    assert_int_equal(ledger_balance(d, account, &b), LEDGER_OK);
    return b;
}

static billing_counts run_at(db *d, int64_t at, int batch)
{
    billing_run_opts o = billing_run_opts_from(&the_app, &cfg, at);
    o.batch_size = batch;
    billing_counts n;
    assert_true(billing_run(d, &o, &n));
    return n;
}

static service get(db *d, int64_t id)
{
    service s;
    assert_int_equal(service_get(d, 0, id, &s), 1);
    return s;
}

static void test_twice_same_date(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t w = wallet_with(d, org, 10000);
    int64_t e = today() + 10 * DAY, ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = service_at(d, org, prod, e, true, "active");
    billing_counts n = run_at(d, today(), 0);
    assert_int_equal(n.renewed, 3);
    n = run_at(d, today(), 0);
    assert_int_equal(n.renewed + n.failed + n.reminders, 0);
    /* 10.00 net + 22% VAT (a consumer in the provider's country: Italy) each. */
    assert_int_equal(balance(d, w), 10000 - 3 * 1220);
    assert_int_equal(renewal_transfers(d), 3);
    /* The VAT of the batch passed to vat_payable in one transfer. */
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'renewal' AND amount_minor = 660"
                              " AND idempotency_key LIKE 'renewal-vat:%:EUR'"), 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND gross_minor = 1220"
                              " AND vat_minor = 220 AND status = 'paid'"), 3);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM service_renewals WHERE source = 'auto'"), 3);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Renewed: Hosting example.org%'"), 3);
    /* The one mail of each renewal names its invoice and carries its PDF. */
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox"), 3);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox o JOIN outbox_rendered r ON r.outbox_id = o.id"
                              " JOIN documents doc ON doc.id = r.ref WHERE r.kind = 'document_pdf'"
                              " AND o.body_text LIKE '%Your invoice ' || doc.number || ' is attached%'"), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(get(d, ids[i]).expires_at, period_add(e, 12));
    assert_int_equal(ledger_verify(d, stderr), 0);
}

/* New Year's night in Italy: at 23:30 UTC on 31 December it is already 1
 * January in Rome, and Italian law dates an invoice by the day it is issued
 * there: the renewal invoice is dated 2028-01-01, numbered in the 2028 series,
 * and its period starts on the day the service expired, in Rome. */
static void test_new_year_in_rome(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "newyear@example.test"), prod = product(d, "host-newyear", false);
    wallet_with(d, org, 10000);
    int64_t at;
    assert_true(period_parse_date("2027-12-31", &at));
    at += 23 * 3600 + 30 * 60;
    service_at(d, org, prod, at + 10 * DAY, true, "active"); /* 2028-01-10 23:30 UTC */
    assert_int_equal(run_at(d, at, 0).renewed, 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND year = 2028"
                                      " AND issue_date = '2028-01-01' AND paid_date = '2028-01-01'"
                                      " AND number LIKE '%2028%'"), 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM document_lines l JOIN documents doc ON doc.id = l.document_id"
                                      " WHERE doc.year = 2028 AND l.period_start = '2028-01-11'"
                                      " AND l.period_end = '2029-01-11'"), 1);
    assert_int_equal(ledger_verify(d, stderr), 0);
}

typedef struct racer {
    const char *url;
    billing_counts n;
    bool ok;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    char err[256];
    db *d = db_open(r->url, err, sizeof err);
    if (!d)
        return NULL;
    billing_run_opts o = billing_run_opts_from(&the_app, &cfg, today());
    o.batch_size = 5;
    r->ok = billing_run(d, &o, &r->n);
    db_close(d);
    return NULL;
}

static void test_two_runs_at_once(void **state)
{
    store_fixture *f = *state;
    db *d = f->d;
    int64_t prod = product(d, "host", false);
    for (int o = 0; o < 10; o++) {
        char email[64];
        snprintf(email, sizeof email, "o%d@example.test", o);
        int64_t org = org_with_admin(d, email);
        wallet_with(d, org, o % 2 ? 100000 : 1500); /* even ones afford one renewal */
        for (int i = 0; i < 4; i++)
            service_at(d, org, prod, today() + (i + 1) * DAY, true, "active");
    }
    racer a = {.url = f->url}, b = {.url = f->url};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_true(a.ok && b.ok);
    /* 5 rich orgs x 4 + 5 poor orgs x 1; 3 failures in each poor org. */
    assert_int_equal(a.n.renewed + b.n.renewed, 25);
    assert_int_equal(a.n.failed + b.n.failed, 15);
    assert_int_equal(renewal_transfers(d), 25);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice'"), 25);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM billing_steps WHERE step = 'renewal_failed'"), 15);
    /* One mail per renewal (it carries the invoice) and per failure. */
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox"), 25 + 15);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox_rendered r JOIN documents doc ON doc.id = r.ref"
                              " WHERE doc.renewal_id IS NOT NULL"), 25);
    assert_int_equal(ledger_verify(d, stderr), 0);
}

static void test_batches(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    wallet_with(d, org, 100000);
    for (int i = 0; i < 23; i++)
        service_at(d, org, prod, today() + (i % 14) * DAY, true, "active");
    service_at(d, org, prod, today() + 20 * DAY, true, "active");        /* outside the window */
    service_at(d, org, prod, today() + 5 * DAY, true, "pending");        /* not running */
    billing_counts n = run_at(d, today(), 7);
    assert_int_equal(n.renewed, 23);
    assert_int_equal(n.batches, 4);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM service_renewals"), 23);
}

static void test_insufficient_funds(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t w = wallet_with(d, org, 1500);
    int64_t a = service_at(d, org, prod, today() + 3 * DAY, true, "active");
    int64_t b = service_at(d, org, prod, today() + 4 * DAY, true, "active");
    billing_counts n = run_at(d, today(), 0);
    assert_int_equal(n.renewed, 1);
    assert_int_equal(n.failed, 1);
    assert_int_equal(balance(d, w), 1500 - 1220);
    assert_int_equal(get(d, a).expires_at, period_add(today() + 3 * DAY, 12));
    assert_int_equal(get(d, b).expires_at, today() + 4 * DAY); /* untouched */
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Renewal failed: top up%'"
                              " AND body_text LIKE '%9.40 short%'"), 1);
    n = run_at(d, today() + DAY, 0); /* still short: no second notice for this expiry */
    assert_int_equal(n.renewed + n.failed, 0);
    /* A top-up, and the next run renews it. */
    wallet_with(d, org, 1000);
    n = run_at(d, today() + 2 * DAY, 0);
    assert_int_equal(n.renewed, 1);
    assert_int_equal(balance(d, w), 280 + 1000 - 1220);
    assert_int_equal(ledger_verify(d, stderr), 0);
}

static int64_t status_of(db *d, int64_t id, service_status want)
{
    service s = get(d, id);
    assert_int_equal(s.status, want);
    return s.expires_at;
}

static void test_steps_by_day(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t e = today() + 40 * DAY;
    int64_t id = service_at(d, org, prod, e, false, "active");
    static const struct { int64_t day; int reminders, suspended, terminated; } plan[] = {
        {-31, 0, 0, 0}, {-30, 1, 0, 0}, {-29, 0, 0, 0}, {-8, 0, 0, 0}, {-7, 1, 0, 0}, {-7, 0, 0, 0},
        {-1, 1, 0, 0},  {0, 0, 0, 0},   {6, 0, 0, 0},  {7, 0, 1, 0},   {8, 0, 0, 0},  {29, 0, 0, 0},
        {30, 0, 0, 1},  {31, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
        billing_counts n = run_at(d, e + plan[i].day * DAY, 0);
        assert_int_equal(n.reminders, plan[i].reminders);
        assert_int_equal(n.suspended, plan[i].suspended);
        assert_int_equal(n.terminated, plan[i].terminated);
        assert_int_equal(n.renewed, 0);
        if (plan[i].day == 7)
            status_of(d, id, SERVICE_SUSPENDED);
    }
    status_of(d, id, SERVICE_TERMINATED);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Hosting example.org expires on%'"), 3);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Suspended: %'"), 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Terminated: %'"), 1);
}

/* An auto-renewal the balance never covers: one failure notice (standing for
 * that day's reminder), then the reminders inside the window, suspension
 * after the grace period, and the renewal once the organization tops up. */
static void test_failed_auto_renewal_by_day(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t e = today() + 40 * DAY;
    int64_t id = service_at(d, org, prod, e, true, "active");
    static const struct { int64_t day; int failed, reminders, suspended; } plan[] = {
        {-20, 0, 0, 0}, {-14, 1, 0, 0}, {-14, 0, 0, 0}, {-8, 0, 0, 0}, {-7, 0, 1, 0},
        {-1, 0, 1, 0},  {0, 0, 0, 0},   {7, 0, 0, 1},   {8, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
        billing_counts n = run_at(d, e + plan[i].day * DAY, 0);
        assert_int_equal(n.failed, plan[i].failed);
        assert_int_equal(n.reminders, plan[i].reminders);
        assert_int_equal(n.suspended, plan[i].suspended);
        assert_int_equal(n.renewed, 0);
    }
    status_of(d, id, SERVICE_SUSPENDED);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Renewal failed: top up%'"), 1);
    wallet_with(d, org, 1220);
    billing_counts n = run_at(d, e + 9 * DAY, 0);
    assert_int_equal(n.renewed, 1);
    assert_int_equal(status_of(d, id, SERVICE_ACTIVE), period_add(e, 12));
}

/* A suspended auto-renew service whose organization tops up renews and is
 * active again; a retired product's service renews at its price. */
static void test_suspended_and_retired(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "old", true);
    int64_t e = today() - 10 * DAY;
    int64_t id = service_at(d, org, prod, e, true, "suspended");
    int64_t w = wallet_with(d, org, 1220);
    billing_counts n = run_at(d, today(), 0);
    assert_int_equal(n.renewed, 1);
    assert_int_equal(status_of(d, id, SERVICE_ACTIVE), period_add(e, 12));
    assert_int_equal(balance(d, w), 0);
}

static service_renew_result renew_vat(db *d, int64_t id, int months, int64_t vat, service_renewal *out)
{
    service s = get(d, id);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    service_renew_result r = service_renew(d, NULL, &s, months, vat, SERVICE_RENEW_MANUAL, today(), out);
    assert_int_equal(db_commit(d), DB_OK);
    return r;
}

static service_renew_result renew(db *d, int64_t id, int months, service_renewal *out)
{
    service s = get(d, id);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    service_renew_result r = service_renew(d, NULL, &s, months, 0, SERVICE_RENEW_MANUAL, today(), out);
    assert_int_equal(db_commit(d), DB_OK);
    return r;
}

static void test_service_renew(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t w = wallet_with(d, org, 2000);
    int64_t e = today() + 3 * DAY;
    int64_t id = service_at(d, org, prod, e, false, "active");
    int64_t pending = service_at(d, org, prod, e, false, "pending");
    service_renewal r;
    assert_int_equal(renew(d, id, 36, &r), SERVICE_RENEW_NO_PRICE);
    assert_int_equal(renew(d, id, 5, &r), SERVICE_RENEW_NO_PRICE);
    assert_int_equal(renew(d, pending, 12, &r), SERVICE_RENEW_NOT_RENEWABLE);
    assert_int_equal(renew(d, id, 24, &r), SERVICE_RENEW_OK);
    assert_int_equal(r.amount_minor, 1800);
    assert_int_equal(r.new_expires_at, period_add(e, 24));
    assert_true(r.transfer_id > 0 && r.id > 0);
    /* 200 left: the next renewal is 800 short and writes nothing. */
    assert_int_equal(renew(d, id, 12, &r), SERVICE_RENEW_INSUFFICIENT_FUNDS);
    assert_int_equal(r.shortfall_minor, 800);
    assert_int_equal(status_of(d, id, SERVICE_ACTIVE), period_add(e, 24));
    assert_int_equal(balance(d, w), 200);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM service_renewals WHERE source = 'manual'"), 1);
    /* The same expiry renewed from a stale read: a conflict, nothing charged. */
    service stale = get(d, id);
    stale.expires_at = e;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(service_renew(d, NULL, &stale, 12, 0, SERVICE_RENEW_MANUAL, today(), &r), SERVICE_RENEW_CONFLICT);
    db_rollback(d);
    assert_int_equal(ledger_verify(d, stderr), 0);
}

static int64_t system_balance(db *d, const char *code)
{
    int64_t id;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_system_account(d, code, "EUR", &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return balance(d, id);
}

/* The VAT the caller gives: the wallet pays the gross in one transfer to
 * revenue, which passes the VAT to vat_payable; short of the gross (even if
 * the net is covered) nothing is written. */
static void test_service_renew_vat(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t w = wallet_with(d, org, 1219);
    int64_t e = today() + 3 * DAY, id = service_at(d, org, prod, e, false, "active");
    service_renewal r;
    assert_int_equal(renew_vat(d, id, 12, 220, &r), SERVICE_RENEW_INSUFFICIENT_FUNDS);
    assert_int_equal(r.shortfall_minor, 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'renewal'"), 0);
    wallet_with(d, org, 1);
    assert_int_equal(renew_vat(d, id, 12, 220, &r), SERVICE_RENEW_OK);
    assert_int_equal(r.amount_minor, 1000);
    assert_int_equal(r.vat_minor, 220);
    assert_int_equal(r.gross_minor, 1220);
    assert_true(r.transfer_id > 0 && r.vat_transfer_id > 0);
    assert_int_equal(balance(d, w), 0);
    assert_int_equal(system_balance(d, "revenue"), 1000);
    assert_int_equal(system_balance(d, "vat_payable"), 220);
    assert_int_equal(ledger_verify(d, stderr), 0);
}

/* service_renew with its n-th database call failing, for every n: each
 * attempt renews whole (expiry, transfer, renewal row, balance) or not at all. */
static void test_renew_faults(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    int64_t w = wallet_with(d, org, 1000000);
    int64_t e = today() + 3 * DAY, id = service_at(d, org, prod, e, false, "active");
    int renewed = 0, failures = 0;
    for (int n = 1; n <= 40; n++) {
        service s = get(d, id);
        service_renewal r;
        assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
        db_fail_after(d, n);
        service_renew_result res = service_renew(d, NULL, &s, 12, 220, SERVICE_RENEW_MANUAL, today(), &r);
        db_fail_after(d, 0);
        if (res == SERVICE_RENEW_OK && db_commit(d) == DB_OK) {
            renewed++;
        } else {
            assert_int_equal(res, SERVICE_RENEW_STORE_ERROR);
            db_rollback(d);
            failures++;
        }
        int64_t want = e;
        for (int i = 0; i < renewed; i++)
            want = period_add(want, 12);
        assert_int_equal(get(d, id).expires_at, want);
        assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM service_renewals"), renewed);
        assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'renewal'"), 2 * renewed);
        assert_int_equal(balance(d, w), 1000000 - 1220 * renewed);
    }
    assert_true(failures >= 5 && renewed >= 1); /* every call of a renewal was made to fail once */
    assert_int_equal(ledger_verify(d, stderr), 0);
}

/* A billing run with its n-th database call failing, for every n up to a
 * whole run's count: the failed batch is retried, and in the end every
 * service is renewed, charged and mailed exactly once. */
static void test_run_faults(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = org_with_admin(d, "a@example.test"), prod = product(d, "host", false);
    wallet_with(d, org, 10000000);
    int services = 0;
    int64_t mails = 0;
    for (int n = 1; n <= 60; n++) {
        for (int i = 0; i < 3; i++, services++)
            service_at(d, org, prod, today() + (i + 1) * DAY, true, "active");
        billing_run_opts o = billing_run_opts_from(&the_app, &cfg, today());
        o.batch_size = 2;
        billing_counts c;
        db_fail_after(d, n);
        bool ok = billing_run(d, &o, &c);
        db_fail_after(d, 0);
        if (!ok)
            assert_true(billing_run(d, &o, &c));
        assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM service_renewals"), services);
        assert_int_equal(renewal_transfers(d), services);
        assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice'"), services);
        assert_int_equal(fixture_value(d, "SELECT COUNT(DISTINCT service_id) FROM service_renewals"), services);
        /* Every renewal mailed once: a failed read of the address fails its
         * batch, which is retried, instead of passing for "no address". */
        mails = fixture_value(d, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Renewed:%'");
        assert_int_equal(mails, services);
    }
    assert_int_equal(ledger_verify(d, stderr), 0);
}

static int group_setup(void **state)
{
    (void)state;
    config_defaults(&cfg);
    char err[256];
    return app_init(&the_app, &cfg, err, sizeof err) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    app_free(&the_app);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_twice_same_date, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_new_year_in_rome, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_two_runs_at_once, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_batches, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_insufficient_funds, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_steps_by_day, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_suspended_and_retired, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_failed_auto_renewal_by_day, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_service_renew, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_service_renew_vat, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_renew_faults, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_run_faults, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
