/* test_checkpoint.c - the checkpointer of `saldo serve` (sqlite_checkpoint.h):
 * connections opened while it runs leave SQLite's automatic checkpoint off and
 * it copies the log into the database file itself once the log passes its
 * threshold; without it (stopped) nothing copies the log of such connections;
 * under reads that never stop, the log still starts over (RESTART) instead of
 * growing. SQLite only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_checkpoint.h"
#include "store_fixture.h"

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Writes about rounds * threshold pages of rows through d, in small commits. */
static void write_pages(db *d, int rounds)
{
    assert_int_equal(db_exec_script(d, "CREATE TABLE IF NOT EXISTS bulk (v TEXT NOT NULL)"), DB_OK);
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (int i = 0; i < rounds * SQLITE_CHECKPOINT_PAGES; i++) {
        assert_int_equal(db_begin(d, DB_TX_WRITE), DB_OK);
        db_stmt *s = db_prepare(d, "INSERT INTO bulk (v) VALUES ($1)");
        db_bind_text(s, 1, big);
        assert_int_equal(db_exec1(s), DB_DONE);
        assert_int_equal(db_commit(d), DB_OK);
    }
}

/* Starts the checkpointer on f's database and opens a connection while it
 * runs (so without SQLite's automatic checkpoint); path: the database file's
 * path with suffix ("" or "-wal"). */
static db *open_with_checkpointer(store_fixture *f, const char *suffix, char *path, size_t size)
{
    char err[256];
    snprintf(path, size, "%s%s", f->url + strlen("sqlite:"), suffix);
    assert_true(sqlite_checkpointer_start(f->url, err, sizeof err));
    db *d = db_open(f->url, err, sizeof err);
    assert_non_null(d);
    return d;
}

static void test_the_thread_copies_the_log(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        skip();
    char path[300];
    db *d = open_with_checkpointer(f, "", path, sizeof path);
    long before = file_size(path);
    write_pages(d, 2);
    long after = before;
    for (int i = 0; i < 100 && after < before + 1000L * 3000; i++, usleep(50 * 1000))
        after = file_size(path);
    assert_true(after >= before + 1000L * 3000); /* most rows are in the database file */
    db_close(d);
    sqlite_checkpointer_stop();
}

static void test_without_it_the_log_waits(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        skip();
    char path[300];
    db *d = open_with_checkpointer(f, "", path, sizeof path);
    sqlite_checkpointer_stop(); /* d keeps its automatic checkpoint off: nothing copies its log */
    long before = file_size(path);
    write_pages(d, 2);
    usleep(300 * 1000);
    assert_true(file_size(path) < before + 1000L * 3000);
    db_close(d);
}

/* Short read transactions back to back, as a busy server makes them. */
typedef struct reader {
    const char *url;
    atomic_bool stop;
} reader;

static void *read_loop(void *arg)
{
    reader *rd = arg;
    char err[256];
    db *d = db_open(rd->url, err, sizeof err);
    assert_non_null(d);
    while (!atomic_load(&rd->stop)) {
        assert_int_equal(db_begin(d, DB_TX_READ), DB_OK);
        db_stmt *s = db_prepare(d, "SELECT count(*) FROM sqlite_schema");
        assert_int_equal(db_step(s), DB_ROW);
        db_done(s);
        assert_int_equal(db_commit(d), DB_OK);
    }
    db_close(d);
    return NULL;
}

static void test_the_log_starts_over_under_reads(void **state)
{
    store_fixture *f = *state;
    if (strcmp(db_driver_name(f->d), "sqlite"))
        skip();
    char wal[300];
    db *d = open_with_checkpointer(f, "-wal", wal, sizeof wal);
    reader rd = {.url = f->url};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, read_loop, &rd), 0);
    write_pages(d, 12);
    atomic_store(&rd.stop, true);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    /* 12,000 pages written; the log file keeps its largest size, which stays
     * near the restart threshold (4,000 frames of 4 KiB) instead of 12,000. */
    long size = file_size(wal);
    assert_true(size > 0 && size < 8L * SQLITE_CHECKPOINT_PAGES * 4096);
    db_close(d);
    sqlite_checkpointer_stop();
}

static void test_not_sqlite_starts_nothing(void **state)
{
    (void)state;
    char err[64];
    assert_true(sqlite_checkpointer_start("postgresql://127.0.0.1:1/none", err, sizeof err));
    assert_false(sqlite_checkpointer_running());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_thread_copies_the_log, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_without_it_the_log_waits, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_the_log_starts_over_under_reads, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test(test_not_sqlite_starts_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
