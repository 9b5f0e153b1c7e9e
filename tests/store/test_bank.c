/* test_bank.c - statement import on a real store: a statement crediting two
 * organizations (one through another's payment), queueing the rest, imported
 * once for every database call it makes with that call failing: each attempt
 * either changes nothing or imports everything, and a second import credits
 * nothing twice. Staff assignment likewise; the ledger holds throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "feature/bank/bank.h"
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

typedef struct snapshot {
    int64_t entries, credited, transfers, mails, audits, staff_audits, balance, receipts;
} snapshot;

static snapshot take(db *d)
{
    return (snapshot){
        fixture_value(d, "SELECT COUNT(*) FROM bank_entries"),
        fixture_value(d, "SELECT COUNT(*) FROM bank_entries WHERE status = 'credited'"),
        fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers"), fixture_value(d, "SELECT COUNT(*) FROM outbox"),
        fixture_value(d, "SELECT COUNT(*) FROM org_audit WHERE action = 'payment.received'"),
        fixture_value(d, "SELECT COUNT(*) FROM audit_log"),
        fixture_value(d, "SELECT COALESCE(SUM(balance_minor), 0) FROM ledger_accounts WHERE code = 'wallet'"),
        fixture_value(d, "SELECT COUNT(*) FROM documents WHERE kind = 'receipt'"),
    };
}

static void same(snapshot a, snapshot b)
{
    assert_memory_equal(&a, &b, sizeof a);
}

/* An organization with an English-reading admin (who gets the mails). */
static int64_t org_with_admin(db *d, const char *email)
{
    int64_t org = fixture_org(d, email);
    db_stmt *s = db_prepare(d, "INSERT INTO users (email, password_hash, name, country, language, created_at)"
                               " VALUES ($1, 'x', 'Admin', 'IT', 'en', 0) RETURNING id");
    db_bind_text(s, 1, email);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t user = db_col_int64(s, 0);
    db_done(s);
    s = db_prepare(d, "INSERT INTO memberships (org_id, user_id, role, billing, created_at) VALUES ($1, $2, 'admin', 1, 0)");
    db_bind_int64(s, 1, org);
    db_bind_int64(s, 2, user);
    assert_int_equal(db_exec1(s), DB_DONE);
    return org;
}

