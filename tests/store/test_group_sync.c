/* test_group_sync.c - the group writer syncs each group's log after its
 * COMMIT (store/db_group.h, db_defer_sync in store/db.h): its members are
 * told durable only once the sync returned, the next group runs on the
 * connection during the sync, and a sync that fails stops the process.
 *
 * This binary defines fdatasync, so every call of the process (SQLite's and
 * the group's) comes here first: a sync of a "-wal" file can be held at a
 * gate or made to fail, then the real system call runs. SQLite only: the
 * server's own sync on PostgreSQL is tested in test_group_pg. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db_group.h"
#include "store_fixture.h"

enum { HOLD_MS = 1000, GATE_TIMEOUT_S = 10 };

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool gate_closed;   /* log syncs wait here until it opens */
static bool gate_reached;  /* a log sync is waiting at the gate */
static bool gate_gave_up;  /* it waited GATE_TIMEOUT_S and went on */
static bool syncs_fail;    /* log syncs fail with EIO */
static int log_syncs;

static bool is_log(int fd)
{
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 4)
        return false;
    path[n] = '\0';
    return !strcmp(path + n - 4, "-wal");
}

static void wait_at_gate(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += GATE_TIMEOUT_S;
    gate_reached = true;
    pthread_cond_broadcast(&gate_cv);
    while (gate_closed && !gate_gave_up)
        if (pthread_cond_timedwait(&gate_cv, &gate_mu, &until) == ETIMEDOUT)
            gate_gave_up = true;
}

int fdatasync(int fd)
{
    if (is_log(fd)) {
        pthread_mutex_lock(&gate_mu);
        log_syncs++;
        bool fail = syncs_fail;
        if (gate_closed)
            wait_at_gate();
        pthread_mutex_unlock(&gate_mu);
        if (fail) {
            errno = EIO;
            return -1;
        }
    }
    return (int)syscall(SYS_fdatasync, fd);
}

static void set_gate(bool closed)
{
    pthread_mutex_lock(&gate_mu);
    gate_closed = closed;
    gate_reached = gate_gave_up = false;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
}

static bool gate_waited_on(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += GATE_TIMEOUT_S;
    pthread_mutex_lock(&gate_mu);
    int rc = 0;
    while (!gate_reached && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&gate_cv, &gate_mu, &until);
    bool reached = gate_reached;
    pthread_mutex_unlock(&gate_mu);
    return reached;
}

static int syncs_so_far(void)
{
    pthread_mutex_lock(&gate_mu);
    int n = log_syncs;
    pthread_mutex_unlock(&gate_mu);
    return n;
}

/* One grouped request inserting an organization; its ticket. */
static uint64_t member(db *d, const char *name)
{
    db_group_next(d);
    assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
    assert_true(fixture_org(d, name) > 0);
    assert_int_equal(db_commit(d), DB_OK);
    assert_int_equal(db_release_all(d), 0);
    return db_take_group_ticket(d);
}

/* Group 1 is committed and its log sync held at the gate: its member is not
 * told anything yet (readers already see its row), and a member of group 2
 * writes on the connection meanwhile. Opening the gate tells both durable. */
static void test_members_are_told_after_the_sync_and_the_next_group_runs_during_it(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        skip();
    char err[256];
    db_group *g = db_group_start(f->url, HOLD_MS, err, sizeof err);
    assert_non_null(g);
    db *holder = fixture_member(f, g), *a = fixture_member(f, g), *b = fixture_member(f, g);
    db_group_next(holder);
    uint64_t t1 = member(a, "first");
    int syncs = syncs_so_far();
    set_gate(true);
    db_release_all(holder); /* nobody is served: group 1 commits, then syncs */
    assert_true(gate_waited_on());
    assert_int_equal(db_group_watch(g, t1, NULL, NULL), DB_GROUP_PENDING);
    assert_int_equal(fixture_count_orgs(f->d, "first"), 1);

    uint64_t t2 = member(b, "second"); /* the connection is free during the sync */
    assert_true(t2 == t1 + 1);
    assert_int_equal(db_group_watch(g, t2, NULL, NULL), DB_GROUP_PENDING);
    pthread_mutex_lock(&gate_mu);
    bool gave_up = gate_gave_up;
    pthread_mutex_unlock(&gate_mu);
    assert_false(gave_up); /* group 2's member did not need group 1's sync to finish */

    set_gate(false);
    assert_int_equal(db_group_wait(g, t1), DB_GROUP_DURABLE);
    assert_int_equal(db_group_wait(g, t2), DB_GROUP_DURABLE);
    assert_true(syncs_so_far() >= syncs + 2); /* one sync per group */
    assert_int_equal(fixture_count_orgs(f->d, "second"), 1);
    db_close(holder), db_close(a), db_close(b);
    db_group_stop(g);
}

/* In a child process: the log sync fails after a group's COMMIT, so the disk
 * may not hold what readers saw. The process stops (SIGABRT) rather than
 * tell the member anything. */
static void test_a_failed_sync_stops_the_process(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        skip();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[256];
        db_group *g = db_group_start(f->url, 2, err, sizeof err);
        if (!g)
            _exit(2);
        db *a = fixture_member(f, g);
        syncs_fail = true;
        uint64_t t = member(a, "lost");
        db_group_outcome o = db_group_wait(g, t);
        _exit(o == DB_GROUP_DURABLE ? 3 : 4); /* not reached: abort() first */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_members_are_told_after_the_sync_and_the_next_group_runs_during_it,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_failed_sync_stops_the_process, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
