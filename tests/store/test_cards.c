/* test_cards.c - saved cards on a real store: one default per organization
 * while it has any (the first recorded, then whichever is set; removing the
 * default makes the newest remaining card the default), a token recorded
 * once, removed cards never default nor listed, the store refusing a second
 * default, and expiry at the end of the card's month. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "feature/cards/cards.h"
#include "store_fixture.h"

static int64_t user_row(db *d)
{
    db_stmt *s = db_prepare(d, "INSERT INTO users (email, password_hash, name, country, language, created_at)"
                               " VALUES ('cards@example.test', 'x', 'Cards', 'IT', 'en', 0) RETURNING id");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

static void record(db *d, int64_t org, int64_t user, const char *token, const char *last4, int64_t at)
{
    gateway_card c = {.exp_month = 12, .exp_year = 2039};
    snprintf(c.token, sizeof c.token, "%s", token);
    snprintf(c.brand, sizeof c.brand, "visa");
    snprintf(c.last4, sizeof c.last4, "%s", last4);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(cards_record(d, org, user, &c, at));
    assert_int_equal(db_commit(d), DB_OK);
}

/* The last four digits of org's default card, "" when none. */
static const char *default_last4(db *d, int64_t org, saved_card *scratch)
{
    int found = cards_default(d, org, scratch);
    assert_true(found >= 0);
    return found ? scratch->last4 : "";
}

static void remove_card(db *d, int64_t org, const char *last4)
{
    saved_card list[CARDS_MAX];
    int n = cards_list(d, org, list, CARDS_MAX);
    for (int i = 0; i < n; i++)
        if (!strcmp(list[i].last4, last4)) {
            assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
            assert_int_equal(cards_mark_removed(d, &list[i], 100), 1);
            assert_int_equal(cards_mark_removed(d, &list[i], 100), 0);
            assert_int_equal(db_commit(d), DB_OK);
            return;
        }
    fail_msg("no card %s", last4);
}

static void test_one_default(void **state)
{
    db *d = ((store_fixture *)*state)->d;
    int64_t org = fixture_org(d, "Cards"), other = fixture_org(d, "Other"), user = user_row(d);
    saved_card c;
    assert_string_equal(default_last4(d, org, &c), "");
    record(d, org, user, "pm_a", "1111", 10);
    record(d, org, user, "pm_b", "2222", 20);
    record(d, org, user, "pm_c", "3333", 30);
    record(d, org, user, "pm_a", "1111", 40); /* the same token again: nothing new */
    record(d, other, user, "pm_x", "9999", 50);
    saved_card list[CARDS_MAX];
    assert_int_equal(cards_list(d, org, list, CARDS_MAX), 3);
    assert_string_equal(default_last4(d, org, &c), "1111");
    assert_string_equal(default_last4(d, other, &c), "9999");

    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(cards_set_default(d, org, list[1].id), 1);
    assert_int_equal(cards_set_default(d, org, list[1].id), 1);
    assert_int_equal(cards_set_default(d, other, list[2].id), 0); /* another organization's card */
    assert_int_equal(db_commit(d), DB_OK);
    assert_string_equal(default_last4(d, org, &c), "2222");
    assert_string_equal(default_last4(d, other, &c), "9999");

    remove_card(d, org, "2222"); /* the default: the newest remaining follows */
    assert_string_equal(default_last4(d, org, &c), "3333");
    remove_card(d, org, "1111"); /* not the default: it stays */
    assert_string_equal(default_last4(d, org, &c), "3333");
    remove_card(d, org, "3333");
    assert_string_equal(default_last4(d, org, &c), "");
    assert_int_equal(cards_list(d, org, list, CARDS_MAX), 0);
    assert_int_equal(cards_get(d, org, list[0].id, &c), 0);
    record(d, org, user, "pm_d", "4444", 60); /* the first again after none: the default */
    assert_string_equal(default_last4(d, org, &c), "4444");

    /* The store itself refuses a second default. */
    db_stmt *s = db_prepare(d, "UPDATE payment_methods SET is_default = 1 WHERE token = 'pm_a'");
    assert_int_not_equal(db_exec1(s), DB_DONE);
}

static void test_expiry(void **state)
{
    (void)state;
    saved_card c = {.exp_month = 3, .exp_year = 2030};
    assert_false(cards_expired(&c, 1901145600)); /* 2030-03-31 */
    assert_false(cards_expired(&c, 1901224799)); /* 23:59:59 on 31 March in Rome (21:59:59 UTC, summer time) */
    assert_true(cards_expired(&c, 1901224800));  /* 00:00 on 1 April in Rome, still 31 March in UTC */
    assert_true(cards_expired(&c, 1901232000));  /* 2030-04-01 UTC */
    c.exp_month = 12;
    c.exp_year = 2029;
    assert_true(cards_expired(&c, 1901145600));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_default, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test(test_expiry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
