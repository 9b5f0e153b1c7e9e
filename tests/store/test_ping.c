/* test_ping.c - db_ping and db_broken, what /readyz and the reconnecting
 * pool threads rely on: a healthy database answers, also inside a request's
 * read scope; a SQLite file renamed away fails until it is back; a PostgreSQL
 * connection the server dropped fails, says it is broken, and a new one works. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store_fixture.h"

static bool sqlite(const store_fixture *f)
{
    return !strcmp(db_driver_name(f->d), "sqlite");
}

static void test_a_healthy_database_answers(void **state)
{
    store_fixture *f = *state;
    char err[512] = "";
    assert_true(db_ping(f->d, err, sizeof err));
    assert_false(db_broken(f->d));
    db_read_scope(f->d); /* a request's reads hold a read transaction; ping ends it */
    fixture_org(f->d, "Before the ping");
    db_stmt *s = db_prepare(f->d, "SELECT COUNT(*) FROM orgs");
    assert_int_equal(db_step(s), DB_ROW);
    db_done(s);
    assert_true(db_ping(f->d, err, sizeof err));
    assert_int_equal(db_release_all(f->d), 0);
}

static void test_sqlite_file_moved_away(void **state)
{
    store_fixture *f = *state;
    if (!sqlite(f))
        skip();
    const char *path = f->url + strlen("sqlite:");
    char away[300];
    snprintf(away, sizeof away, "%s.away", path);
    char err[512] = "";
    assert_int_equal(rename(path, away), 0);
    assert_false(db_ping(f->d, err, sizeof err));
    assert_non_null(strstr(err, "removed or renamed"));
    assert_false(db_broken(f->d)); /* SQLite connections never break: the file comes back */
    assert_int_equal(rename(away, path), 0);
    assert_true(db_ping(f->d, err, sizeof err));
}

static void test_pg_connection_dropped(void **state)
{
    store_fixture *f = *state;
    if (sqlite(f))
        skip();
    db_stmt *s = db_prepare(f->d, "SELECT pg_backend_pid()");
    assert_int_equal(db_step(s), DB_ROW);
    int64_t pid = db_col_int64(s, 0);
    db_done(s);
    char err[512] = "";
    db *admin = db_open(f->url, err, sizeof err);
    assert_non_null(admin);
    s = db_prepare(admin, "SELECT pg_terminate_backend(CAST($1 AS INTEGER))");
    db_bind_int64(s, 1, pid);
    assert_int_equal(db_step(s), DB_ROW);
    db_done(s);
    assert_false(db_ping(f->d, err, sizeof err));
    assert_true(db_broken(f->d));
    db_close(f->d); /* what the pool thread does: a new connection */
    f->d = db_open(f->url, err, sizeof err);
    assert_non_null(f->d);
    assert_true(db_ping(f->d, err, sizeof err));
    assert_false(db_broken(f->d));
    db_close(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_healthy_database_answers, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_file_moved_away, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pg_connection_dropped, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
