/* test_documents.c - issued documents on a real store: the numbers of each
 * series are gapless per year and formatted as docs/INVOICES.md says, credit
 * notes share the invoices' sequence, a rolled back issue gives its number
 * back, threads issuing at once on their own connections never share nor
 * skip a number; an event issues once; an issued document reads back exactly
 * as issued with its totals per rate (VAT rounded half up once per rate);
 * nothing of it can be updated or deleted except the allowed status moves;
 * an issue failing at any database call writes nothing and takes no number. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feature/invoices/documents.h"
#include "store_fixture.h"

static doc_line sample_lines[3];

/* A document of kind with n lines at the given rates, net 1000 each. */
static document sample(doc_kind kind, const char *date, size_t n, const int *rates)
{
    document doc = {.kind = kind, .status = kind == DOC_PROFORMA ? DOC_UNPAID : DOC_PAID};
    assert_true(n <= 3);
    snprintf(doc.issue_date, sizeof doc.issue_date, "%s", date);
    snprintf(doc.language, sizeof doc.language, "it");
    snprintf(doc.currency, sizeof doc.currency, "EUR");
    snprintf(doc.seller.name, sizeof doc.seller.name, "Provider S.r.l.");
    snprintf(doc.seller.vat_id, sizeof doc.seller.vat_id, "IT01234567890");
    snprintf(doc.seller.address.country, sizeof doc.seller.address.country, "IT");
    snprintf(doc.buyer.name, sizeof doc.buyer.name, "Mario Rossi");
    snprintf(doc.buyer.address.street, sizeof doc.buyer.address.street, "Via Roma 1");
    snprintf(doc.buyer.address.city, sizeof doc.buyer.address.city, "Milano");
    snprintf(doc.buyer.address.country, sizeof doc.buyer.address.country, "IT");
    snprintf(doc.vat.seller_country, sizeof doc.vat.seller_country, "IT");
    snprintf(doc.vat.buyer_country, sizeof doc.vat.buyer_country, "IT");
    snprintf(doc.vat.decided_on, sizeof doc.vat.decided_on, "%s", date);
    for (size_t i = 0; i < n; i++) {
        sample_lines[i] = (doc_line){.quantity = 1, .unit_net_minor = 1000, .net_minor = 1000, .rate_bp = rates[i]};
        snprintf(sample_lines[i].description, sizeof sample_lines[i].description, "Hosting %zu", i);
    }
    doc.lines = sample_lines;
    doc.line_count = n;
    return doc;
}

static docs_result issue(db *d, int64_t org, document *doc, const doc_source *src)
{
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    docs_result r = documents_issue(d, org, src, 1700000000, doc);
    if (r == DOCS_OK)
        assert_int_equal(db_commit(d), DB_OK);
    else
        db_rollback(d);
    return r;
}

static const int r22[] = {2200, 2200, 2200};

