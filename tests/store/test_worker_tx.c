/* test_worker_tx.c - a background worker's write transactions (jobs/worker.h)
 * on a real store: with the server's group they are members of it (counted in
 * its stats, and a read after the commit waits for the group to be on disk);
 * a rolled-back one leaves nothing; without a group they commit alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "jobs/worker.h"
#include "store/db_group.h"
#include "store_fixture.h"

/* A round's write: inserts an organization named name, kept or not. */
static bool round_write(db *d, db_group *g, const char *name, bool keep)
{
    assert_true(worker_tx_begin(d, g));
    assert_true(db_in_tx(d));
    assert_true(fixture_org(d, name) > 0);
    return worker_tx_end(d, keep);
}

static db *open_db(const store_fixture *f)
{
    char err[256];
    db *d = db_open(f->url, err, sizeof err);
    assert_non_null(d);
    return d;
}

static void test_with_a_group_the_round_is_a_member(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 20, err, sizeof err);
    assert_non_null(g);
    db *d = open_db(f);
    assert_true(round_write(d, g, "claimed", true));
    assert_false(db_in_tx(d));
    /* Outside any transaction: waits for the group, then reads the write. */
    assert_int_equal(fixture_count_orgs(d, "claimed"), 1);
    assert_int_equal(db_group_get_stats(g).members, 1);
    assert_int_equal(db_group_get_stats(g).groups, 1);
    assert_int_equal(fixture_count_orgs(f->d, "claimed"), 1);
    db_close(d);
    db_group_stop(g);
}

static void test_a_round_rolled_back_leaves_nothing(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 20, err, sizeof err);
    assert_non_null(g);
    db *d = open_db(f);
    assert_false(round_write(d, g, "dropped", false));
    assert_true(round_write(d, g, "kept", true));
    assert_int_equal(fixture_count_orgs(d, "kept"), 1);
    assert_int_equal(fixture_count_orgs(d, "dropped"), 0);
    db_close(d);
    db_group_stop(g);
}

static void test_without_a_group_the_round_commits_alone(void **state)
{
    store_fixture *f = *state;
    db *d = open_db(f);
    assert_true(round_write(d, NULL, "alone", true));
    assert_int_equal(db_take_group_ticket(d), 0);
    assert_int_equal(fixture_count_orgs(f->d, "alone"), 1);
    assert_false(round_write(d, NULL, "undone", false));
    assert_int_equal(fixture_count_orgs(f->d, "undone"), 0);
    db_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_with_a_group_the_round_is_a_member, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_round_rolled_back_leaves_nothing, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_without_a_group_the_round_commits_alone, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
