/* test_history.c - the transaction history's queries on a real store: each
 * filter and their combination, pages by cursor under a filter, the CSV's
 * running balance (counting the lines a filter hides), and the plan of the
 * filtered list (an index range per wallet, never a scan of every transfer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "feature/ledger/ledger_query.h"
#include "store_fixture.h"

enum { DAY = 86400, JAN1 = 1577836800 /* 2020-01-01 */ };

static int64_t account(db *d, int64_t org, const char *code, const char *cur)
{
    int64_t id = 0;
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(org ? ledger_wallet(d, org, cur, true, &id) : ledger_system_account(d, code, cur, &id), LEDGER_OK);
    assert_int_equal(db_commit(d), DB_OK);
    return id;
}

/* A transfer with a chosen date (ledger_post stamps the current time), the
 * balances moved with it so that ledger_verify still holds. */
static void line(db *d, int64_t from, int64_t to, int64_t amount, const char *cur, const char *kind, int64_t at)
{
    static int n;
    char key[32];
    snprintf(key, sizeof key, "h-%d", ++n);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    db_stmt *s = db_prepare(d,
        "INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id, amount_minor,"
        " currency, kind, reference, created_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7)");
    assert_non_null(s);
    db_bind_text(s, 1, key);
    db_bind_int64(s, 2, from);
    db_bind_int64(s, 3, to);
    db_bind_int64(s, 4, amount);
    db_bind_text(s, 5, cur);
    db_bind_text(s, 6, kind);
    db_bind_int64(s, 7, at);
    assert_int_equal(db_exec1(s), DB_DONE);
    for (int side = 0; side < 2; side++) {
        s = db_prepare(d, "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE id = $2");
        db_bind_int64(s, 1, side ? amount : -amount);
        db_bind_int64(s, 2, side ? to : from);
        assert_int_equal(db_exec1(s), DB_DONE);
    }
    assert_int_equal(db_commit(d), DB_OK);
}

typedef struct history {
    int64_t org, eur, usd, adj_eur, adj_usd;
} history;

/* EUR: +100 topup (Jan 1), -30 purchase (Jan 2), -5 renewal (Jan 3, last
 * second), +7 topup (Jan 5); USD: +50 topup (Jan 2); another org's lines. */
static history seed(db *d)
{
    history h = {.org = fixture_org(d, "Acme")};
    h.eur = account(d, h.org, NULL, "EUR");
    h.usd = account(d, h.org, NULL, "USD");
    h.adj_eur = account(d, 0, "adjustments", "EUR");
    h.adj_usd = account(d, 0, "adjustments", "USD");
    int64_t other = account(d, fixture_org(d, "Other"), NULL, "EUR");
    line(d, h.adj_eur, h.eur, 100, "EUR", "topup", JAN1);
    line(d, h.adj_eur, other, 999, "EUR", "topup", JAN1);
    line(d, h.eur, h.adj_eur, 30, "EUR", "purchase", JAN1 + DAY);
    line(d, h.adj_usd, h.usd, 50, "USD", "topup", JAN1 + DAY);
    line(d, h.eur, h.adj_eur, 5, "EUR", "renewal", JAN1 + 3 * DAY - 1);
    line(d, h.adj_eur, h.eur, 7, "EUR", "topup", JAN1 + 4 * DAY);
    return h;
}

/* "kind:amount" of each line, space-separated, into out. */
static const char *listed(db *d, int64_t org, const ledger_filter *f, int64_t before, size_t limit, char *out)
{
    ledger_line rows[LEDGER_PAGE_MAX];
    int n = ledger_org_lines_filtered(d, org, f, before, limit, rows);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        sprintf(out + strlen(out), "%s%s:%lld", i ? " " : "", rows[i].kind, (long long)rows[i].amount_minor);
    return out;
}

static void test_each_filter_and_combined(void **state)
{
    store_fixture *f = *state;
    history h = seed(f->d);
    char out[512];
    assert_string_equal(listed(f->d, h.org, NULL, 0, 10, out), "topup:7 renewal:-5 topup:50 purchase:-30 topup:100");
    ledger_filter days = {.from = JAN1 + DAY, .to = JAN1 + 3 * DAY};
    assert_string_equal(listed(f->d, h.org, &days, 0, 10, out), "renewal:-5 topup:50 purchase:-30");
    ledger_filter kinds = {.kinds = {"renewal", "purchase"}, .nkinds = 2};
    assert_string_equal(listed(f->d, h.org, &kinds, 0, 10, out), "renewal:-5 purchase:-30");
    ledger_filter usd = {.currency = "USD"};
    assert_string_equal(listed(f->d, h.org, &usd, 0, 10, out), "topup:50");
    ledger_filter all = {.from = JAN1, .to = JAN1 + 5 * DAY, .currency = "EUR", .kinds = {"topup"}, .nkinds = 1};
    assert_string_equal(listed(f->d, h.org, &all, 0, 10, out), "topup:7 topup:100");
    ledger_filter none = {.kinds = {"withdrawal"}, .nkinds = 1};
    assert_string_equal(listed(f->d, h.org, &none, 0, 10, out), "");
}

