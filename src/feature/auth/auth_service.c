/* auth_service.c - the account operations behind both front doors: the JSON
 * API (auth_api.c, auth_email.c) and the web pages (feature/web). Each one
 * validates nothing the caller already checked, runs in one transaction, and
 * says what happened with an auth_result; the caller turns that into JSON or
 * into a page. On AUTH_STORE_ERROR the transaction has been rolled back. */
#include "feature/auth/auth.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feature/auth/auth_internal.h"
#include "feature/auth/ratelimit.h"
#include "feature/auth/secret.h"
#include "feature/auth/session.h"
#include "feature/auth/user_mail.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"

const char *const auth_languages[] = {"it", "en", NULL};

bool auth_language_ok(const char *lang)
{
    for (const char *const *l = auth_languages; lang && *l; l++)
        if (!strcmp(*l, lang))
            return true;
    return false;
}

static auth_result store_error(db *d)
{
    db_rollback(d);
    return AUTH_STORE_ERROR;
}

/* Inserts the users row; verified marks the address as already proven. */
static db_status insert_user(db *d, const char *email, const char *password_hash, const char *name,
                             const char *country, const char *lang, bool verified, int64_t *user_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO users (email, password_hash, name, country, language, created_at, email_verified_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7 = 1 THEN CAST($6 AS BIGINT) ELSE NULL END) RETURNING id");
    if (!s)
        return DB_ERROR;
    db_bind_text(s, 1, email);
    db_bind_text(s, 2, password_hash);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, country);
    db_bind_text(s, 5, lang);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    db_bind_int64(s, 7, verified);
    db_status st = db_step(s);
    if (st == DB_ROW)
        *user_id = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW ? DB_OK : st;
}

db_status auth_user_create_verified(db *d, const char *email, const char *password_hash, const char *name,
                                    const char *country, const char *lang, int64_t *user_id)
{
    assert(db_in_tx(d) && auth_language_ok(lang));
    return insert_user(d, email, password_hash, name, country, lang, true, user_id);
}

int64_t auth_user_id_by_email(db *d, const char *email)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM users WHERE email = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, email);
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : st == DB_DONE ? 0 : -1;
    db_done(s);
    return id;
}

bool auth_session_start(http_request *r, const char *kind, int64_t user_id, char token_out[SECRET_TOKEN_CHARS + 1],
                        session *out)
{
    assert(user_id > 0 && (!strcmp(kind, "web") || !strcmp(kind, "api")));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    if (!session_create(r->db, kind, user_id, 0, NULL, token_out, out) ||
        !org_audit_sign_in(r->db, user_id, kind, r->client_ip) || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return false;
    }
    return true;
}

db_status auth_user_create(db *d, const char *email, const char *password_hash, const char *name,
                           const char *country, const char *lang, int64_t *user_id, int64_t *org_id)
{
    db_status st = insert_user(d, email, password_hash, name, country, lang, false, user_id);
    if (st != DB_OK)
        return st;
    if (!org_create(d, name, org_id) || !org_add_member(d, *org_id, *user_id, "admin", true))
        return DB_ERROR;
    return DB_OK;
}

