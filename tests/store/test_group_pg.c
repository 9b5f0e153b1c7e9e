/* test_group_pg.c - the group writer on PostgreSQL, which groups by flush
 * (store/db_group.h): a member commits its own transaction without waiting
 * for the WAL's flush, members run side by side, a member is told durable
 * only once a flush covers its commit, the group's connection, dropped
 * between two flushes, is opened again, and a server restart between a
 * member's commit and its flush stops the process. Skipped on SQLite
 * (test_group_sync covers its log sync).
 *
 * The flush test slows the server's WAL writer (wal_writer_delay 10 s, reset
 * afterwards) so that only the group's own flush can have made the commit
 * durable by the time the member is told. The restart test holds the
 * group's flush at a gate of its own (the binary's PQexec) and stops and
 * starts the server with scripts/pg-test-cluster.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db_group.h"
#include "store_fixture.h"

enum { GROUP_MS = 2 };

/* A group writer on the fixture's database, which must group by flush
 * (PostgreSQL); the test is skipped elsewhere. */
static db_group *flush_group(const store_fixture *f)
{
    if (!db_groups_by_flush(f->d))
        skip();
    char err[256];
    db_group *g = db_group_start(f->url, GROUP_MS, err, sizeof err);
    assert_non_null(g);
    return g;
}

/* The text value of a one-row query on d. */
static const char *value_of(db *d, const char *sql, char *out, size_t size)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    snprintf(out, size, "%s", db_col_text(s, 0));
    db_done(s);
    return out;
}

static void exec_ok(db *d, const char *sql) { assert_int_equal(db_exec_script(d, sql), DB_OK); }

/* One grouped request inserting name, checking that its transaction does
 * not wait for the flush; *lsn (when not NULL): the server's WAL insert
 * position after the insert, so before the commit record. Returns its
 * outcome. */
static db_group_outcome member(const store_fixture *f, db_group *g, const char *name, char *lsn, size_t size)
{
    char setting[16];
    db *m = fixture_member(f, g);
    db_group_next(m);
    assert_int_equal(db_begin(m, DB_TX_WRITE), DB_OK);
    assert_string_equal(value_of(m, "SHOW synchronous_commit", setting, sizeof setting), "off");
    fixture_org(m, name);
    if (lsn)
        value_of(m, "SELECT pg_current_wal_insert_lsn()::text", lsn, size);
    assert_int_equal(db_commit(m), DB_OK);
    assert_int_equal(db_release_all(m), 0);
    db_group_outcome o = db_group_wait(g, db_take_group_ticket(m));
    db_close(m);
    return o;
}

/* Terminates the backends of pids_sql (a query of pg_stat_activity's pid) and
 * waits for each to be gone. */
static void terminate(db *d, const char *pids_sql)
{
    char sql[512], n[16];
    snprintf(sql, sizeof sql, "SELECT count(pg_terminate_backend(pid, 5000)) FROM (%s) t", pids_sql);
    value_of(d, sql, n, sizeof n);
    assert_string_not_equal(n, "0");
}

static void test_members_are_told_after_the_flush(void **state)
{
    store_fixture *f = *state;
    db_group *g = flush_group(f);
    exec_ok(f->d, "ALTER SYSTEM SET wal_writer_delay = '10s'");
    exec_ok(f->d, "SELECT pg_reload_conf()");
    char lsn[64];
    for (int i = 0; i < 5; i++) {
        char name[32], sql[128], flushed[8];
        snprintf(name, sizeof name, "flushed %d", i);
        assert_int_equal(member(f, g, name, lsn, sizeof lsn), DB_GROUP_DURABLE);
        snprintf(sql, sizeof sql, "SELECT (pg_current_wal_flush_lsn() >= '%s'::pg_lsn)::text", lsn);
        assert_string_equal(value_of(f->d, sql, flushed, sizeof flushed), "true");
    }
    assert_int_equal(fixture_count_orgs(f->d, "flushed %"), 5);
    db_group_stats st = db_group_get_stats(g);
    assert_int_equal(st.members, 5);
    db_group_stop(g);
    exec_ok(f->d, "ALTER SYSTEM RESET wal_writer_delay");
    exec_ok(f->d, "SELECT pg_reload_conf()");
}

typedef struct second {
    const store_fixture *f;
    db_group *g;
    db_group_outcome outcome;
} second;

static void *second_main(void *arg)
{
    second *s = arg;
    s->outcome = member(s->f, s->g, "second", NULL, 0);
    return NULL;
}

/* The second member begins, writes, commits and is told while the first is
 * still inside its transaction: grouping by transaction would keep it
 * waiting for the group's one connection until the first is done. */
static void test_members_run_side_by_side(void **state)
{
    store_fixture *f = *state;
    db_group *g = flush_group(f);
    db *first = fixture_member(f, g);
    db_group_next(first);
    assert_int_equal(db_begin(first, DB_TX_WRITE), DB_OK);
    fixture_org(first, "first");
    second s = {f, g, DB_GROUP_PENDING};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_main, &s), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    assert_int_equal(pthread_timedjoin_np(t, NULL, &until), 0);
    assert_int_equal(s.outcome, DB_GROUP_DURABLE);
    assert_int_equal(db_commit(first), DB_OK);
    assert_int_equal(db_release_all(first), 0);
    assert_int_equal(db_group_wait(g, db_take_group_ticket(first)), DB_GROUP_DURABLE);
    db_close(first);
    assert_int_equal(fixture_count_orgs(f->d, "first"), 1);
    assert_int_equal(fixture_count_orgs(f->d, "second"), 1);
    db_group_stop(g);
}

