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

static void answer(http_request *r, auth_result res, int status, json_t *body)
{
    if (res == AUTH_INVALID_TOKEN) {
        json_decref(body);
        http_error(r, 422, "invalid_token", "token: this link is unknown, already used or expired", "token");
    } else if (res != AUTH_OK) {
        json_decref(body);
        auth_store_failed(r);
    } else {
        http_json(r, status, body);
    }
}

static void post_verify(http_request *r)
{
    json_t *b;
    const char *token;
    if (!jin_body(r, &b) || !jin_string(r, b, "token", JIN_REQUIRED, 1, 128, &token))
        return;
    answer(r, auth_verify_email(r, token), 200, json_pack("{s:b}", "verified", 1));
}

/* Sends a new verification link to the signed-in user. */
static void post_verify_resend(http_request *r)
{
    answer(r, auth_verify_resend(r, r->user_id), 202, json_pack("{s:s}", "status", "sent"));
}

/* Always 202, whether or not the account exists: the answer reveals nothing. */
static void post_forgot(http_request *r)
{
    json_t *b;
    const char *email;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email))
        return;
    answer(r, auth_password_forgot(r, email), 202,
           json_pack("{s:s}", "status", "if the account exists, a link is on its way"));
}

static void post_reset(http_request *r)
{
    json_t *b;
    const char *token, *password;
    if (!jin_body(r, &b) || !jin_string(r, b, "token", JIN_REQUIRED, 1, 128, &token) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &password))
        return;
    answer(r, auth_password_reset(r, token, password), 200, json_pack("{s:b}", "reset", 1));
}

void auth_email_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/email/verify", post_verify, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/email/verify/resend", post_verify_resend, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/password/forgot", post_forgot, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/password/reset", post_reset, ROUTE_PUBLIC);
}
