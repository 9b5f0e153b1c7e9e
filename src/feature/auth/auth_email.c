/* auth_email.c - single-use email links: verify the address, reset the password.
 *
 * A link carries a random token; the store keeps its hash, an expiry and the
 * time it was used. Consuming is one UPDATE ... WHERE used_at IS NULL, so a
 * link works once even when clicked twice at the same moment. */
#include "feature/auth/auth.h"

#include <string.h>
#include <time.h>

#include "feature/auth/auth_internal.h"
#include "feature/auth/secret.h"
#include "feature/auth/session.h"
#include "feature/auth/user_mail.h"
#include "http/json_in.h"

const char *auth_email_token(http_request *r, int64_t user_id, const char *purpose, int64_t ttl_s)
{
    char *token = arena_alloc(r->a, SECRET_TOKEN_CHARS + 1);
    char hash[SECRET_HASH_HEX + 1];
    secret_token_new(token);
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)");
    if (!s)
        return NULL;
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, purpose);
    db_bind_int64(s, 4, now);
    db_bind_int64(s, 5, now + ttl_s);
    return db_exec1(s) == DB_DONE ? token : NULL;
}

/* Marks the token used and returns its user, or 0 when it is unknown, used,
 * expired or for another purpose. Call inside a write transaction. */
static int64_t consume_token(db *d, const char *token, const char *purpose)
{
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

static void invalid_token(http_request *r)
{
    db_rollback(r->db);
    http_error(r, 422, "invalid_token", "token: this link is unknown, already used or expired", "token");
}

static void post_verify(http_request *r)
{
    json_t *b;
    const char *token;
    if (!jin_body(r, &b) || !jin_string(r, b, "token", JIN_REQUIRED, 1, 128, &token))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return (void)auth_store_failed(r);
    int64_t user_id = consume_token(r->db, token, "verify");
    if (!user_id)
        return invalid_token(r);
    db_stmt *s = db_prepare(r->db, "UPDATE users SET email_verified_at = $1 WHERE id = $2");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    if (db_exec1(s) != DB_DONE || db_commit(r->db) != DB_OK)
        return (void)auth_store_failed(r);
    http_json(r, 200, json_pack("{s:b}", "verified", 1));
}

/* Sends a new verification link to the signed-in user. */
static void post_verify_resend(http_request *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT email, name, language FROM users WHERE id = $1");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_int64(s, 1, r->user_id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return (void)http_error(r, 404, "not_found", "no such user", NULL);
    }
    const char *email = arena_strdup(r->a, db_col_text(s, 0)), *name = arena_strdup(r->a, db_col_text(s, 1)),
               *lang = arena_strdup(r->a, db_col_text(s, 2));
    db_done(s);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return (void)auth_store_failed(r);
    const char *token = auth_email_token(r, r->user_id, "verify", VERIFY_TOKEN_TTL_S);
    if (!token || !user_mail_verify(r, email, name, lang, token) || db_commit(r->db) != DB_OK)
        return (void)auth_store_failed(r);
    http_json(r, 202, json_pack("{s:s}", "status", "sent"));
}

/* Always 202, whether or not the account exists: the answer reveals nothing. */
static void post_forgot(http_request *r)
{
    json_t *b;
    const char *email;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email))
        return;
    db_stmt *s = db_prepare(r->db,
        "SELECT id, COALESCE(recovery_email, email), name, language FROM users WHERE email = $1");
    if (!s)
        return (void)auth_store_failed(r);
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
    if (user_id) {
        if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
            return (void)auth_store_failed(r);
        const char *token = auth_email_token(r, user_id, "reset", RESET_TOKEN_TTL_S);
        if (!token || !user_mail_reset(r, to, name, lang, token) || db_commit(r->db) != DB_OK)
            return (void)auth_store_failed(r);
    }
    http_json(r, 202, json_pack("{s:s}", "status", "if the account exists, a link is on its way"));
}

static void post_reset(http_request *r)
{
    json_t *b;
    const char *token, *password;
    if (!jin_body(r, &b) || !jin_string(r, b, "token", JIN_REQUIRED, 1, 128, &token) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &password))
        return;
    char hash[SECRET_PWHASH_MAX];
    if (!secret_password_hash(password, hash))
        return (void)http_error(r, 500, "internal", "cannot hash the password", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return (void)auth_store_failed(r);
    int64_t user_id = consume_token(r->db, token, "reset");
    if (!user_id)
        return invalid_token(r);
    db_stmt *s = db_prepare(r->db, "UPDATE users SET password_hash = $1 WHERE id = $2");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, user_id);
    if (db_exec1(s) != DB_DONE || !session_revoke_user(r->db, user_id) || db_commit(r->db) != DB_OK)
        return (void)auth_store_failed(r);
    http_json(r, 200, json_pack("{s:b}", "reset", 1));
}

void auth_email_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/email/verify", post_verify, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/email/verify/resend", post_verify_resend, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/password/forgot", post_forgot, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/password/reset", post_reset, ROUTE_PUBLIC);
}