static void test_a_dropped_connection_is_opened_again(void **state)
{
    store_fixture *f = *state;
    db_group *g = flush_group(f);
    assert_int_equal(member(f, g, "before", NULL, 0), DB_GROUP_DURABLE);
    terminate(f->d, "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_logical_emit_message%'"
                    " AND pid <> pg_backend_pid()");
    assert_int_equal(member(f, g, "after", NULL, 0), DB_GROUP_DURABLE);
    assert_int_equal(fixture_count_orgs(f->d, "after"), 1);
    db_group_stop(g);
}

/* The gate on the group's flush in the restart test's child: the test
 * binary's own PQexec (found before libpq's) holds the flush query until a
 * byte can be read from flush_gate, once; -1: no gate. */
static int flush_gate = -1;

PGresult *PQexec(PGconn *conn, const char *query)
{
    PGresult *(*real)(PGconn *, const char *) = (PGresult * (*)(PGconn *, const char *)) dlsym(RTLD_NEXT, "PQexec");
    int gate = flush_gate;
    if (gate >= 0 && strstr(query, "saldo.group")) {
        char c;
        flush_gate = -1;
        if (read(gate, &c, 1) != 1)
            _exit(7);
    }
    return real(conn, query);
}

/* Stops the fixture's cluster's server or starts it again with the options
 * it last ran with (scripts/pg-test-cluster.sh; the tests run from the source
 * root). The stop is fast: a crash would be the same to saldo, but its
 * recovery syncs every file of the cluster's many test databases. */
static void pg_server(const char *cluster_dir, bool start)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "scripts/pg-test-cluster.sh %s '%s'", start ? "server-start" : "server-stop",
             cluster_dir);
    assert_int_equal(system(cmd), 0);
}

static void put_byte(int fd) { assert_int_equal(write(fd, "x", 1), 1); }

/* The child of the restart test: a group writer whose member commits, then
 * waits to be told durable; the flush of its group is held at the gate
 * (go). Exit codes: 2 no group, 5 told durable, 6 told failed. */
static void restart_child(const store_fixture *f, int committed, int go, const char *err_file)
{
    char err[256];
    db_group *g = db_group_start(f->url, GROUP_MS, err, sizeof err);
    int e = open(err_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (e < 0 || dup2(e, STDERR_FILENO) < 0 || !g)
        _exit(2);
    flush_gate = go;
    db *m = fixture_member(f, g);
    db_group_next(m);
    assert_int_equal(db_begin(m, DB_TX_WRITE), DB_OK);
    fixture_org(m, "restarted");
    assert_int_equal(db_commit(m), DB_OK);
    assert_int_equal(db_release_all(m), 0);
    uint64_t ticket = db_take_group_ticket(m);
    put_byte(committed);
    _exit(db_group_wait(g, ticket) == DB_GROUP_DURABLE ? 5 : 6);
}

/* The member committed without waiting for the disk and the server stopped
 * before the group's flush, then came back: had it crashed, the member's
 * commit may be gone, so the process stops (SIGABRT) rather than
 * tell it anything, saying why. The flush first finds the server down and
 * waits for it (a dropped connection in the same run carries on:
 * test_a_dropped_connection_is_opened_again). */
static void test_a_restart_before_the_flush_stops_the_process(void **state)
{
    store_fixture *f = *state;
    if (!db_groups_by_flush(f->d))
        skip();
    char cluster_dir[512], err_file[300], said[512] = "", c;
    value_of(f->d, "SHOW data_directory", cluster_dir, sizeof cluster_dir);
    char *data = strrchr(cluster_dir, '/');
    assert_true(data && !strcmp(data, "/data")); /* the layout of pg-test-cluster.sh */
    *data = 0;
    snprintf(err_file, sizeof err_file, "%s/child.err", f->dir);
    int committed[2], go[2];
    assert_int_equal(pipe(committed), 0);
    assert_int_equal(pipe(go), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        restart_child(f, committed[1], go[0], err_file);
    close(committed[1]);
    assert_int_equal(read(committed[0], &c, 1), 1);
    pg_server(cluster_dir, false);
    put_byte(go[1]);
    nanosleep(&(struct timespec){0, 300 * 1000000L}, NULL); /* the flush meets no server */
    pg_server(cluster_dir, true);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(committed[0]), close(go[0]), close(go[1]);
    FILE *e = fopen(err_file, "r");
    assert_non_null(e);
    said[fread(said, 1, sizeof said - 1, e)] = 0;
    fclose(e);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    if (!strstr(said, "restarted before the group's flush"))
        fail_msg("the process said: %s", said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_members_are_told_after_the_flush, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_members_run_side_by_side, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_dropped_connection_is_opened_again, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_a_restart_before_the_flush_stops_the_process, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
