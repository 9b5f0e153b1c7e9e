/* test_sqlite_checks.c - on SQLite no INSERT into any table builds a temporary
 * B-tree (migration 0028: CHECK enumerations as OR chains, because SQLite 3.40
 * fills a temporary B-tree with an IN list of three or more constants on every
 * execution), and the rewritten constraints still refuse what they refused.
 * On PostgreSQL (STORE_TEST_PG_URL) there is nothing to check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "lib/buf.h"
#include "store_fixture.h"

static bool on_sqlite(void) { return !getenv("STORE_TEST_PG_URL"); }

/* "INSERT INTO t (every column but the rowid) VALUES (?, ...)". */
static void insert_sql(sqlite3 *c, const char *table, buf *sql)
{
    sqlite3_stmt *cols;
    assert_int_equal(sqlite3_prepare_v2(c, "SELECT name FROM pragma_table_info(?1) WHERE pk = 0 OR "
                                           "(SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) > 1",
                                        -1, &cols, NULL), SQLITE_OK);
    sqlite3_bind_text(cols, 1, table, -1, SQLITE_STATIC);
    buf_reset(sql);
    buf_printf(sql, "INSERT INTO \"%s\" (", table);
    int n = 0;
    while (sqlite3_step(cols) == SQLITE_ROW)
        buf_printf(sql, "%s\"%s\"", n++ ? ", " : "", (const char *)sqlite3_column_text(cols, 0));
    sqlite3_finalize(cols);
    buf_puts(sql, ") VALUES (");
    for (int i = 0; i < n; i++)
        buf_puts(sql, i ? ", ?" : "?");
    buf_puts(sql, ")");
    assert_true(n > 0);
}

/* How many OpenEphemeral instructions the program of sql has. */
static int ephemeral_opens(sqlite3 *c, const char *sql)
{
    char *explain = sqlite3_mprintf("EXPLAIN %s", sql);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c, explain, -1, &s, NULL), SQLITE_OK);
    sqlite3_free(explain);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW)
        n += !strcmp((const char *)sqlite3_column_text(s, 1), "OpenEphemeral");
    sqlite3_finalize(s);
    return n;
}

static void test_no_temporary_btree_on_insert(void **state)
{
    store_fixture *f = *state;
    if (!on_sqlite())
        skip();
    sqlite3 *c;
    assert_int_equal(sqlite3_open_v2(f->url + strlen("sqlite:"), &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables;
    assert_int_equal(sqlite3_prepare_v2(c, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                           " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &tables, NULL),
                     SQLITE_OK);
    buf sql;
    buf_init(&sql, 0);
    int checked = 0;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        insert_sql(c, t, &sql);
        int n = ephemeral_opens(c, buf_cstr(&sql));
        if (n)
            fail_msg("%s: %d temporary B-tree(s) per INSERT: %s", t, n, buf_cstr(&sql));
        checked++;
    }
    sqlite3_finalize(tables);
    buf_free(&sql);
    sqlite3_close(c);
    assert_true(checked > 50); /* every table of the schema, not an empty list */
}

static db_status insert_address(db *d, int64_t org, const char *kind)
{
    db_stmt *s = db_prepare(d, "INSERT INTO notification_addresses (org_id, kind, email, updated_at)"
                               " VALUES ($1, $2, 'a@example.com', 0)");
    assert_non_null(s);
    db_bind_int64(s, 1, org);
    db_bind_text(s, 2, kind);
    return db_exec1(s);
}

/* Both stores: an enumeration still refuses a value outside it. */
static void test_enumerations_still_refuse(void **state)
{
    store_fixture *f = *state;
    int64_t org = fixture_org(f->d, "Checks");
    assert_int_equal(insert_address(f->d, org, "status"), DB_DONE);
    assert_int_equal(insert_address(f->d, org, "billing"), DB_DONE);
    assert_int_equal(insert_address(f->d, org, "Billing"), DB_CONSTRAINT);
    assert_int_equal(insert_address(f->d, org, "other"), DB_CONSTRAINT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_temporary_btree_on_insert, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_enumerations_still_refuse, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
