/* auth_api.c - POST /api/v1/signup, POST/DELETE /api/v1/sessions, GET/PATCH /api/v1/me. */
#include "feature/auth/auth.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/auth/auth_internal.h"
#include "feature/auth/ratelimit.h"
#include "feature/auth/session.h"
#include "feature/auth/user_mail.h"
#include "feature/orgs/orgs.h"
#include "http/form.h"
#include "http/json_in.h"

static const char *const languages[] = {"it", "en", NULL};

bool auth_secure_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

static bool country_ok(http_request *r, const char *c)
{
    if (isupper((unsigned char)c[0]) && isupper((unsigned char)c[1]))
        return true;
    http_error(r, 422, "invalid_field", "country: must be an ISO 3166 code such as IT", "country");
    return false;
}

bool auth_store_failed(http_request *r)
{
    db_rollback(r->db);
    http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    return false;
}

db_status auth_user_create(db *d, const char *email, const char *password_hash, const char *name,
                           const char *country, const char *lang, int64_t *user_id, int64_t *org_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO users (email, password_hash, name, country, language, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!s)
        return DB_ERROR;
    db_bind_text(s, 1, email);
    db_bind_text(s, 2, password_hash);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, country);
    db_bind_text(s, 5, lang);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    db_status st = db_step(s);
    if (st == DB_ROW)
        *user_id = db_col_int64(s, 0);
    db_done(s);
    if (st != DB_ROW)
        return st;
    if (!org_create(d, name, org_id) || !org_add_member(d, *org_id, *user_id, "admin", true))
        return DB_ERROR;
    return DB_OK;
}

static bool create_account(http_request *r, const char *email, const char *hash, const char *name,
                           const char *country, const char *lang, int64_t *user_id, int64_t *org_id)
{
    db_status st = auth_user_create(r->db, email, hash, name, country, lang, user_id, org_id);
    if (st == DB_CONSTRAINT) {
        db_rollback(r->db);
        http_error(r, 409, "email_taken", "an account with this email already exists", "email");
        return false;
    }
    return st == DB_OK || auth_store_failed(r);
}

static void post_signup(http_request *r)
{
    json_t *b;
    const char *email, *password, *name, *country, *lang;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &password) ||
        !jin_string(r, b, "name", JIN_REQUIRED, 1, 200, &name) ||
        !jin_string(r, b, "country", JIN_REQUIRED, 2, 2, &country) || !country_ok(r, country) ||
        !jin_enum(r, b, "language", JIN_REQUIRED, languages, &lang))
        return;
    char hash[SECRET_PWHASH_MAX];
    if (!secret_password_hash(password, hash))
        return (void)http_error(r, 500, "internal", "cannot hash the password", NULL);
    int64_t user_id = 0, org_id = 0;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return (void)auth_store_failed(r);
    if (!create_account(r, email, hash, name, country, lang, &user_id, &org_id))
        return;
    const char *token = auth_email_token(r, user_id, "verify", VERIFY_TOKEN_TTL_S);
    if (!token || !user_mail_verify(r, email, name, lang, token) || db_commit(r->db) != DB_OK)
        return (void)auth_store_failed(r);
    http_json(r, 201, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}}",
                                "user", "id", (json_int_t)user_id, "email", email,
                                "organization", "id", (json_int_t)org_id, "name", name));
}

/* Looks up a customer's or staff member's id and password hash (0 if unknown). */
static int64_t account_by_email(http_request *r, bool staff, const char *email, char hash[SECRET_PWHASH_MAX])
{
    db_stmt *s = staff ? db_prepare(r->db, "SELECT id, password_hash FROM staff WHERE email = $1 AND disabled_at IS NULL")
                       : db_prepare(r->db, "SELECT id, password_hash FROM users WHERE email = $1");
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

int64_t auth_check_login(http_request *r, bool staff, const char *email, const char *password)
{
    int64_t now = (int64_t)time(NULL);
    if (staff)
        email = arena_printf(r->a, "staff:%s", email);
    int64_t wait = ratelimit_wait_s(r->db, "account", email, now);
    int64_t wait_ip = ratelimit_wait_s(r->db, "ip", r->client_ip, now);
    if (wait_ip > wait)
        wait = wait_ip;
    if (wait > 0) {
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        http_error(r, 429, "too_many_attempts", "too many failed sign-ins: wait and try again", NULL);
        return 0;
    }
    char hash[SECRET_PWHASH_MAX] = "";
    int64_t user_id = account_by_email(r, staff, staff ? email + 6 : email, hash);
    bool ok = user_id ? secret_password_check(hash, password) : (secret_password_dummy_check(password), false);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return auth_store_failed(r), 0;
    if (ok) {
        ratelimit_clear(r->db, "account", email);
    } else {
        ratelimit_fail(r->db, "account", email, now);
        ratelimit_fail(r->db, "ip", r->client_ip, now);
    }
    if (db_commit(r->db) != DB_OK)
        return auth_store_failed(r), 0;
    if (!ok)
        http_error(r, 401, "invalid_credentials", "the email or the password is wrong", NULL);
    return ok ? user_id : 0;
}

static void post_sessions(http_request *r)
{
    json_t *b;
    const char *email, *password;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email) ||
        !jin_string(r, b, "password", JIN_REQUIRED, 1, SECRET_PASSWORD_MAX, &password))
        return;
    int64_t user_id = auth_check_login(r, false, email, password);
    if (!user_id)
        return;
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    if (!session_create(r->db, "api", user_id, 0, NULL, token, &s))
        return (void)auth_store_failed(r);
    http_json(r, 201, json_pack("{s:s, s:o}", "token", token, "expires_at",
                                jout_time((int64_t)time(NULL) + SESSION_API_TTL_S)));
}