static void test_numbering(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Numbers");
    doc_source none = {0};
    /* sample() fills the shared lines: issue each document right after it. */
    document a = sample(DOC_INVOICE, "2026-03-01", 1, r22);
    assert_int_equal(issue(f->d, org, &a, &none), DOCS_OK);
    document b = sample(DOC_PROFORMA, "2026-03-01", 1, r22);
    assert_int_equal(issue(f->d, org, &b, &none), DOCS_OK);
    document c = sample(DOC_RECEIPT, "2026-03-01", 1, (const int[]){0});
    assert_int_equal(issue(f->d, org, &c, &none), DOCS_OK);
    doc_source credits = {.credits_id = a.id};
    document n = sample(DOC_CREDIT_NOTE, "2026-03-02", 1, r22);
    assert_int_equal(issue(f->d, org, &n, &credits), DOCS_OK);
    document e = sample(DOC_INVOICE, "2027-01-02", 1, r22);
    assert_int_equal(issue(f->d, org, &e, &none), DOCS_OK);
    assert_string_equal(a.number, "2026/000001");
    assert_string_equal(b.number, "PF-2026/000001");
    assert_string_equal(c.number, "RC-2026/000001");
    assert_string_equal(n.number, "NC-2026/000002");
    assert_string_equal(e.number, "2027/000001");
    /* A rolled back issue gives its number back. */
    document g = sample(DOC_INVOICE, "2026-03-03", 1, r22);
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(documents_issue(f->d, org, &none, 1700000000, &g), DOCS_OK);
    assert_string_equal(g.number, "2026/000003");
    db_rollback(f->d);
    g = sample(DOC_INVOICE, "2026-03-03", 1, r22);
    assert_int_equal(issue(f->d, org, &g, &none), DOCS_OK);
    assert_string_equal(g.number, "2026/000003");
    /* An event issues once: the second try writes nothing. */
    doc_source src = {.key = "payment:test-1"};
    document p = sample(DOC_RECEIPT, "2026-03-04", 1, (const int[]){0}), q = p;
    assert_int_equal(issue(f->d, org, &p, &src), DOCS_OK);
    assert_int_equal(issue(f->d, org, &q, &src), DOCS_ALREADY_ISSUED);
    bool err = false;
    assert_int_equal(documents_by_source(f->d, "payment:test-1", &err), p.id);
    assert_false(err);
    /* Lines that do not add up, or VAT on a receipt, are refused. */
    document bad = sample(DOC_INVOICE, "2026-03-05", 1, r22);
    sample_lines[0].net_minor = 999;
    assert_int_equal(issue(f->d, org, &bad, &none), DOCS_INVALID);
    bad = sample(DOC_RECEIPT, "2026-03-05", 1, r22);
    assert_int_equal(issue(f->d, org, &bad, &none), DOCS_INVALID);
    document next = sample(DOC_INVOICE, "2026-03-05", 1, r22);
    assert_int_equal(issue(f->d, org, &next, &none), DOCS_OK);
    assert_string_equal(next.number, "2026/000004");
}

enum { ISSUE_THREADS = 6, ISSUES_PER_THREAD = 25 };

struct issuer {
    const char *url;
    int64_t org;
    int thread_no;
    int committed; /* -1 on any unexpected outcome */
};

static void *issue_loop(void *arg)
{
    struct issuer *is = arg;
    char err[256];
    db *d = db_open(is->url, err, sizeof err);
    if (!d) {
        is->committed = -1;
        return NULL;
    }
    for (int i = 0; i < ISSUES_PER_THREAD && is->committed >= 0; i++) {
        document doc = {.kind = DOC_INVOICE, .status = DOC_PAID, .line_count = 1, .buyer.kind = DOC_BUYER_PERSON};
        doc_line line = {.quantity = 1, .unit_net_minor = 100 + i, .net_minor = 100 + i, .rate_bp = 2200};
        doc.lines = &line;
        snprintf(doc.issue_date, sizeof doc.issue_date, "2026-05-01");
        snprintf(doc.language, sizeof doc.language, "en");
        snprintf(doc.currency, sizeof doc.currency, "EUR");
        doc_source src = {0};
        if (db_begin(d, DB_TX_WRITE) != DB_OK || documents_issue(d, is->org, &src, 1, &doc) != DOCS_OK) {
            is->committed = -1;
            db_rollback(d);
        } else if ((is->thread_no + i) % 4 == 0) {
            db_rollback(d); /* an issue whose payment failed after the number was taken */
        } else if (db_commit(d) == DB_OK) {
            is->committed++;
        } else {
            is->committed = -1;
        }
    }
    db_close(d);
    return NULL;
}

static void test_concurrent_numbers_are_gapless(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Busy");
    pthread_t th[ISSUE_THREADS];
    struct issuer is[ISSUE_THREADS];
    for (int i = 0; i < ISSUE_THREADS; i++) {
        is[i] = (struct issuer){.url = f->url, .org = org, .thread_no = i};
        assert_int_equal(pthread_create(&th[i], NULL, issue_loop, &is[i]), 0);
    }
    int64_t total = 0;
    for (int i = 0; i < ISSUE_THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_true(is[i].committed > 0);
        total += is[i].committed;
    }
    db_stmt *s = db_prepare(f->d, "SELECT COUNT(*), COUNT(DISTINCT number), MIN(seq), MAX(seq) FROM documents"
                                  " WHERE series = 'invoice' AND year = 2026");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int64(s, 0), total);
    assert_int_equal(db_col_int64(s, 1), total);
    assert_int_equal(db_col_int64(s, 2), 1);
    assert_int_equal(db_col_int64(s, 3), total);
    db_done(s);
}

