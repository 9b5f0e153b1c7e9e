/* test_group_commit.c - the group writer (store/db_group.h) on a real store:
 * many threads' write transactions grouped, each successful one present once
 * its group is durable, a failing one absent and its neighbours present, a
 * failed COMMIT failing the whole group (nothing of it exists, nobody told
 * durable), a member reading its own writes outside the transaction, and
 * db_settle waiting for the group.
 *
 * A "holder" connection marked with db_group_next and not yet released is a
 * request still being served: the committer then waits for the group's
 * maximum age, which keeps a test's members in one group deterministically. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/db_group.h"
#include "store_fixture.h"

enum { THREADS = 8, PER_THREAD = 40, HOLD_MS = 1000 };

static db_status insert_org(db *d, const char *name)
{
    db_stmt *s = db_prepare(d, "INSERT INTO orgs (name, created_at) VALUES ($1, 0)");
    if (!s)
        return DB_ERROR;
    db_bind_text(s, 1, name);
    return db_exec1(s);
}

/* One grouped request: its transaction inserts name, then commits (keep) or
 * rolls back; returns its ticket once released. */
static uint64_t member(db *d, const char *name, bool keep)
{
    db_group_next(d);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(d, name), DB_DONE);
    if (keep)
        assert_int_equal(db_commit(d), DB_OK);
    else
        db_rollback(d);
    assert_int_equal(db_release_all(d), 0);
    uint64_t t = db_take_group_ticket(d);
    assert_true(t > 0);
    return t;
}

typedef struct worker {
    const store_fixture *f;
    db_group *g;
    int no;
    int kept, failed; /* answered durable; the request's own rollbacks */
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    db *d = fixture_member(w->f, w->g);
    for (int i = 0; i < PER_THREAD; i++) {
        char name[64];
        bool keep = (i + w->no) % 5 != 0; /* every fifth request fails */
        snprintf(name, sizeof name, "%s-%d-%d", keep ? "ok" : "bad", w->no, i);
        uint64_t t = member(d, name, keep);
        assert_int_equal(db_group_wait(w->g, t), DB_GROUP_DURABLE);
        w->kept += keep;
        w->failed += !keep;
    }
    db_close(d);
    return NULL;
}

/* Eight threads, 320 requests, every fifth rolled back: every request told
 * durable is there, no rolled-back one is, and they shared groups. */
static void test_many_threads(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 2, err, sizeof err);
    assert_non_null(g);
    pthread_t th[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.f = f, .g = g, .no = i};
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    int kept = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        kept += w[i].kept;
    }
    db_group_stats st = db_group_get_stats(g);
    db_group_stop(g);
    assert_int_equal(fixture_count_orgs(f->d, "ok-%"), kept);
    assert_int_equal(fixture_count_orgs(f->d, "bad-%"), 0);
    assert_int_equal(st.members, THREADS * PER_THREAD);
    assert_int_equal(st.failed, 0);
    assert_true(st.groups < st.members); /* some requests shared a group */
    fprintf(stderr, "# %d members in %d groups\n", (int)st.members, (int)st.groups);
}

/* Three requests in one group; the middle one fails on a constraint and
 * rolls back. Before the group's commit nothing is durable, nor visible
 * elsewhere where the members share the group's transaction; after it the
 * two others are there and the failed one is not. */
static void test_a_failing_request_spares_its_neighbours(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, HOLD_MS, err, sizeof err);
    assert_non_null(g);
    db *holder = fixture_member(f, g), *a = fixture_member(f, g), *b = fixture_member(f, g), *c = fixture_member(f, g);
    db_group_next(holder);
    uint64_t ta = member(a, "first", true);
    db_group_next(b);
    assert_int_equal(db_begin(b, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(b, "second"), DB_DONE);
    assert_int_not_equal(insert_org(b, NULL), DB_DONE); /* name is NOT NULL */
    db_rollback(b);
    db_release_all(b);
    uint64_t tb = db_take_group_ticket(b);
    uint64_t tc = member(c, "third", true);
    assert_true(ta == tb && tb == tc);
    assert_int_equal(db_group_watch(g, ta, NULL, NULL), DB_GROUP_PENDING);
    assert_int_equal(fixture_count_orgs(f->d, "first"), db_groups_by_flush(f->d) ? 1 : 0);
    db_release_all(holder); /* nobody is served any more: the group commits */
    assert_int_equal(db_group_wait(g, ta), DB_GROUP_DURABLE);
    assert_int_equal(fixture_count_orgs(f->d, "first"), 1);
    assert_int_equal(fixture_count_orgs(f->d, "second"), 0);
    assert_int_equal(fixture_count_orgs(f->d, "third"), 1);
    db_close(holder), db_close(a), db_close(b), db_close(c);
    db_group_stop(g);
}

/* The group's COMMIT fails (fault injected on its connection): every member
 * is told failed and none of their writes exist; the next group works.
 * Grouping by transaction only: by flush, members commit alone. */
