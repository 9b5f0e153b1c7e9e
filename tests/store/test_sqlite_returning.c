/* test_sqlite_returning.c - INSERT ... RETURNING id answers the same through
 * db.h on both stores (the SQLite driver runs one-row INSERTs without the
 * clause and answers the id itself: sqlite_returning.h), and which statements
 * the SQLite driver takes that shortcut for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store/sqlite_returning.h"
#include "store_fixture.h"

/* A user with email; its id, 0 when ON CONFLICT DO NOTHING inserted nothing
 * (then there was no row to read either). */
static int64_t insert_user(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "INSERT INTO users (email, password_hash, name, country, language, created_at)"
                               " VALUES ($1, 'x', 'N', 'IT', 'it', 0) ON CONFLICT (email) DO NOTHING RETURNING id");
    assert_non_null(s);
    db_bind_text(s, 1, email);
    db_status st = db_step(s);
    int64_t id = 0;
    if (st == DB_ROW) {
        id = db_col_int64(s, 0);
        assert_false(db_col_is_null(s, 0));
        st = db_step(s);
    }
    assert_int_equal(st, DB_DONE); /* one row at most, then the end */
    db_done(s);
    return id;
}

static void test_ids_through_db_h(void **state)
{
    store_fixture *f = *state;
    int64_t a = insert_user(f->d, "a@example.com");
    int64_t b = insert_user(f->d, "b@example.com");
    assert_true(a > 0 && b > a);
    assert_int_equal(insert_user(f->d, "a@example.com"), 0); /* the key is taken: no row */
    assert_int_equal(db_changes(f->d), 0);
    int64_t c = insert_user(f->d, "c@example.com");
    assert_true(c > b);
    db_stmt *s = db_prepare(f->d, "SELECT email FROM users WHERE id = $1");
    db_bind_int64(s, 1, b);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "b@example.com");
    db_done(s);
    assert_true(fixture_org(f->d, "Org") > 0); /* a plain INSERT ... RETURNING id */
}

static sqlite3 *schema(void)
{
    sqlite3 *c;
    assert_int_equal(sqlite3_open(":memory:", &c), SQLITE_OK);
    assert_int_equal(sqlite3_exec(c, "CREATE TABLE r (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v INTEGER);"
                                     "CREATE TABLE w (id INTEGER PRIMARY KEY, k TEXT) WITHOUT ROWID;"
                                     "CREATE TABLE t (id TEXT PRIMARY KEY, k TEXT);",
                                  NULL, NULL, NULL), SQLITE_OK);
    return c;
}

static void test_which_statements(void **state)
{
    (void)state;
    sqlite3 *c = schema();
    size_t len = 0;
    const char *yes = "INSERT INTO r (k, v) VALUES ($1, '(,)') RETURNING id";
    assert_true(sqlite_returning_rowid(c, yes, &len));
    assert_int_equal(len, strlen(yes) - strlen(" RETURNING id"));
    assert_true(sqlite_returning_rowid(c, "INSERT INTO r (k) VALUES ($1) ON CONFLICT (k) DO NOTHING RETURNING id", &len));
    const char *no[] = {
        "INSERT INTO r (k) VALUES ($1), ($2) RETURNING id",                         /* two rows */
        "INSERT INTO r (k) SELECT k FROM r RETURNING id",                            /* any number */
        "INSERT INTO r (k) VALUES ($1) ON CONFLICT (k) DO UPDATE SET v = 1 RETURNING id", /* an update */
        "INSERT INTO r (k) VALUES ($1) RETURNING id, k",                             /* more columns */
        "INSERT INTO r (k) VALUES ($1)",                                             /* nothing returned */
        "UPDATE r SET v = 1 WHERE k = $1 RETURNING id",                              /* not an INSERT */
        "INSERT INTO w (id, k) VALUES ($1, $2) RETURNING id",                        /* no rowid */
        "INSERT INTO t (id, k) VALUES ($1, $2) RETURNING id",                        /* id is not the rowid */
        "INSERT INTO missing (k) VALUES ($1) RETURNING id",                          /* no such table */
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (sqlite_returning_rowid(c, no[i], &len))
            fail_msg("taken for a one-row rowid INSERT: %s", no[i]);
    sqlite3_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ids_through_db_h, store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test(test_which_statements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