auth_result auth_signup(http_request *r, const auth_signup_in *in, int64_t *user_id, int64_t *org_id)
{
    assert(in->email && in->password && in->name && in->country && auth_language_ok(in->lang));
    char hash[SECRET_PWHASH_MAX];
    if (!secret_password_hash(in->password, hash) || db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    db_status st = auth_user_create(r->db, in->email, hash, in->name, in->country, in->lang, user_id, org_id);
    if (st == DB_CONSTRAINT) {
        db_rollback(r->db);
        return AUTH_EMAIL_TAKEN;
    }
    if (st != DB_OK)
        return store_error(r->db);
    const char *token = auth_email_token(r, *user_id, "verify", VERIFY_TOKEN_TTL_S);
    if (!token || !user_mail_verify(r, in->email, in->name, in->lang, token) || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

/* Looks up a customer's or staff member's id and password hash (0 if unknown). */
static int64_t account_by_email(db *d, bool staff, const char *email, char hash[SECRET_PWHASH_MAX])
{
    db_stmt *s = staff ? db_prepare(d, "SELECT id, password_hash FROM staff WHERE email = $1 AND disabled_at IS NULL")
                       : db_prepare(d, "SELECT id, password_hash FROM users WHERE email = $1");
    if (!s)
        return 0;
    db_bind_text(s, 1, email);
    int64_t id = 0;
    if (db_step(s) == DB_ROW) {
        id = db_col_int64(s, 0);
        snprintf(hash, SECRET_PWHASH_MAX, "%s", db_col_text(s, 1));
    }
    db_done(s);
    return id;
}

auth_result auth_login(http_request *r, bool staff, const char *email, const char *password, int64_t *id,
                       int64_t *wait_s)
{
    int64_t now = (int64_t)time(NULL);
    const char *key = staff ? arena_printf(r->a, "staff:%s", email) : email;
    int64_t wait = ratelimit_wait_s(r->db, "account", key, now);
    int64_t wait_ip = ratelimit_wait_s(r->db, "ip", r->client_ip, now);
    *wait_s = wait_ip > wait ? wait_ip : wait;
    *id = 0;
    if (*wait_s > 0)
        return AUTH_WAIT;
    char hash[SECRET_PWHASH_MAX] = "";
    int64_t account = account_by_email(r->db, staff, email, hash);
    bool ok = account ? secret_password_check(hash, password) : (secret_password_dummy_check(password), false);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    if (ok) {
        ratelimit_clear(r->db, "account", key);
    } else {
        ratelimit_fail(r->db, "account", key, now);
        ratelimit_fail(r->db, "ip", r->client_ip, now);
    }
    if (db_commit(r->db) != DB_OK)
        return store_error(r->db);
    *id = ok ? account : 0;
    return ok ? AUTH_OK : AUTH_BAD_CREDENTIALS;
}

int64_t auth_consume_token(db *d, const char *token, const char *purpose)
{
    assert(db_in_tx(d));
    char hash[SECRET_HASH_HEX + 1];
    if (strlen(token) != SECRET_TOKEN_CHARS)
        return 0;
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3"
        " AND used_at IS NULL AND expires_at > $1 RETURNING user_id");
    if (!s)
        return 0;
    db_bind_int64(s, 1, now);
    db_bind_text(s, 2, hash);
    db_bind_text(s, 3, purpose);
    int64_t user_id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return user_id;
}

auth_result auth_verify_email(http_request *r, const char *token)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    int64_t user_id = auth_consume_token(r->db, token, "verify");
    if (!user_id) {
        db_rollback(r->db);
        return AUTH_INVALID_TOKEN;
    }
    db_stmt *s = db_prepare(r->db, "UPDATE users SET email_verified_at = $1 WHERE id = $2");
    if (!s)
        return store_error(r->db);
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    if (db_exec1(s) != DB_DONE || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

auth_result auth_verify_resend(http_request *r, int64_t user_id)
{
    auth_user u;
    if (!auth_user_get(r, user_id, &u) || db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    const char *token = auth_email_token(r, user_id, "verify", VERIFY_TOKEN_TTL_S);
    if (!token || !user_mail_verify(r, u.email, u.name, u.language, token) || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

/* Ends the user's unused password reset links: a newer link, a reset or a
 * password change leaves only what the user did last. Inside a transaction. */
static bool retire_reset_links(db *d, int64_t user_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'reset'"
                               " AND used_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE;
}

auth_result auth_password_forgot(http_request *r, const char *email)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, COALESCE(recovery_email, email), name, language FROM users WHERE email = $1");
    if (!s)
        return AUTH_STORE_ERROR;
    db_bind_text(s, 1, email);
    int64_t user_id = 0;
    const char *to = NULL, *name = NULL, *lang = NULL;
    if (db_step(s) == DB_ROW) {
        user_id = db_col_int64(s, 0);
        to = arena_strdup(r->a, db_col_text(s, 1));
        name = arena_strdup(r->a, db_col_text(s, 2));
        lang = arena_strdup(r->a, db_col_text(s, 3));
    }
    db_done(s);
    if (!user_id)
        return AUTH_OK;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    const char *token = retire_reset_links(r->db, user_id) ? auth_email_token(r, user_id, "reset", RESET_TOKEN_TTL_S)
                                                           : NULL;
    if (!token || !user_mail_reset(r, to, name, lang, token) || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

static bool set_password(db *d, int64_t user_id, const char *hash)
{
    db_stmt *s = db_prepare(d, "UPDATE users SET password_hash = $1 WHERE id = $2");
    if (!s)
        return false;
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

auth_result auth_password_reset(http_request *r, const char *token, const char *password)
{
    char hash[SECRET_PWHASH_MAX];
    if (!secret_password_hash(password, hash) || db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    int64_t user_id = auth_consume_token(r->db, token, "reset");
    if (!user_id) {
        db_rollback(r->db);
        return AUTH_INVALID_TOKEN;
    }
    if (!set_password(r->db, user_id, hash) || !retire_reset_links(r->db, user_id) ||
        !session_revoke_user(r->db, user_id) || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

auth_result auth_password_change(http_request *r, int64_t user_id, int64_t keep_session, const char *current,
                                 const char *password)
{
    char hash[SECRET_PWHASH_MAX] = "";
    db_stmt *s = db_prepare(r->db, "SELECT password_hash FROM users WHERE id = $1");
    if (!s)
        return AUTH_STORE_ERROR;
    db_bind_int64(s, 1, user_id);
    if (db_step(s) == DB_ROW)
        snprintf(hash, sizeof hash, "%s", db_col_text(s, 0));
    db_done(s);
    if (!hash[0] || !secret_password_check(hash, current))
        return AUTH_BAD_CREDENTIALS;
    if (!secret_password_hash(password, hash) || db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return AUTH_STORE_ERROR;
    if (!set_password(r->db, user_id, hash) || !retire_reset_links(r->db, user_id) ||
        !session_revoke_others(r->db, user_id, keep_session) || db_commit(r->db) != DB_OK)
        return store_error(r->db);
    return AUTH_OK;
}

bool auth_user_get(http_request *r, int64_t user_id, auth_user *out)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT email, name, country, language, recovery_email, email_verified_at IS NOT NULL"
        " FROM users WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        *out = (auth_user){
            .id = user_id,
            .email = arena_strdup(r->a, db_col_text(s, 0)),
            .name = arena_strdup(r->a, db_col_text(s, 1)),
            .country = arena_strdup(r->a, db_col_text(s, 2)),
            .language = arena_strdup(r->a, db_col_text(s, 3)),
            .recovery_email = db_col_is_null(s, 4) ? NULL : arena_strdup(r->a, db_col_text(s, 4)),
            .email_verified = db_col_int64(s, 5) != 0,
        };
    }
    db_done(s);
    return found;
}

bool auth_profile_update(db *d, int64_t user_id, const char *name, const char *lang, const char *recovery_email,
                         bool clear_recovery)
{
    assert(!lang || auth_language_ok(lang));
    db_stmt *s = db_prepare(d,
        "UPDATE users SET name = COALESCE($1, name), language = COALESCE($2, language),"
        " recovery_email = CASE WHEN $3 = 1 THEN NULL ELSE COALESCE($4, recovery_email) END"
        " WHERE id = $5");
    if (!s)
        return false;
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, lang);
    db_bind_int64(s, 3, clear_recovery);
    db_bind_text(s, 4, recovery_email);
    db_bind_int64(s, 5, user_id);
    return db_exec1(s) == DB_DONE;
}

int auth_users_by_email(db *d, const char *q, int64_t *ids, size_t max)
{
    assert(q && strlen(q) <= AUTH_SEARCH_TEXT_MAX && max > 0);
    char pattern[2 * AUTH_SEARCH_TEXT_MAX + 3];
    bool fits = db_like_contains(q, pattern, sizeof pattern);
    assert(fits);
    db_stmt *s = db_prepare(d, "SELECT id FROM users WHERE email LIKE $1 ESCAPE '\\' ORDER BY id DESC LIMIT $2");
    if (!s)
        return -1;
    db_bind_text(s, 1, pattern);
    db_bind_int64(s, 2, (int64_t)max);
    size_t n = 0;
    while (n < max && db_step(s) == DB_ROW)
        ids[n++] = db_col_int64(s, 0);
    db_done(s);
    return (int)n;
}
