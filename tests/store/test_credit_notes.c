/* test_credit_notes.c - staff credit notes on a real store: crediting an
 * invoice line by line gives back exactly its gross (the note finishing a
 * rate takes the rest of that rate's VAT), each note refers to the invoice
 * and takes the invoices' sequence, the invoice is cancelled when every line
 * is credited, a line is never credited twice, bad lines and non-invoices
 * are refused, a credit failing at any database call changes nothing, and
 * two staff crediting the whole invoice at once credit it once.
 * The ledger holds throughout. On SQLite, an invoice's credit notes are found
 * by the partial documents_credits index and their totals by their key. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "feature/invoices/credit_notes.h"
#include "feature/ledger/ledger.h"
#include "store_fixture.h"

static saldo_config cfg;
static app the_app;

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

static int64_t staff_member(db *d)
{
    db_stmt *s = db_prepare(d, "INSERT INTO staff (email, password_hash, name, created_at)"
                               " VALUES ('credit@saldo.test', 'x', 'Credit', 0) RETURNING id");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

/* An invoice of 1000 at 22% and two lines of 25 at 10%: VAT 220 + 5 (50 at 10%). */
static int64_t invoice(db *d, int64_t org)
{
    doc_line lines[3] = {
        {.description = "Hosting", .quantity = 1, .unit_net_minor = 1000, .net_minor = 1000, .rate_bp = 2200},
        {.description = "Backup", .quantity = 1, .unit_net_minor = 25, .net_minor = 25, .rate_bp = 1000},
        {.description = "Backup 2", .quantity = 1, .unit_net_minor = 25, .net_minor = 25, .rate_bp = 1000},
    };
    document doc = {.kind = DOC_INVOICE, .status = DOC_PAID, .issue_date = "2026-10-01", .language = "en",
                    .currency = "EUR", .lines = lines, .line_count = 3};
    doc_source none = {0};
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(documents_issue(d, org, &none, 1, &doc), DOCS_OK);
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(doc.gross_minor, 1275);
    return doc.id;
}

static int64_t wallet_balance(db *d, int64_t org)
{
    int64_t w, b;
    if (ledger_wallet(d, org, "EUR", false, &w) != LEDGER_OK)
        return 0;
    assert_int_equal(ledger_balance(d, w, &b), LEDGER_OK);
    return b;
}

static credit_result credit(db *d, int64_t staff, int64_t inv, const int64_t *pos, size_t n, const char *key,
                            document *note)
{
    static doc_line lines[DOC_LINES_MAX];
    credit_in in = {.invoice_id = inv, .positions = pos, .n = n, .reason = "Service not delivered",
                    .staff_id = staff, .ip = "192.0.2.1", .key = key};
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    credit_result r = invoices_credit(d, &the_app, &in, note, lines);
    if (r == CREDIT_OK)
        assert_int_equal(db_commit(d), DB_OK);
    else
        db_rollback(d);
    return r;
}

