/* test_faults.c - fault injection in the SQLite tradition: a composite write
 * (a customer with an organization, a wallet and a credit, as sign-up plus a
 * first top-up will do) is run once for every database call it makes, with
 * that call failing. Each run must either fail leaving the store exactly as it
 * was, or succeed whole; never half. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>

#include "feature/auth/auth.h"
#include "feature/ledger/ledger.h"
#include "store_fixture.h"

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

typedef struct snapshot {
    int64_t users, orgs, members, accounts, transfers, balance_sum_abs;
} snapshot;

static snapshot take(db *d)
{
    return (snapshot){
        fixture_value(d, "SELECT COUNT(*) FROM users"), fixture_value(d, "SELECT COUNT(*) FROM orgs"),
        fixture_value(d, "SELECT COUNT(*) FROM memberships"), fixture_value(d, "SELECT COUNT(*) FROM ledger_accounts"),
        fixture_value(d, "SELECT COUNT(*) FROM ledger_transfers"),
        fixture_value(d, "SELECT COALESCE(SUM(ABS(balance_minor)), 0) FROM ledger_accounts"),
    };
}

/* The composite write; false after rolling back on the first error. */
static bool customer_with_credit(db *d, int run)
{
    char email[64], key[64];
    snprintf(email, sizeof email, "fault%d@example.test", run);
    snprintf(key, sizeof key, "fault-credit-%d", run);
    int64_t user, org, wallet, gw, id;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    ledger_transfer t = {.amount_minor = 1500, .currency = "EUR", .kind = "topup", .reference = "",
                         .idempotency_key = key};
    bool ok = auth_user_create(d, email, "hash", "Fault", "IT", "en", &user, &org) == DB_OK &&
              ledger_wallet(d, org, "EUR", true, &wallet) == LEDGER_OK &&
              ledger_system_account(d, "gateway:sandbox", "EUR", &gw) == LEDGER_OK;
    if (ok) {
        t.debit_account_id = gw;
        t.credit_account_id = wallet;
        ok = ledger_post(d, &t, &id) == LEDGER_OK;
    }
    if (!ok) {
        db_rollback(d);
        return false;
    }
    return db_commit(d) == DB_OK;
}

static void test_every_failing_call_leaves_nothing_half_written(void **state)
{
    store_fixture *f = *state;
    int failures = 0;
    for (int n = 1; n < 200; n++) {
        snapshot before = take(f->d);
        db_fail_after(f->d, n);
        bool ok = customer_with_credit(f->d, n);
        db_fail_after(f->d, 0);
        snapshot after = take(f->d);
        assert_int_equal(ledger_verify(f->d, devnull()), 0);
        if (!ok) {
            failures++;
            assert_memory_equal(&before, &after, sizeof before);
            continue;
        }
        assert_int_equal(after.users, before.users + 1);
        assert_int_equal(after.transfers, before.transfers + 1);
        assert_true(failures >= 8); /* every call of the write was made to fail once */
        return;
    }
    fail_msg("the write never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_failing_call_leaves_nothing_half_written,
                                        store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
