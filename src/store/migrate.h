/* migrate.h - versioned schema migrations, embedded in the binary. */
#ifndef SALDO_MIGRATE_H
#define SALDO_MIGRATE_H

#include <stddef.h>

#include "store/db.h"

/* Applies every migration not yet applied, each in its own write transaction,
 * in version order. Returns the number applied, or -1 with err filled. Safe to
 * run from several processes at once. */
int db_migrate(db *d, char *err, size_t err_size);

#endif