static int64_t changes_refused(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    db_status st = db_exec1(s);
    return st != DB_DONE;
}

static void test_frozen_with_totals(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Frozen");
    doc_source none = {0};
    /* 1000 at 22%, 1000 + 25 at 10%, 1000 at 0%: VAT per rate 220, 102.5 -> 103 (half up, once per rate). */
    document doc = sample(DOC_INVOICE, "2026-06-30", 3, (const int[]){2200, 1000, 0});
    sample_lines[2].rate_bp = 1000;
    sample_lines[2].quantity = 1;
    sample_lines[2].unit_net_minor = 25;
    sample_lines[2].net_minor = 25;
    doc_line third = {.quantity = 2, .unit_net_minor = 500, .discount_minor = 0, .net_minor = 1000, .rate_bp = 0};
    doc_line lines[4] = {sample_lines[0], sample_lines[1], sample_lines[2], third};
    doc.lines = lines;
    doc.line_count = 4;
    doc.vat.scheme = VAT_SCHEME_DOMESTIC;
    snprintf(doc.buyer.vat_id, sizeof doc.buyer.vat_id, "IT12345678903");
    doc.buyer.kind = DOC_BUYER_COMPANY;
    assert_int_equal(issue(f->d, org, &doc, &none), DOCS_OK);
    assert_int_equal(doc.total_count, 3);
    assert_int_equal(doc.net_minor, 3025);
    assert_int_equal(doc.vat_minor, 220 + 103);
    assert_int_equal(doc.gross_minor, 3025 + 323);

    document back;
    doc_line back_lines[DOC_LINES_MAX];
    bool err = false;
    assert_false(documents_get(f->d, org + 1000, doc.id, &back, back_lines, DOC_LINES_MAX, &err));
    assert_true(documents_get(f->d, org, doc.id, &back, back_lines, DOC_LINES_MAX, &err));
    assert_false(err);
    assert_string_equal(back.number, doc.number);
    assert_int_equal(back.kind, DOC_INVOICE);
    assert_int_equal(back.status, DOC_PAID);
    assert_int_equal(back.buyer.kind, DOC_BUYER_COMPANY);
    assert_string_equal(back.buyer.vat_id, "IT12345678903");
    assert_string_equal(back.buyer.address.city, "Milano");
    assert_string_equal(back.vat.decided_on, "2026-06-30");
    assert_int_equal(back.line_count, 4);
    assert_int_equal(back.lines[3].quantity, 2);
    assert_int_equal(back.total_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(back.totals[i].rate_bp, doc.totals[i].rate_bp);
        assert_int_equal(back.totals[i].net_minor, doc.totals[i].net_minor);
        assert_int_equal(back.totals[i].vat_minor, doc.totals[i].vat_minor);
    }
    assert_int_equal(back.totals[0].rate_bp, 2200);
    assert_int_equal(back.totals[1].vat_minor, 103);
    assert_int_equal(back.gross_minor, doc.gross_minor);
    assert_true(documents_get(f->d, 0, doc.id, &back, back_lines, DOC_LINES_MAX, &err));

    /* Nothing issued changes: each refused statement runs in its own transaction. */
    assert_true(changes_refused(f->d, "UPDATE documents SET buyer_name = 'Other' WHERE kind = 'invoice'"));
    assert_true(changes_refused(f->d, "UPDATE documents SET gross_minor = gross_minor WHERE kind = 'invoice'"));
    assert_true(changes_refused(f->d, "UPDATE documents SET status = 'unpaid' WHERE kind = 'invoice'"));
    assert_true(changes_refused(f->d, "UPDATE document_lines SET net_minor = 1"));
    assert_true(changes_refused(f->d, "UPDATE document_totals SET vat_minor = 1"));
    assert_true(changes_refused(f->d, "DELETE FROM document_lines"));
    assert_true(changes_refused(f->d, "DELETE FROM document_totals"));
    assert_true(changes_refused(f->d, "DELETE FROM documents"));
    assert_true(documents_get(f->d, org, doc.id, &back, back_lines, DOC_LINES_MAX, &err));
    assert_string_equal(back.buyer.name, "Mario Rossi");
    assert_int_equal(back.lines[0].net_minor, 1000);

    /* The allowed moves: a pro-forma paid (once), an invoice cancelled. */
    document pf = sample(DOC_PROFORMA, "2026-07-01", 1, r22);
    assert_int_equal(issue(f->d, org, &pf, &none), DOCS_OK);
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_true(documents_set_status(f->d, pf.id, DOC_PAID, "2026-07-02", "bank_transfer"));
    assert_false(documents_set_status(f->d, pf.id, DOC_CANCELLED, NULL, NULL));
    assert_false(documents_set_status(f->d, pf.id, DOC_PAID, "2026-07-03", "card"));
    assert_true(documents_set_status(f->d, doc.id, DOC_CANCELLED, NULL, NULL));
    assert_false(documents_set_status(f->d, doc.id, DOC_CANCELLED, NULL, NULL));
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_true(documents_get(f->d, org, pf.id, &back, back_lines, DOC_LINES_MAX, &err));
    assert_int_equal(back.status, DOC_PAID);
    assert_string_equal(back.paid_date, "2026-07-02");
    assert_string_equal(back.payment_method, "bank_transfer");
    assert_true(changes_refused(f->d, "UPDATE documents SET status = 'cancelled' WHERE kind = 'proforma'"));
    assert_true(documents_get(f->d, org, doc.id, &back, back_lines, DOC_LINES_MAX, &err));
    assert_int_equal(back.status, DOC_CANCELLED);
}

