/* store_fixture.c - see store_fixture.h. */
#include "store_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/migrate.h"

/* With STORE_TEST_PG_URL (an admin URL of a test cluster), each test gets a new
 * PostgreSQL database instead of a SQLite file. */
static bool pg_database(store_fixture *f, const char *admin_url)
{
    static int counter;
    char err[256], sql[128];
    db *admin = db_open(admin_url, err, sizeof err);
    if (!admin) {
        fprintf(stderr, "fixture: %s\n", err);
        return false;
    }
    snprintf(f->pg_name, sizeof f->pg_name, "store_%d_%d", (int)getpid(), ++counter);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->pg_name);
    bool ok = db_exec_script(admin, sql) == DB_OK;
    db_close(admin);
    const char *slash = strrchr(admin_url, '/');
    snprintf(f->url, sizeof f->url, "%.*s/%s", (int)(slash - admin_url), admin_url, f->pg_name);
    return ok;
}

int store_fixture_setup(void **state)
{
    store_fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/saldo-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    const char *pg = getenv("STORE_TEST_PG_URL");
    if (pg && *pg) {
        if (!pg_database(f, pg))
            return -1;
    } else {
        snprintf(f->url, sizeof f->url, "sqlite:%s/t.db", f->dir);
    }
    char err[256];
    f->d = db_open(f->url, err, sizeof err);
    if (!f->d || db_migrate(f->d, err, sizeof err) < 0) {
        fprintf(stderr, "fixture: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

int store_fixture_teardown(void **state)
{
    store_fixture *f = *state;
    db_close(f->d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

int64_t fixture_org(db *d, const char *name)
{
    db_stmt *s = db_prepare(d, "INSERT INTO orgs (name, created_at) VALUES ($1, 0) RETURNING id");
    assert_non_null(s);
    db_bind_text(s, 1, name);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t id = db_col_int64(s, 0);
    db_done(s);
    return id;
}

int64_t fixture_value(db *d, const char *sql)
{
    db_stmt *s = db_prepare(d, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int64(s, 0);
    db_done(s);
    return n;
}

int64_t fixture_count_orgs(db *d, const char *pattern)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM orgs WHERE name LIKE $1");
    assert_non_null(s);
    db_bind_text(s, 1, pattern);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int64(s, 0);
    db_done(s);
    return n;
}

db *fixture_member(const store_fixture *f, db_group *g)
{
    char err[256];
    db *d = db_open(f->url, err, sizeof err);
    assert_non_null(d);
    db_attach_group(d, g);
    return d;
}
