/* test_ledger_post.c - the paths of ledger_post beyond the common one. The
 * posting moves balances first and gives them back when the transfer cannot
 * be stored, so every refusal and every replay is checked here to leave all
 * balances and the transfer count exactly as they were, and to rank the
 * reasons as ledger.h does (a replay first, then the accounts, then funds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "store_fixture.h"

enum { ACCTS = 5, UNKNOWN_ACCOUNT = 999999 };

/* A wallet in EUR (w), one in USD (usd), a gateway, revenue and adjustments. */
typedef struct books {
    db *d;
    int64_t w, usd, gw, rev, adj;
    int64_t balance[ACCTS];
    int64_t transfers;
} books;

static int64_t in_tx_account(db *d, int64_t org, const char *code, const char *cur)
{
    int64_t id = 0;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    if (org)
        assert_int_equal(ledger_wallet(d, org, cur, true, &id), LEDGER_OK);
    else
        assert_int_equal(ledger_system_account(d, code, cur, &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

static books open_books(store_fixture *f)
{
    int64_t org = fixture_org(f->d, "Paths");
    books b = {.d = f->d};
    b.w = in_tx_account(f->d, org, NULL, "EUR");
    b.usd = in_tx_account(f->d, org, NULL, "USD");
    b.gw = in_tx_account(f->d, 0, "gateway:sandbox", "EUR");
    b.rev = in_tx_account(f->d, 0, "revenue", "EUR");
    b.adj = in_tx_account(f->d, 0, "adjustments", "EUR");
    return b;
}

static ledger_result post_full(books *b, int64_t from, int64_t to, int64_t amount, const char *cur,
                               const char *key, int64_t reverses_id, int64_t *id)
{
    ledger_transfer t = {.debit_account_id = from, .credit_account_id = to, .amount_minor = amount,
                         .currency = cur, .kind = "test", .reference = "", .idempotency_key = key,
                         .reverses_id = reverses_id};
    int64_t ignored = 0;
    return ledger_post_tx(b->d, &t, id ? id : &ignored);
}

static ledger_result post(books *b, int64_t from, int64_t to, int64_t amount, const char *key, int64_t *id)
{
    return post_full(b, from, to, amount, "EUR", key, 0, id);
}

static int64_t transfer_count(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM ledger_transfers");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int64(s, 0);
    db_done(s);
    return n;
}

/* Remembers every balance and the transfer count ... */
static void snapshot(books *b)
{
    int64_t ids[ACCTS] = {b->w, b->usd, b->gw, b->rev, b->adj};
    for (int i = 0; i < ACCTS; i++)
        assert_int_equal(ledger_balance(b->d, ids[i], &b->balance[i]), LEDGER_OK);
    b->transfers = transfer_count(b->d);
}

/* ... and checks that nothing moved since. */
static void assert_unchanged(books *b)
{
    int64_t ids[ACCTS] = {b->w, b->usd, b->gw, b->rev, b->adj};
    for (int i = 0; i < ACCTS; i++) {
        int64_t now = -1;
        assert_int_equal(ledger_balance(b->d, ids[i], &now), LEDGER_OK);
        assert_int_equal(now, b->balance[i]);
    }
    assert_int_equal(transfer_count(b->d), b->transfers);
}

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

/* A refused debit writes nothing; a refused credit gives the debit back. */
static void test_refusals_leave_every_balance(void **state)
{
    books b = open_books(*state);
    assert_int_equal(post(&b, b.gw, b.w, 1000, "fund", NULL), LEDGER_OK);
    snapshot(&b);
    assert_int_equal(post(&b, b.w, UNKNOWN_ACCOUNT, 10, "k1", NULL), LEDGER_NOT_FOUND);
    assert_unchanged(&b);
    assert_int_equal(post(&b, b.w, b.usd, 10, "k2", NULL), LEDGER_INVALID);
    assert_unchanged(&b);
    assert_int_equal(post(&b, b.gw, b.usd, 10, "k3", NULL), LEDGER_INVALID);
    assert_unchanged(&b);
    assert_int_equal(post(&b, b.usd, b.w, 10, "k4", NULL), LEDGER_INVALID);
    assert_unchanged(&b);
    assert_int_equal(post(&b, UNKNOWN_ACCOUNT, b.w, 10, "k5", NULL), LEDGER_NOT_FOUND);
    assert_unchanged(&b);
    assert_int_equal(post(&b, b.w, b.rev, 1001, "k6", NULL), LEDGER_INSUFFICIENT_FUNDS);
    assert_unchanged(&b);
    assert_int_equal(post_full(&b, b.gw, b.w, 10, "USD", "k7", 0, NULL), LEDGER_INVALID);
    assert_unchanged(&b);
    assert_int_equal(ledger_verify(b.d, devnull()), 0);
}

/* The accounts are checked before the funds, whichever statement refused. */
static void test_reasons_rank_accounts_before_funds(void **state)
{
    books b = open_books(*state);
    snapshot(&b);
    assert_int_equal(post(&b, b.w, UNKNOWN_ACCOUNT, 10, "r1", NULL), LEDGER_NOT_FOUND);
    assert_int_equal(post(&b, b.w, b.usd, 10, "r2", NULL), LEDGER_INVALID);
    assert_int_equal(post_full(&b, b.w, b.rev, 10, "USD", "r3", 0, NULL), LEDGER_INVALID);
    assert_int_equal(post(&b, b.w, b.rev, 10, "r4", NULL), LEDGER_INSUFFICIENT_FUNDS);
    assert_unchanged(&b);
}

/* A replay answers REPLAYED with the first id even when the same transfer
 * could not be posted any more, and a reused key never moves money. */
static void test_replay_ranks_first(void **state)
{
    books b = open_books(*state);
    int64_t fund = 0, spend = 0, again = 0;
    assert_int_equal(post(&b, b.gw, b.w, 1000, "fund", &fund), LEDGER_OK);
    assert_int_equal(post(&b, b.w, b.rev, 1000, "spend", &spend), LEDGER_OK);
    snapshot(&b);
    assert_int_equal(post(&b, b.w, b.rev, 1000, "spend", &again), LEDGER_REPLAYED); /* w is empty now */
    assert_int_equal(again, spend);
    assert_int_equal(post(&b, b.gw, b.w, 1000, "fund", &again), LEDGER_REPLAYED); /* would succeed */
    assert_int_equal(again, fund);
    assert_unchanged(&b);
    assert_int_equal(post(&b, b.gw, b.w, 999, "fund", NULL), LEDGER_KEY_CONFLICT);
    assert_int_equal(post(&b, b.gw, b.rev, 1000, "fund", NULL), LEDGER_KEY_CONFLICT);
    assert_int_equal(post(&b, b.gw, UNKNOWN_ACCOUNT, 1000, "fund", NULL), LEDGER_KEY_CONFLICT);
    assert_int_equal(post(&b, b.w, b.rev, 5, "spend", NULL), LEDGER_KEY_CONFLICT);
    assert_int_equal(post_full(&b, b.w, b.usd, 5, "USD", "spend", 0, NULL), LEDGER_KEY_CONFLICT);
    assert_unchanged(&b);
    assert_int_equal(ledger_verify(b.d, devnull()), 0);
}

/* A reversal replayed is a replay; a second reversal under a new key is
 * refused by the store's constraint even when ledger_post is called directly. */
static void test_reversal_replay_and_second_reversal(void **state)
{
    books b = open_books(*state);
    int64_t t1 = 0, r1 = 0, r2 = 0;
    assert_int_equal(post(&b, b.adj, b.w, 1200, "adj", &t1), LEDGER_OK);
    assert_int_equal(db_begin(b.d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_reverse(b.d, t1, "rev-1", &r1), LEDGER_OK);
    assert_int_equal(db_commit(b.d), DB_OK);
    assert_int_equal(post(&b, b.gw, b.w, 5000, "fund", NULL), LEDGER_OK);
    snapshot(&b);
    assert_int_equal(db_begin(b.d, DB_TX_WRITE), DB_OK);
    assert_int_equal(ledger_reverse(b.d, t1, "rev-1", &r2), LEDGER_REPLAYED);
    assert_int_equal(r2, r1);
    db_rollback(b.d);
    assert_unchanged(&b);
    assert_int_equal(post_full(&b, b.w, b.adj, 1200, "EUR", "rev-2", t1, NULL), LEDGER_ALREADY_REVERSED);
    assert_unchanged(&b);
    /* Same key, but kind "test" instead of "reversal": a conflict, ranked first. */
    assert_int_equal(post_full(&b, b.w, b.adj, 1200, "EUR", "rev-1", t1, NULL), LEDGER_KEY_CONFLICT);
    assert_unchanged(&b);
    assert_int_equal(ledger_verify(b.d, devnull()), 0);
}

/* Inside one caller transaction, refusals between postings leave the
 * postings around them intact and the sums right. */
static void test_refusals_inside_a_batch(void **state)
{
    books b = open_books(*state);
    int64_t id;
    assert_int_equal(db_begin(b.d, DB_TX_WRITE), DB_OK);
    for (int i = 0; i < 50; i++) {
        char key[32];
        ledger_transfer t = {.debit_account_id = b.gw, .credit_account_id = b.w, .amount_minor = 100,
                             .currency = "EUR", .kind = "topup", .reference = "", .idempotency_key = key};
        snprintf(key, sizeof key, "batch-%d", i);
        assert_int_equal(ledger_post(b.d, &t, &id), LEDGER_OK);
        t.credit_account_id = b.usd; /* refused: wrong currency, after the debit moved */
        snprintf(key, sizeof key, "bad-%d", i);
        assert_int_equal(ledger_post(b.d, &t, &id), LEDGER_INVALID);
        snprintf(key, sizeof key, "batch-%d", i); /* replay inside the batch */
        t.credit_account_id = b.w;
        assert_int_equal(ledger_post(b.d, &t, &id), LEDGER_REPLAYED);
    }
    assert_int_equal(db_commit(b.d), DB_OK);
    int64_t bal = 0;
    assert_int_equal(ledger_balance(b.d, b.w, &bal), LEDGER_OK);
    assert_int_equal(bal, 5000);
    assert_int_equal(ledger_balance(b.d, b.gw, &bal), LEDGER_OK);
    assert_int_equal(bal, -5000);
    assert_int_equal(transfer_count(b.d), 50);
    assert_int_equal(ledger_verify(b.d, devnull()), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
        T(test_refusals_leave_every_balance),
        T(test_reasons_rank_accounts_before_funds),
        T(test_replay_ranks_first),
        T(test_reversal_replay_and_second_reversal),
        T(test_refusals_inside_a_batch),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