/* Each database call of an issue failing in turn: nothing is written, and
 * the number the failed attempts took is the one the issue finally gets. */
static void test_issue_with_faults(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Faults");
    doc_source none = {0}, keyed = {.key = "payment:faults"};
    document first = sample(DOC_INVOICE, "2026-09-01", 2, r22);
    assert_int_equal(issue(f->d, org, &first, &none), DOCS_OK);
    int failures = 0;
    for (int n = 1; n < 60; n++) {
        int64_t docs = fixture_value(f->d, "SELECT COUNT(*) FROM documents"),
                lines = fixture_value(f->d, "SELECT COUNT(*) FROM document_lines"),
                totals = fixture_value(f->d, "SELECT COUNT(*) FROM document_totals");
        document doc = sample(DOC_INVOICE, "2026-09-02", 2, (const int[]){2200, 1000});
        db_fail_after(f->d, n);
        db_status began = db_begin(f->d, DB_TX_WRITE);
        docs_result r = began == DB_OK ? documents_issue(f->d, org, &keyed, 1700000000, &doc) : DOCS_STORE_ERROR;
        db_status committed = r == DOCS_OK ? db_commit(f->d) : DB_ERROR;
        if (committed != DB_OK)
            db_rollback(f->d);
        db_fail_after(f->d, 0);
        if (committed != DB_OK) {
            failures++;
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM documents"), docs);
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM document_lines"), lines);
            assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM document_totals"), totals);
            continue;
        }
        assert_string_equal(doc.number, "2026/000002");
        assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM document_lines"), lines + 2);
        assert_int_equal(fixture_value(f->d, "SELECT COUNT(*) FROM document_totals"), totals + 2);
        assert_int_equal(fixture_value(f->d, "SELECT last_value FROM document_counters WHERE series = 'invoice'"), 2);
        assert_true(failures >= 6); /* begin, the key, the counter twice, the row, the lines, the totals */
        return;
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_numbering, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_numbers_are_gapless, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_frozen_with_totals, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_issue_with_faults, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
