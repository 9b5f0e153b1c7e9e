/* twofa.c - enrolment, verification and recovery codes (see twofa.h). */
#include "feature/auth/twofa.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/auth/ratelimit.h"
#include "feature/auth/secret.h"

static const char recovery_alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789"; /* no 0/o, 1/l/i */

bool twofa_status(db *d, int64_t user_id, bool *enabled, int *recovery_left)
{
    db_stmt *s = db_prepare(d,
        "SELECT totp_enabled_at IS NOT NULL, (SELECT COUNT(*) FROM recovery_codes c"
        " WHERE c.user_id = u.id AND c.used_at IS NULL) FROM users u WHERE u.id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        *enabled = db_col_int64(s, 0) != 0;
        *recovery_left = (int)db_col_int64(s, 1);
    }
    db_done(s);
    return ok;
}

/* Keyed hash of a normalized recovery code: a stolen table reveals nothing. */
static void recovery_hash(const app *a, const char *code, char out[65])
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    static const char context[] = "saldo recovery code v1";
    crypto_generichash(key, sizeof key, (const unsigned char *)context, sizeof context - 1,
                       (const unsigned char *)a->cfg->secret_key, strlen(a->cfg->secret_key));
    crypto_auth_hmacsha256(mac, (const unsigned char *)code, strlen(code), key);
    sodium_bin2hex(out, 65, mac, sizeof mac);
    sodium_memzero(key, sizeof key);
}

/* Lower-cases and drops spaces and dashes; false unless 10 symbols remain. */
static bool recovery_normalize(const char *in, char out[11])
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
        if (c == ' ' || c == '-')
            continue;
        if (n == 10 || !strchr(recovery_alphabet, c) || !c)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return n == 10;
}

