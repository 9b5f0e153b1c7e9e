/* store_fixture.c - see store_fixture.h. */
#include "store_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "store/migrate.h"

int store_fixture_setup(void **state)
{
    store_fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/saldo-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->url, sizeof f->url, "sqlite:%s/t.db", f->dir);
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