static void test_pages_under_a_filter(void **state)
{
    store_fixture *f = *state;
    history h = seed(f->d);
    ledger_filter eur = {.currency = "EUR"};
    ledger_line rows[2];
    assert_int_equal(ledger_org_lines_filtered(f->d, h.org, &eur, 0, 2, rows), 2);
    char out[256];
    assert_string_equal(listed(f->d, h.org, &eur, rows[1].transfer_id, 2, out), "purchase:-30 topup:100");
}

typedef struct csv_seen {
    char text[512];
} csv_seen;

static bool collect(const ledger_line *l, void *ctx)
{
    csv_seen *c = ctx;
    sprintf(c->text + strlen(c->text), "%s%s:%lld=%lld", *c->text ? " " : "", l->kind, (long long)l->amount_minor,
            (long long)l->balance_after);
    return true;
}

static void test_csv_running_balance(void **state)
{
    store_fixture *f = *state;
    history h = seed(f->d);
    csv_seen c = {""};
    assert_int_equal(ledger_org_lines_csv(f->d, h.org, NULL, 100, collect, &c), 5);
    assert_string_equal(c.text, "topup:7=72 renewal:-5=65 topup:50=50 purchase:-30=70 topup:100=100");
    csv_seen only = {""};
    ledger_filter renewals = {.kinds = {"renewal"}, .nkinds = 1};
    assert_int_equal(ledger_org_lines_csv(f->d, h.org, &renewals, 100, collect, &only), 1);
    assert_string_equal(only.text, "renewal:-5=65");
    csv_seen two = {""};
    assert_int_equal(ledger_org_lines_csv(f->d, h.org, NULL, 2, collect, &two), 2);
    assert_string_equal(two.text, "topup:7=72 renewal:-5=65");
    assert_int_equal(ledger_verify(f->d, stderr), 0);
}

/* The plan of one side of one wallet's lines: (account, id) walked newest
 * first below the cursor, no sort and no temporary B-tree, so a page costs
 * its limit whatever the wallet's history. sql: two buffers of this call's
 * own (db_prepare caches statements by the SQL text's address). */
static void expect_plan(db *d, const char *side_sql, int params, const char *index_use, char sql[2][4096])
{
    snprintf(sql[0], 4096, "EXPLAIN QUERY PLAN %s", side_sql);
    db_stmt *s = db_prepare(d, sql[0]);
    assert_non_null(s);
    for (int i = 1; i <= params; i++)
        db_bind_int64(s, i, i == 1 && params > 1 ? INT64_MAX : 1);
    char plan[4096] = "";
    while (db_step(s) == DB_ROW)
        snprintf(plan + strlen(plan), sizeof plan - strlen(plan), "%s\n", db_col_text(s, 3));
    db_done(s);
    if (!strstr(plan, index_use))
        fail_msg("expected %s in the plan:\n%s", index_use, plan);
    assert_null(strstr(plan, "TEMP B-TREE"));
    assert_null(strstr(plan, "SCAN t\n"));
    snprintf(sql[1], 4096, "EXPLAIN %s", side_sql);
    s = db_prepare(d, sql[1]);
    int ephemeral = 0;
    while (db_step(s) == DB_ROW)
        ephemeral += !strcmp(db_col_text(s, 1), "OpenEphemeral");
    db_done(s);
    assert_int_equal(ephemeral, 0);
}

/* SQLite only: each side reads ledger_transfers through its (account, id)
 * index in order, and an organization's wallets come from its own index
 * entries (never a walk over every organization's wallets). */
static void test_plan_uses_the_account_indexes(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        return;
    seed(f->d);
    static char sql[3][2][4096];
    expect_plan(f->d, ledger_lines_credit_sql, 16,
                "USING INDEX ledger_transfers_credit (credit_account_id=? AND id>? AND id<?)", sql[0]);
    expect_plan(f->d, ledger_lines_debit_sql, 16,
                "USING INDEX ledger_transfers_debit (debit_account_id=? AND id>? AND id<?)", sql[1]);
    expect_plan(f->d, ledger_wallets_sql, 1, "USING INDEX ledger_accounts_org_code (org_id=? AND code=?)", sql[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
        T(test_each_filter_and_combined),
        T(test_pages_under_a_filter),
        T(test_csv_running_balance),
        T(test_plan_uses_the_account_indexes),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
