/* test_read_scope.c - db_read_scope: a request's reads share one snapshot; a
 * write, db_begin and db_release_all end it, so later reads see what was
 * written. On PostgreSQL the scope is a no-op and each read sees the latest
 * commit, which these tests also accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "store_fixture.h"

static int64_t orgs(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM orgs");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int64(s, 0);
    db_done(s);
    return n;
}

static bool sqlite(const store_fixture *f)
{
    return !strcmp(db_driver_name(f->d), "sqlite");
}

/* Another connection's commit is not seen inside the scope (SQLite), and is
 * once the scope ends. */
static void test_reads_share_a_snapshot(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db *other = db_open(f->url, err, sizeof err);
    assert_non_null(other);
    db_read_scope(f->d);
    int64_t before = orgs(f->d);
    fixture_org(other, "Meanwhile");
    assert_int_equal(orgs(f->d), sqlite(f) ? before : before + 1);
    assert_false(db_in_tx(f->d));
    assert_int_equal(db_release_all(f->d), 0);
    assert_int_equal(orgs(f->d), before + 1);
    db_close(other);
}

/* A write statement in the scope ends its read transaction first: it runs on
 * the latest data and the reads after it see it. */
static void test_write_ends_the_snapshot(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db *other = db_open(f->url, err, sizeof err);
    assert_non_null(other);
    db_read_scope(f->d);
    int64_t before = orgs(f->d);
    fixture_org(other, "Elsewhere");
    fixture_org(f->d, "Here");
    assert_int_equal(orgs(f->d), before + 2);
    db_release_all(f->d);
    db_close(other);
}

/* db_begin inside the scope: the write transaction sees the latest commit,
 * and its own writes are there after the commit. */
static void test_begin_inside_the_scope(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db *other = db_open(f->url, err, sizeof err);
    assert_non_null(other);
    db_read_scope(f->d);
    int64_t before = orgs(f->d);
    fixture_org(other, "Meanwhile");
    assert_int_equal(db_begin(f->d, DB_TX_WRITE), DB_OK);
    assert_int_equal(orgs(f->d), before + 1);
    fixture_org(f->d, "In the transaction");
    assert_int_equal(db_commit(f->d), DB_OK);
    assert_int_equal(orgs(f->d), before + 2);
    db_release_all(f->d);
    db_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_share_a_snapshot, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_write_ends_the_snapshot, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_begin_inside_the_scope, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