static bool store_recovery_codes(http_request *r, int64_t user_id, twofa_codes codes_out)
{
    db_stmt *s = db_prepare(r->db, "DELETE FROM recovery_codes WHERE user_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    if (db_exec1(s) != DB_DONE)
        return false;
    for (int i = 0; i < TWOFA_RECOVERY_COUNT; i++) {
        char plain[11], hash[65];
        for (int k = 0; k < 10; k++)
            plain[k] = recovery_alphabet[randombytes_uniform(sizeof recovery_alphabet - 1)];
        plain[10] = '\0';
        snprintf(codes_out[i], TWOFA_RECOVERY_LEN + 1, "%.5s-%.5s", plain, plain + 5);
        recovery_hash(r->app, plain, hash);
        s = db_prepare(r->db, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)");
        if (!s)
            return false;
        db_bind_int64(s, 1, user_id);
        db_bind_text(s, 2, hash);
        db_bind_int64(s, 3, (int64_t)time(NULL));
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

/* The user's sealed secret (opened), enabled flag and last used step. */
static bool load_secret(http_request *r, int64_t user_id, char secret[TOTP_SECRET_B32 + 1], bool *enabled,
                        int64_t *last_step)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT totp_sealed, totp_enabled_at IS NOT NULL, totp_last_step FROM users WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    bool ok = db_step(s) == DB_ROW && !db_col_is_null(s, 0) &&
              totp_open(r->app->cfg->secret_key, db_col_text(s, 0), secret);
    if (ok) {
        *enabled = db_col_int64(s, 1) != 0;
        *last_step = db_col_int64(s, 2);
    }
    db_done(s);
    return ok;
}

/* A code from the app, newer than the last one used; records its step. */
static bool use_totp(http_request *r, int64_t user_id, const char *secret, int64_t last_step, const char *code)
{
    uint64_t step = 0;
    if (!totp_check(secret, (int64_t)time(NULL), code, &step) || (int64_t)step <= last_step)
        return false;
    db_stmt *s = db_prepare(r->db,
        "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)step);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE && db_changes(r->db) == 1;
}

static bool use_recovery(http_request *r, int64_t user_id, const char *code)
{
    char norm[11], hash[65];
    if (!recovery_normalize(code, norm))
        return false;
    recovery_hash(r->app, norm, hash);
    db_stmt *s = db_prepare(r->db,
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, hash);
    return db_exec1(s) == DB_DONE && db_changes(r->db) == 1;
}

/* Inside a write transaction: an enabled user's code, either kind. */
static twofa_result check_code(http_request *r, int64_t user_id, const char *code)
{
    char secret[TOTP_SECRET_B32 + 1];
    bool enabled = false;
    int64_t last_step = 0;
    if (!code || strlen(code) > TWOFA_CODE_INPUT_MAX)
        return TWOFA_BAD_CODE;
    if (!load_secret(r, user_id, secret, &enabled, &last_step) || !enabled)
        return TWOFA_NOT_ENABLED;
    bool ok = use_totp(r, user_id, secret, last_step, code) || use_recovery(r, user_id, code);
    sodium_memzero(secret, sizeof secret);
    return ok ? TWOFA_OK : TWOFA_BAD_CODE;
}

/* Ends the write transaction: commits on TWOFA_OK, else rolls back. */
static twofa_result finish(http_request *r, twofa_result res)
{
    if (res == TWOFA_OK && db_commit(r->db) == DB_OK)
        return TWOFA_OK;
    db_rollback(r->db);
    return res == TWOFA_OK ? TWOFA_STORE_ERROR : res;
}

twofa_result twofa_verify(http_request *r, int64_t user_id, const char *code)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return TWOFA_STORE_ERROR;
    return finish(r, check_code(r, user_id, code));
}

twofa_result twofa_login_verify(http_request *r, int64_t user_id, const char *code, int64_t *wait_s)
{
    const char *key = arena_printf(r->a, "otp:%lld", (long long)user_id);
    int64_t now = (int64_t)time(NULL);
    *wait_s = ratelimit_wait_s(r->db, "account", key, now);
    if (*wait_s > 0)
        return TWOFA_WAIT;
    twofa_result res = twofa_verify(r, user_id, code);
    if (res == TWOFA_OK)
        ratelimit_clear(r->db, "account", key);
    else if (res == TWOFA_BAD_CODE)
        ratelimit_fail(r->db, "account", key, now);
    return res;
}

twofa_result twofa_begin(http_request *r, int64_t user_id, char secret_out[TOTP_SECRET_B32 + 1], buf *uri_out)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, user_id, &enabled, &left))
        return TWOFA_STORE_ERROR;
    if (enabled)
        return TWOFA_ALREADY_ENABLED;
    char sealed[TOTP_SEALED_HEX_MAX], email[256] = "";
    totp_secret_new(secret_out);
    if (!totp_seal(r->app->cfg->secret_key, secret_out, sealed, sizeof sealed))
        return TWOFA_STORE_ERROR;
    db_stmt *s = db_prepare(r->db,
        "UPDATE users SET totp_sealed = $1, totp_last_step = 0 WHERE id = $2 AND totp_enabled_at IS NULL"
        " RETURNING email");
    if (!s)
        return TWOFA_STORE_ERROR;
    db_bind_text(s, 1, sealed);
    db_bind_int64(s, 2, user_id);
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        snprintf(email, sizeof email, "%s", db_col_text(s, 0));
    db_done(s);
    if (!ok)
        return TWOFA_STORE_ERROR;
    totp_uri(r->app->cfg->provider.name, email, secret_out, uri_out);
    return TWOFA_OK;
}

twofa_result twofa_pending(http_request *r, int64_t user_id, char secret_out[TOTP_SECRET_B32 + 1], buf *uri_out)
{
    bool enabled = false;
    int64_t last_step = 0;
    auth_user u;
    if (!load_secret(r, user_id, secret_out, &enabled, &last_step))
        return TWOFA_NOT_STARTED;
    if (enabled)
        return TWOFA_ALREADY_ENABLED;
    if (!auth_user_get(r, user_id, &u))
        return TWOFA_STORE_ERROR;
    totp_uri(r->app->cfg->provider.name, u.email, secret_out, uri_out);
    return TWOFA_OK;
}