static void test_a_failed_commit_fails_the_whole_group(void **state)
{
    store_fixture *f = *state;
    if (db_groups_by_flush(f->d))
        skip();
    char err[256];
    db_group *g = db_group_start(f->url, HOLD_MS, err, sizeof err);
    assert_non_null(g);
    db *holder = fixture_member(f, g), *a = fixture_member(f, g), *b = fixture_member(f, g);
    db_group_next(holder);
    uint64_t ta = member(a, "doomed-a", true);
    uint64_t tb = member(b, "doomed-b", true);
    assert_int_equal(ta, tb);
    db_fail_after(db_group_connection(g), 1); /* its next statement: the COMMIT */
    db_release_all(holder);
    assert_int_equal(db_group_wait(g, ta), DB_GROUP_FAILED);
    assert_int_equal(db_group_watch(g, tb, NULL, NULL), DB_GROUP_FAILED);
    assert_int_equal(fixture_count_orgs(f->d, "doomed-%"), 0);
    assert_int_equal(db_group_get_stats(g).failed, 1);
    uint64_t t = member(a, "after", true);
    assert_true(t > ta);
    assert_int_equal(db_group_wait(g, t), DB_GROUP_DURABLE);
    assert_int_equal(fixture_count_orgs(f->d, "after"), 1);
    db_close(holder), db_close(a), db_close(b);
    db_group_stop(g);
}

/* A member reading outside its transaction, after it, waits for its group
 * and sees its own write on its own connection. */
static void test_reads_after_the_transaction_see_its_writes(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 20, err, sizeof err);
    assert_non_null(g);
    db *a = fixture_member(f, g);
    db_group_next(a);
    assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(a, "mine"), DB_DONE);
    assert_int_equal(db_commit(a), DB_OK);
    assert_int_equal(fixture_count_orgs(a, "mine"), 1); /* waits for the group */
    db_release_all(a);
    assert_int_equal(db_group_watch(g, db_take_group_ticket(a), NULL, NULL), DB_GROUP_DURABLE);
    db_close(a);
    db_group_stop(g);
}

/* A connection not marked with db_group_next writes on its own, as before. */
static void test_unmarked_requests_commit_alone(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 2, err, sizeof err);
    assert_non_null(g);
    db *a = fixture_member(f, g);
    assert_int_equal(db_begin(a, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(a, "alone"), DB_DONE);
    assert_int_equal(db_commit(a), DB_OK);
    db_release_all(a);
    assert_int_equal(db_take_group_ticket(a), 0);
    assert_int_equal(fixture_count_orgs(f->d, "alone"), 1);
    assert_int_equal(db_group_get_stats(g).members, 0);
    db_close(a);
    db_group_stop(g);
}

/* One grouped write transaction of d, committed, its request still served. */
static void commit_member(db *d, const char *name)
{
    db_group_next(d);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(d, name), DB_DONE);
    assert_int_equal(db_commit(d), DB_OK);
}

/* db_settle, before a request acts outside the store (the payment gateway):
 * it returns once the group is durable, and false when the group failed. A
 * holder keeps the group open until its maximum age. */
static void test_settle_waits_for_the_group(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, 50, err, sizeof err);
    assert_non_null(g);
    db *holder = fixture_member(f, g), *a = fixture_member(f, g);
    db_group_next(holder);
    commit_member(a, "settled");
    assert_true(db_settle(a));
    db_release_all(a);
    assert_int_equal(db_group_watch(g, db_take_group_ticket(a), NULL, NULL), DB_GROUP_DURABLE);
    if (db_groups_by_flush(f->d)) { /* no group COMMIT to fail */
        db_release_all(holder);
        db_close(holder), db_close(a);
        db_group_stop(g);
        return;
    }

    commit_member(a, "vanished");
    db_fail_after(db_group_connection(g), 1); /* the group's COMMIT */
    assert_false(db_settle(a));
    db_release_all(a);
    assert_int_equal(db_group_watch(g, db_take_group_ticket(a), NULL, NULL), DB_GROUP_FAILED);
    assert_int_equal(fixture_count_orgs(f->d, "settled"), 1);
    assert_int_equal(fixture_count_orgs(f->d, "vanished"), 0);
    assert_true(db_settle(a)); /* nothing committed since */
    db_release_all(holder);
    db_close(holder), db_close(a);
    db_group_stop(g);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A write transaction of its own (a route not grouped) does not wait for the
 * open group's maximum age: the group commits at once to let it write
 * (SQLite's one write lock), and no new group opens until it is done. */
static void test_a_writer_outside_the_group_is_not_kept_waiting(void **state)
{
    store_fixture *f = *state;
    char err[256];
    db_group *g = db_group_start(f->url, HOLD_MS, err, sizeof err);
    assert_non_null(g);
    db *holder = fixture_member(f, g), *a = fixture_member(f, g), *out = fixture_member(f, g);
    db_group_next(holder);
    uint64_t t = member(a, "grouped", true);
    double t0 = now_s();
    assert_int_equal(db_begin(out, DB_TX_WRITE), DB_OK);
    assert_int_equal(insert_org(out, "outside"), DB_DONE);
    assert_int_equal(db_commit(out), DB_OK);
    assert_true(now_s() - t0 < HOLD_MS / 2000.0);
    assert_int_equal(db_group_wait(g, t), DB_GROUP_DURABLE);
    assert_int_equal(fixture_count_orgs(f->d, "grouped"), 1);
    assert_int_equal(fixture_count_orgs(f->d, "outside"), 1);
    db_release_all(holder);
    db_close(holder), db_close(a), db_close(out);
    db_group_stop(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_threads, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_failing_request_spares_its_neighbours, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_commit_fails_the_whole_group, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reads_after_the_transaction_see_its_writes, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unmarked_requests_commit_alone, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_writer_outside_the_group_is_not_kept_waiting, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_settle_waits_for_the_group, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
