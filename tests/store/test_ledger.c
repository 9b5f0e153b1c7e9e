/* test_ledger.c - the ledger's invariants on a real SQLite store: postings,
 * replays, reversals, random sequences against a model, concurrent spending
 * from one wallet, and verify catching tampering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "store_fixture.h"

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

static int64_t wallet(db *d, int64_t org, const char *cur)
{
    int64_t id = 0;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_wallet(d, org, cur, true, &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

static int64_t system_acct(db *d, const char *code, const char *cur)
{
    int64_t id = 0;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_system_account(d, code, cur, &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

static int64_t balance(db *d, int64_t acct)
{
    int64_t b = -1;
    assert_int_equal(ledger_balance(d, acct, &b), LEDGER_OK);
    return b;
}

static ledger_result post(db *d, int64_t from, int64_t to, int64_t amount, const char *key, int64_t *id)
{
    ledger_transfer t = {.debit_account_id = from, .credit_account_id = to, .amount_minor = amount,
                         .currency = "EUR", .kind = "test", .reference = "", .idempotency_key = key};
    int64_t ignored;
    return ledger_post_tx(d, &t, id ? id : &ignored);
}

static void test_post_spend_and_refuse_overdraft(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Acme");
    int64_t w = wallet(f->d, org, "EUR"), gw = system_acct(f->d, "gateway:sandbox", "EUR"),
            rev = system_acct(f->d, "revenue", "EUR");
    assert_int_equal(post(f->d, gw, w, 10000, "topup-1", NULL), LEDGER_OK);
    assert_int_equal(post(f->d, w, rev, 2500, "buy-1", NULL), LEDGER_OK);
    assert_int_equal(post(f->d, w, rev, 7501, "buy-2", NULL), LEDGER_INSUFFICIENT_FUNDS);
    assert_int_equal(balance(f->d, w), 7500);
    assert_int_equal(balance(f->d, gw), -10000);
    assert_int_equal(balance(f->d, rev), 2500);
    assert_int_equal(post(f->d, w, rev, 7500, "buy-2", NULL), LEDGER_OK);
    assert_int_equal(balance(f->d, w), 0);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

static void test_replay_and_conflict(void **state)
{
    store_fixture *f = *state;
    int64_t w = wallet(f->d, fixture_org(f->d, "B"), "EUR"), gw = system_acct(f->d, "gw", "EUR");
    int64_t first = 0, again = 0;
    assert_int_equal(post(f->d, gw, w, 500, "k1", &first), LEDGER_OK);
    assert_int_equal(post(f->d, gw, w, 500, "k1", &again), LEDGER_REPLAYED);
    assert_int_equal(first, again);
    assert_int_equal(balance(f->d, w), 500);
    assert_int_equal(post(f->d, gw, w, 501, "k1", NULL), LEDGER_KEY_CONFLICT);
    assert_int_equal(balance(f->d, w), 500);
}

static void test_invalid_transfers_write_nothing(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "C");
    int64_t w = wallet(f->d, org, "EUR"), usd = wallet(f->d, org, "USD"), gw = system_acct(f->d, "gw", "EUR");
    assert_int_equal(post(f->d, gw, w, 0, "z", NULL), LEDGER_INVALID);
    assert_int_equal(post(f->d, gw, w, -5, "z", NULL), LEDGER_INVALID);
    assert_int_equal(post(f->d, gw, w, LEDGER_AMOUNT_MAX + 1, "z", NULL), LEDGER_INVALID);
    assert_int_equal(post(f->d, w, w, 5, "z", NULL), LEDGER_INVALID);
    assert_int_equal(post(f->d, gw, usd, 5, "z", NULL), LEDGER_INVALID);
    assert_int_equal(post(f->d, gw, 999999, 5, "z", NULL), LEDGER_NOT_FOUND);
    assert_int_equal(post(f->d, gw, w, 5, "", NULL), LEDGER_INVALID);
    int64_t id;
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_wallet(f->d, org, "eur", true, &id), LEDGER_INVALID);
    assert_int_equal(ledger_system_account(f->d, "wallet", "EUR", &id), LEDGER_INVALID);
    db_rollback(f->d);
    assert_int_equal(balance(f->d, w), 0);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

static void test_reversal(void **state)
{
    store_fixture *f = *state;
    int64_t w = wallet(f->d, fixture_org(f->d, "D"), "EUR"), adj = system_acct(f->d, "adjustments", "EUR");
    int64_t t1 = 0, r1 = 0, r2 = 0;
    assert_int_equal(post(f->d, adj, w, 1200, "adj-1", &t1), LEDGER_OK);
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_reverse(f->d, t1, "rev-1", &r1), LEDGER_OK);
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(balance(f->d, w), 0);
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_reverse(f->d, t1, "rev-2", &r2), LEDGER_ALREADY_REVERSED);
    assert_int_equal(ledger_reverse(f->d, r1, "rev-3", &r2), LEDGER_INVALID);
    assert_int_equal(ledger_reverse(f->d, 424242, "rev-4", &r2), LEDGER_NOT_FOUND);
    db_rollback(f->d);
    assert_int_equal(balance(f->d, w), 0);
    assert_int_equal(balance(f->d, adj), 0);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

static void test_transfers_are_immutable_and_tampering_is_found(void **state)
{
    store_fixture *f = *state;
    int64_t w = wallet(f->d, fixture_org(f->d, "E"), "EUR"), gw = system_acct(f->d, "gw", "EUR");
    assert_int_equal(post(f->d, gw, w, 700, "t", NULL), LEDGER_OK);
    assert_int_not_equal(db_exec_script(f->d, "UPDATE ledger_transfers SET amount_minor = 1"), DB_OK);
    assert_int_not_equal(db_exec_script(f->d, "DELETE FROM ledger_transfers"), DB_OK);
    assert_int_equal(db_exec_script(f->d, "UPDATE ledger_accounts SET balance_minor = balance_minor + 1"
                                          " WHERE code = 'wallet'"), DB_OK);
    assert_true(ledger_verify(f->d, devnull()) >= 2); /* wrong balance + currency sum */
}