twofa_result twofa_confirm(http_request *r, int64_t user_id, const char *code, twofa_codes codes_out)
{
    char secret[TOTP_SECRET_B32 + 1];
    bool enabled = false;
    int64_t last_step = 0;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return TWOFA_STORE_ERROR;
    if (!load_secret(r, user_id, secret, &enabled, &last_step))
        return finish(r, TWOFA_NOT_STARTED);
    if (enabled)
        return finish(r, TWOFA_ALREADY_ENABLED);
    if (!code || strlen(code) > TWOFA_CODE_INPUT_MAX || !use_totp(r, user_id, secret, last_step, code))
        return finish(r, TWOFA_BAD_CODE);
    db_stmt *s = db_prepare(r->db, "UPDATE users SET totp_enabled_at = $1 WHERE id = $2");
    if (!s)
        return finish(r, TWOFA_STORE_ERROR);
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    bool ok = db_exec1(s) == DB_DONE && store_recovery_codes(r, user_id, codes_out);
    return finish(r, ok ? TWOFA_OK : TWOFA_STORE_ERROR);
}

twofa_result twofa_disable(http_request *r, int64_t user_id, const char *code)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return TWOFA_STORE_ERROR;
    twofa_result res = check_code(r, user_id, code);
    if (res != TWOFA_OK)
        return finish(r, res);
    db_stmt *s = db_prepare(r->db,
        "UPDATE users SET totp_sealed = NULL, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = $1");
    db_stmt *c = NULL;
    bool ok = s != NULL;
    if (ok) {
        db_bind_int64(s, 1, user_id);
        ok = db_exec1(s) == DB_DONE && (c = db_prepare(r->db, "DELETE FROM recovery_codes WHERE user_id = $1"));
    }
    if (ok) {
        db_bind_int64(c, 1, user_id);
        ok = db_exec1(c) == DB_DONE;
    }
    return finish(r, ok ? TWOFA_OK : TWOFA_STORE_ERROR);
}

twofa_result twofa_new_recovery_codes(http_request *r, int64_t user_id, const char *code, twofa_codes codes_out)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return TWOFA_STORE_ERROR;
    twofa_result res = check_code(r, user_id, code);
    if (res == TWOFA_OK && !store_recovery_codes(r, user_id, codes_out))
        res = TWOFA_STORE_ERROR;
    return finish(r, res);
}

const char *twofa_challenge_new(http_request *r, int64_t user_id)
{
    char *token = arena_alloc(r->a, SECRET_TOKEN_CHARS + 1);
    char hash[SECRET_HASH_HEX + 1];
    secret_token_new(token);
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)");
    if (!s)
        return NULL;
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, now);
    db_bind_int64(s, 4, now + LOGIN_CHALLENGE_TTL_S);
    return db_exec1(s) == DB_DONE ? token : NULL;
}

/* Runs sql (parameters: $1 now, $2 token hash) on the challenge of token. */
static int64_t challenge_query(http_request *r, const char *sql, const char *token, bool returns)
{
    char hash[SECRET_HASH_HEX + 1];
    if (!token || strlen(token) != SECRET_TOKEN_CHARS)
        return 0;
    secret_token_hash(token, hash);
    db_stmt *s = db_prepare(r->db, sql);
    if (!s)
        return 0;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_text(s, 2, hash);
    int64_t out = 0;
    if (returns)
        out = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    else
        db_step(s);
    db_done(s);
    return out;
}

int64_t twofa_challenge_user(http_request *r, const char *token)
{
    static const char *const sql =
        "SELECT user_id FROM login_challenges WHERE expires_at > $1 AND token_hash = $2"
        " AND used_at IS NULL AND attempts < 5";
    static_assert(LOGIN_CHALLENGE_ATTEMPTS_MAX == 5, "keep the SQL in step");
    return challenge_query(r, sql, token, true);
}

void twofa_challenge_failed(http_request *r, const char *token)
{
    challenge_query(r, "UPDATE login_challenges SET attempts = attempts + 1 WHERE expires_at > $1"
                       " AND token_hash = $2", token, false);
}

void twofa_challenge_done(http_request *r, const char *token)
{
    challenge_query(r, "UPDATE login_challenges SET used_at = $1 WHERE token_hash = $2", token, false);
}
