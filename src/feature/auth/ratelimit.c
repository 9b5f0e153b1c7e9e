/* ratelimit.c - see ratelimit.h. State lives in the database, shared by every node. */
#include "feature/auth/ratelimit.h"

#include <string.h>

int64_t ratelimit_wait_s(db *d, const char *scope, const char *key, int64_t now)
{
    db_stmt *s = db_prepare(d, "SELECT failures, last_at FROM login_failures WHERE scope = $1 AND key = $2");
    if (!s)
        return 0;
    db_bind_text(s, 1, scope);
    db_bind_text(s, 2, key);
    int64_t wait = 0;
    if (db_step(s) == DB_ROW) {
        int64_t failures = db_col_int64(s, 0), last = db_col_int64(s, 1);
        int64_t free_failures = strcmp(scope, "ip") ? LOGIN_FREE_FAILURES_ACCOUNT : LOGIN_FREE_FAILURES_IP;
        if (failures >= free_failures && now - last < LOGIN_FAILURE_MEMORY_S) {
            int64_t shift = failures - free_failures;
            int64_t delay = shift >= 10 ? LOGIN_DELAY_MAX_S : (int64_t)1 << shift;
            if (delay > LOGIN_DELAY_MAX_S)
                delay = LOGIN_DELAY_MAX_S;
            wait = last + delay - now;
        }
    }
    db_done(s);
    return wait > 0 ? wait : 0;
}

void ratelimit_fail(db *d, const char *scope, const char *key, int64_t now)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO login_failures (scope, key, failures, last_at) VALUES ($1, $2, 1, $3)"
        " ON CONFLICT (scope, key) DO UPDATE SET last_at = $3, failures ="
        " CASE WHEN login_failures.last_at < $3 - $4 THEN 1 ELSE login_failures.failures + 1 END");
    if (!s)
        return;
    db_bind_text(s, 1, scope);
    db_bind_text(s, 2, key);
    db_bind_int64(s, 3, now);
    db_bind_int64(s, 4, LOGIN_FAILURE_MEMORY_S);
    db_exec1(s);
}

void ratelimit_clear(db *d, const char *scope, const char *key)
{
    db_stmt *s = db_prepare(d, "DELETE FROM login_failures WHERE scope = $1 AND key = $2");
    if (!s)
        return;
    db_bind_text(s, 1, scope);
    db_bind_text(s, 2, key);
    db_exec1(s);
}