static int64_t staff_member(db *d)
{
    db_stmt *s = db_prepare(d, "INSERT INTO staff (email, password_hash, name, created_at)"
                               " VALUES ('ops@saldo.test', 'x', 'Ops', 0) RETURNING id");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

/* A statement: 12.34 EUR for a, 5.00 EUR naming b, 7.00 without a reference, a debit. */
static camt_doc *statement(int64_t a, int64_t b)
{
    char ra[BANK_REF_SIZE], rb[BANK_REF_SIZE], xml[4096];
    bank_ref_make(a, ra);
    bank_ref_make(b, rb);
    snprintf(xml, sizeof xml,
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>S1</Id>"
        "<Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id></Acct>"
        "<Ntry><Amt Ccy=\"EUR\">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R1</AcctSvcrRef>"
        "<NtryDtls><TxDtls><RmtInf><Ustrd>%s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        "<Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R2</AcctSvcrRef>"
        "<NtryDtls><TxDtls><RmtInf><Ustrd>for a friend %s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        "<Ntry><Amt Ccy=\"EUR\">7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R3</AcctSvcrRef></Ntry>"
        "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>R4</AcctSvcrRef></Ntry>"
        "</Stmt></BkToCstmrStmt></Document>", ra, rb);
    camt_doc *doc = calloc(1, sizeof *doc);
    char err[256];
    assert_non_null(doc);
    assert_true(camt053_parse(xml, strlen(xml), doc, err, sizeof err));
    return doc;
}

static void test_import_faults(void **state)
{
    store_fixture *f = *state;
    db *d = f->d;
    int64_t a = org_with_admin(d, "a@example.test"), b = org_with_admin(d, "b@example.test");
    camt_doc *doc = statement(a, b);
    snapshot before = take(d);
    bank_import_counts n;
    int k = 1;
    for (;; k++) {
        db_fail_after(d, k);
        bool ok = bank_import(d, &the_app, doc, 0, NULL, &n);
        db_fail_after(d, 0);
        if (ok)
            break;
        same(take(d), before); /* a failed import leaves nothing */
        assert_int_equal(ledger_verify(d, devnull()), 0);
        assert_true(k < 500);
    }
    assert_true(k > 10);
    assert_int_equal(n.entries, 4);
    assert_int_equal(n.credited, 2);
    assert_int_equal(n.unmatched, 2);
    snapshot done = take(d);
    assert_int_equal(done.entries, 4);
    assert_int_equal(done.credited, 2);
    assert_int_equal(done.mails, before.mails + 4); /* per credit: "we received it" and the receipt */
    assert_int_equal(done.receipts, before.receipts + 2);
    assert_int_equal(done.audits, 2);
    assert_int_equal(done.balance, 1734);
    /* Again: every entry is a duplicate, nothing moves. */
    assert_true(bank_import(d, &the_app, doc, 0, NULL, &n));
    assert_int_equal(n.duplicates, 4);
    assert_int_equal(n.credited + n.unmatched, 0);
    same(take(d), done);
    assert_int_equal(ledger_verify(d, devnull()), 0);
    free(doc);
}

static void test_assign_and_ignore(void **state)
{
    store_fixture *f = *state;
    db *d = f->d;
    int64_t a = org_with_admin(d, "a@example.test"), b = org_with_admin(d, "b@example.test");
    int64_t staff = staff_member(d);
    camt_doc *doc = statement(a, b);
    bank_import_counts n;
    assert_true(bank_import(d, &the_app, doc, staff, "192.0.2.1", &n));
    free(doc);
    int64_t credit = fixture_value(d, "SELECT id FROM bank_entries WHERE entry_ref = 'R3'");
    int64_t debit = fixture_value(d, "SELECT id FROM bank_entries WHERE entry_ref = 'R4'");
    assert_int_equal(bank_assign(d, &the_app, debit, a, staff, NULL), BANK_NOT_CREDIT);
    assert_int_equal(bank_assign(d, &the_app, credit, 999999, staff, NULL), BANK_NO_ORG);
    assert_int_equal(bank_assign(d, &the_app, 999999, a, staff, NULL), BANK_NOT_FOUND);
    snapshot before = take(d);
    int k = 1;
    for (;; k++) {
        db_fail_after(d, k);
        bank_result r = bank_assign(d, &the_app, credit, b, staff, NULL);
        db_fail_after(d, 0);
        if (r == BANK_OK)
            break;
        assert_int_equal(r, BANK_STORE_ERROR);
        same(take(d), before);
        assert_true(k < 500);
    }
    snapshot after = take(d);
    assert_int_equal(after.balance, before.balance + 700);
    assert_int_equal(after.staff_audits, before.staff_audits + 1);
    assert_int_equal(after.mails, before.mails + 2);
    assert_int_equal(after.receipts, before.receipts + 1);
    assert_int_equal(bank_assign(d, &the_app, credit, b, staff, NULL), BANK_NOT_PENDING);
    assert_int_equal(bank_ignore(d, debit, "bank fees", staff, NULL), BANK_OK);
    assert_int_equal(bank_ignore(d, debit, "again", staff, NULL), BANK_NOT_PENDING);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM bank_entries WHERE status = 'unmatched'"), 0);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'bank.ignore'"), 1);
    assert_int_equal(fixture_value(d, "SELECT COUNT(*) FROM audit_log WHERE action = 'bank.import'"), 1);
    bank_queued q[4];
    arena *ar = arena_new();
    assert_int_equal(bank_queue(d, ar, q, 4), 0);
    arena_free(ar);
    assert_int_equal(ledger_verify(d, devnull()), 0);
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
        cmocka_unit_test_setup_teardown(test_import_faults, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_assign_and_ignore, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
