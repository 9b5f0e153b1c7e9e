/* store_fixture.h - a fresh, migrated SQLite database in a temporary folder per test. */
#ifndef SALDO_STORE_FIXTURE_H
#define SALDO_STORE_FIXTURE_H

#include <stdint.h>

#include "store/db.h"

typedef struct store_fixture {
    char dir[64];
    char url[128];
    db *d;
} store_fixture;

/* cmocka setup/teardown: *state becomes a store_fixture. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);
/* Inserts an organization row and returns its id. */
int64_t fixture_org(db *d, const char *name);

#endif