static void test_credit_line_by_line(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Credited"), staff = staff_member(f->d), inv = invoice(f->d, org);
    document note;
    assert_int_equal(credit(f->d, staff, inv, (const int64_t[]){1}, 1, "k1", &note), CREDIT_OK);
    assert_int_equal(note.kind, DOC_CREDIT_NOTE);
    assert_memory_equal(note.number, "NC-", 3);
    assert_string_equal(note.credits_number, "2026/000001");
    assert_string_equal(note.credits_date, "2026-10-01");
    assert_string_equal(note.note, "Service not delivered");
    assert_int_equal(note.vat_minor, 3); /* 2.5 half up */
    assert_int_equal(note.gross_minor, 28);
    assert_int_equal(wallet_balance(f->d, org), 28);
    assert_int_equal(credit(f->d, staff, inv, (const int64_t[]){1}, 1, "k2", &note), CREDIT_ALREADY);
    assert_int_equal(credit(f->d, staff, inv, (const int64_t[]){3}, 1, "k2", &note), CREDIT_BAD_LINE);
    assert_int_equal(credit(f->d, staff, inv, (const int64_t[]){0, 0}, 2, "k2", &note), CREDIT_BAD_LINE);
    assert_int_equal(credit(f->d, staff, inv, (const int64_t[]){2}, 1, "k2", &note), CREDIT_OK);
    assert_int_equal(note.vat_minor, 2); /* the rest of the 10% VAT: 5 - 3 */
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND status = 'paid'"), 1);
    assert_int_equal(credit(f->d, staff, inv, NULL, 0, "k3", &note), CREDIT_OK); /* what is left: line 0 */
    assert_int_equal(note.line_count, 1);
    assert_int_equal(note.gross_minor, 1220);
    assert_int_equal(wallet_balance(f->d, org), 1275); /* the invoice's gross, to the cent */
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND status = 'cancelled'"), 1);
    assert_int_equal(credit(f->d, staff, inv, NULL, 0, "k4", &note), CREDIT_NOTHING_LEFT);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.credit'"), 3);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents WHERE kind = 'credit_note'"), 3);
    assert_int_equal(fixture_value(f->d, "SELECT MAX(seq) FROM documents WHERE series = 'invoice'"), 4);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

static void test_refused_and_faults(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Faulty"), staff = staff_member(f->d), inv = invoice(f->d, org);
    document note;
    doc_line line = {.quantity = 1, .unit_net_minor = 500, .net_minor = 500};
    document receipt = {.kind = DOC_RECEIPT, .status = DOC_PAID, .issue_date = "2026-10-02", .language = "en",
                        .currency = "EUR", .lines = &line, .line_count = 1};
    doc_source none = {0};
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(documents_issue(f->d, org, &none, 1, &receipt), DOCS_OK);
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(credit(f->d, staff, receipt.id, NULL, 0, "r", &note), CREDIT_NOT_FOUND);
    assert_int_equal(credit(f->d, staff, 999999, NULL, 0, "r", &note), CREDIT_NOT_FOUND);
    int failures = 0;
    for (int n = 1; n < 200; n++) {
        int64_t docs = fixture_value(f->d, "SELECT COUNT(*) FROM documents"),
                transfers = fixture_value(f->d, "SELECT COUNT(*) FROM ledger_transfers"),
                audits = fixture_value(f->d, "SELECT COUNT(*) FROM audit_log");
        static doc_line lines[DOC_LINES_MAX];
        credit_in in = {.invoice_id = inv, .reason = "Faults", .staff_id = staff, .ip = "192.0.2.1", .key = "f"};
        db_fail_after(f->d, n);
        db_status began = db_begin(f->d, DB_TX_WRITE);
        credit_result r = began == DB_OK ? invoices_credit(f->d, &the_app, &in, &note, lines) : CREDIT_STORE_ERROR;
        db_status committed = r == CREDIT_OK ? db_commit(f->d) : DB_ERROR;
        if (committed != DB_OK)
            db_rollback(f->d);
        db_fail_after(f->d, 0);
        if (committed != DB_OK) {
            failures++;
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents"), docs);
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM ledger_transfers"), transfers);
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM audit_log"), audits);
            assert_int_equal(wallet_balance(f->d, org), 0);
            continue;
        }
        assert_int_equal(wallet_balance(f->d, org), 1275);
        assert_true(failures >= 10);
        assert_int_equal(ledger_verify(f->d, devnull()), 0);
        return;
    }
    fail_msg("never succeeded");
}

struct crediter {
    const char *url;
    int64_t invoice, staff;
    int no;
    credit_result result;
};

static void *credit_thread(void *arg)
{
    struct crediter *c = arg;
    char err[256], key[32];
    static __thread doc_line lines[DOC_LINES_MAX];
    document note;
    db *d = db_open(c->url, err, sizeof err);
    c->result = CREDIT_RESULT_COUNT;
    if (!d)
        return NULL;
    snprintf(key, sizeof key, "race-%d", c->no);
    credit_in in = {.invoice_id = c->invoice, .reason = "Race", .staff_id = c->staff, .ip = "192.0.2.1", .key = key};
    if (db_begin(d, DB_TX_WRITE) == DB_OK) {
        c->result = invoices_credit(d, &the_app, &in, &note, lines);
        if (c->result != CREDIT_OK || db_commit(d) != DB_OK)
            db_rollback(d);
    }
    db_close(d);
    return NULL;
}

static void test_concurrent_credits(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Raced"), staff = staff_member(f->d), inv = invoice(f->d, org);
    enum { THREADS = 4 };
    pthread_t th[THREADS];
    struct crediter c[THREADS];
    for (int i = 0; i < THREADS; i++) {
        c[i] = (struct crediter){.url = f->url, .invoice = inv, .staff = staff, .no = i};
        assert_int_equal(pthread_create(&th[i], NULL, credit_thread, &c[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ok += c[i].result == CREDIT_OK;
        assert_true(c[i].result == CREDIT_OK || c[i].result == CREDIT_NOTHING_LEFT);
    }
    assert_int_equal(ok, 1);
    assert_int_equal(wallet_balance(f->d, org), 1275);
    assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents WHERE kind = 'credit_note'"), 1);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
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

/* SQLite only: migration 0030 made documents_credits partial (credits_id IS
 * NOT NULL) and document_totals WITHOUT ROWID; the credited VAT still reads
 * both by index, never scanning every document. */
static void test_plan_by_credits_index_and_totals_key(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        return;
    static char sql[4096];
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", invoices_vat_credited_sql);
    db_stmt *s = db_prepare(f->d, sql);
    assert_non_null(s);
    db_bind_int64(s, 1, 1);
    db_bind_int64(s, 2, 2200);
    char plan[2048] = "";
    while (db_step(s) == DB_ROW)
        snprintf(plan + strlen(plan), sizeof plan - strlen(plan), "%s\n", db_col_text(s, 3));
    db_done(s);
    if (!strstr(plan, "SEARCH c USING COVERING INDEX documents_credits (credits_id=?)") ||
        !strstr(plan, "SEARCH t USING PRIMARY KEY (document_id=? AND rate_bp=?)"))
        fail_msg("unexpected plan:\n%s", plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credit_line_by_line, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refused_and_faults, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_credits, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_plan_by_credits_index_and_totals_key, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