static void delete_session(http_request *r)
{
    session_revoke(r->db, r->session_id, 0);
    http_text(r, 204, NULL, "", 0);
}

static void get_me(http_request *r)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT email, name, country, language, recovery_email, email_verified_at IS NOT NULL"
        " FROM users WHERE id = $1");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_int64(s, 1, r->user_id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return (void)http_error(r, 404, "not_found", "no such user", NULL);
    }
    json_t *user = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b}", "id", (json_int_t)r->user_id,
                             "email", db_col_text(s, 0), "name", db_col_text(s, 1),
                             "country", db_col_text(s, 2), "language", db_col_text(s, 3),
                             "recovery_email", db_col_text(s, 4), "email_verified", (int)db_col_int64(s, 5));
    db_done(s);
    http_json(r, 200, json_pack("{s:o, s:o}", "user", user, "organizations", org_list_for_user(r->db, r->user_id)));
}

/* PATCH /api/v1/me: name, language, recovery_email (null clears it). */
static void patch_me(http_request *r)
{
    json_t *b;
    const char *name, *lang, *recovery = NULL;
    if (!jin_body(r, &b) || !jin_string(r, b, "name", JIN_OPTIONAL, 1, 200, &name) ||
        !jin_enum(r, b, "language", JIN_OPTIONAL, languages, &lang) ||
        !jin_email(r, b, "recovery_email", JIN_OPTIONAL, &recovery))
        return;
    bool clear_recovery = json_is_null(json_object_get(b, "recovery_email"));
    db_stmt *s = db_prepare(r->db,
        "UPDATE users SET name = COALESCE($1, name), language = COALESCE($2, language),"
        " recovery_email = CASE WHEN $3 = 1 THEN NULL ELSE COALESCE($4, recovery_email) END"
        " WHERE id = $5");
    if (!s)
        return (void)auth_store_failed(r);
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, lang);
    db_bind_int64(s, 3, clear_recovery);
    db_bind_text(s, 4, recovery);
    db_bind_int64(s, 5, r->user_id);
    if (db_exec1(s) != DB_DONE)
        return (void)auth_store_failed(r);
    get_me(r);
}

void auth_pick_language(http_request *r)
{
    const char *c = http_cookie(r, "lang");
    if (c && (!strcmp(c, "it") || !strcmp(c, "en"))) {
        r->lang = !strcmp(c, "it") ? "it" : "en";
        return;
    }
    if (r->user_id) {
        db_stmt *s = db_prepare(r->db, "SELECT language FROM users WHERE id = $1");
        if (s) {
            db_bind_int64(s, 1, r->user_id);
            if (db_step(s) == DB_ROW)
                r->lang = !strcmp(db_col_text(s, 0), "en") ? "en" : "it";
            db_done(s);
            return;
        }
    }
    const char *al = http_header(r, "Accept-Language");
    r->lang = al && !strncmp(al, "en", 2) ? "en" : "it";
}

void auth_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/signup", post_signup, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/sessions", post_sessions, ROUTE_PUBLIC);
    router_add(rt, "DELETE", "/api/v1/sessions/current", delete_session, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/me", get_me, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/me", patch_me, ROUTE_USER);
    auth_email_routes(rt);
    auth_token_routes(rt);
}

const char *auth_form_csrf(http_request *r)
{
    const char *ct = http_header(r, "Content-Type");
    form f;
    if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) ||
        !form_parse(r->a, r->body, r->body_len, &f))
        return NULL;
    return form_get(&f, "_csrf");
}