/* Random transfers among wallets and system accounts, checked against a model. */
static void test_random_sequences_keep_invariants(void **state)
{
    store_fixture *f = *state;
    enum { N_ACCT = 8, N_OPS = 1500 };
    int64_t acct[N_ACCT], model[N_ACCT] = {0};
    for (int i = 0; i < 5; i++)
        acct[i] = wallet(f->d, fixture_org(f->d, "R"), "EUR");
    acct[5] = system_acct(f->d, "gw", "EUR");
    acct[6] = system_acct(f->d, "revenue", "EUR");
    acct[7] = system_acct(f->d, "adjustments", "EUR");
    srand(12345);
    int ok = 0, refused = 0;
    for (int i = 0; i < N_OPS; i++) {
        int a = rand() % N_ACCT, b = rand() % N_ACCT;
        int64_t amount = 1 + rand() % 5000;
        char key[32];
        snprintf(key, sizeof key, "r-%d", rand() % (N_OPS * 2)); /* some keys repeat */
        ledger_result r = post(f->d, acct[a], acct[b], amount, key, NULL);
        if (r == LEDGER_OK) {
            model[a] -= amount;
            model[b] += amount;
            ok++;
        } else {
            assert_true(r == LEDGER_INSUFFICIENT_FUNDS || r == LEDGER_INVALID ||
                        r == LEDGER_KEY_CONFLICT || r == LEDGER_REPLAYED);
            refused++;
        }
    }
    for (int i = 0; i < N_ACCT; i++) {
        assert_int_equal(balance(f->d, acct[i]), model[i]);
        if (i < 5)
            assert_true(model[i] >= 0);
    }
    assert_true(ok > 100 && refused > 0);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

/* Many threads, each with its own connection, spending from one wallet. */
struct spender {
    const char *url;
    int64_t wallet, revenue;
    int thread_no;
    int spent_count;
    int64_t spent_minor;
};

enum { SPEND_THREADS = 8, SPENDS_PER_THREAD = 60 };

static void *spend_loop(void *arg)
{
    struct spender *s = arg;
    char err[256];
    db *d = db_open(s->url, err, sizeof err);
    if (!d)
        return NULL;
    for (int i = 0; i < SPENDS_PER_THREAD; i++) {
        char key[48];
        snprintf(key, sizeof key, "spend-%d-%d", s->thread_no, i);
        int64_t amount = 1 + (s->thread_no * 7 + i * 13) % 97, id;
        ledger_transfer t = {.debit_account_id = s->wallet, .credit_account_id = s->revenue,
                             .amount_minor = amount, .currency = "EUR", .kind = "purchase",
                             .reference = "", .idempotency_key = key};
        ledger_result r = ledger_post_tx(d, &t, &id);
        if (r == LEDGER_OK) {
            s->spent_count++;
            s->spent_minor += amount;
        } else if (r != LEDGER_INSUFFICIENT_FUNDS) {
            s->spent_count = -100000; /* any other outcome fails the test */
        }
    }
    db_close(d);
    return NULL;
}

static void test_concurrent_spending_never_overdraws(void **state)
{
    store_fixture *f = *state;
    int64_t w = wallet(f->d, fixture_org(f->d, "Busy"), "EUR"), gw = system_acct(f->d, "gw", "EUR"),
            rev = system_acct(f->d, "revenue", "EUR");
    const int64_t funded = 10000; /* less than the threads try to spend */
    assert_int_equal(post(f->d, gw, w, funded, "fund", NULL), LEDGER_OK);
    pthread_t th[SPEND_THREADS];
    struct spender sp[SPEND_THREADS];
    for (int i = 0; i < SPEND_THREADS; i++) {
        sp[i] = (struct spender){.url = f->url, .wallet = w, .revenue = rev, .thread_no = i};
        assert_int_equal(pthread_create(&th[i], NULL, spend_loop, &sp[i]), 0);
    }
    int64_t spent = 0, count = 0;
    for (int i = 0; i < SPEND_THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_true(sp[i].spent_count >= 0);
        spent += sp[i].spent_minor;
        count += sp[i].spent_count;
    }
    assert_int_equal(balance(f->d, w), funded - spent);
    assert_true(balance(f->d, w) >= 0 && balance(f->d, w) < 97);
    db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM ledger_transfers WHERE kind = 'purchase'");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int64(s, 0), count);
    db_done(s);
    assert_int_equal(ledger_verify(f->d, devnull()), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
        T(test_post_spend_and_refuse_overdraft),
        T(test_replay_and_conflict),
        T(test_invalid_transfers_write_nothing),
        T(test_reversal),
        T(test_transfers_are_immutable_and_tampering_is_found),
        T(test_random_sequences_keep_invariants),
        T(test_concurrent_spending_never_overdraws),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
