/* ratelimit.h - growing delays after failed logins, per account and per client
 * address. After the free failures of the scope (an address is shared by many
 * people, so it gets more), each further attempt must wait 2^(n - free) seconds
 * since the last failure (capped), or it gets a 429. */
#ifndef SALDO_RATELIMIT_H
#define SALDO_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum { LOGIN_FREE_FAILURES_ACCOUNT = 5, LOGIN_FREE_FAILURES_IP = 20, LOGIN_DELAY_MAX_S = 900, LOGIN_FAILURE_MEMORY_S = 86400 };

/* Seconds the caller must still wait before another attempt (0 = may try). */
int64_t ratelimit_wait_s(db *d, const char *scope, const char *key, int64_t now);
void ratelimit_fail(db *d, const char *scope, const char *key, int64_t now);
void ratelimit_clear(db *d, const char *scope, const char *key);

#endif
