/* store_fixture.h - a fresh, migrated database per test: a SQLite file in a
 * temporary folder, or a new PostgreSQL database when STORE_TEST_PG_URL is set. */
#ifndef SALDO_STORE_FIXTURE_H
#define SALDO_STORE_FIXTURE_H

#include <stdint.h>

#include "store/db.h"

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

#endif
