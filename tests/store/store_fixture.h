/* store_fixture.h - a fresh, migrated database per test: a SQLite file in a
 * temporary folder, or a new PostgreSQL database when STORE_TEST_PG_URL is set. */
#ifndef SALDO_STORE_FIXTURE_H
#define SALDO_STORE_FIXTURE_H

#include <stdint.h>

#include "store/db.h"
#include "store/db_group.h"

typedef struct store_fixture {
    char dir[64];
    char url[256];
    char pg_name[64]; /* the PostgreSQL database, when STORE_TEST_PG_URL is set */
    db *d;
} store_fixture;

/* cmocka setup/teardown: *state becomes a store_fixture. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);
/* Inserts an organization row and returns its id. */
int64_t fixture_org(db *d, const char *name);
/* The integer a one-row query answers (a COUNT, an id). */
int64_t fixture_value(db *d, const char *sql);
/* How many organizations have a name LIKE pattern (a plain name: that one). */
int64_t fixture_count_orgs(db *d, const char *pattern);
/* A new connection to the fixture's database whose grouped requests join g
 * (db_attach_group): one request being served, in the group tests. */
db *fixture_member(const store_fixture *f, db_group *g);

#endif
