/* auth_api.c - POST /api/v1/signup, POST/DELETE /api/v1/sessions, GET/PATCH /api/v1/me. */
#include "feature/auth/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/auth/auth_internal.h"
#include "feature/auth/ratelimit.h"
#include "feature/auth/session.h"
#include "feature/auth/twofa.h"
#include "feature/auth/user_mail.h"
#include "feature/orgs/orgs.h"
#include "core/country.h"
#include "http/accept_language.h"
#include "http/form.h"
#include "http/json_in.h"
#include "http/multipart.h"

bool auth_secure_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

static bool country_ok(http_request *r, const char *c)
{
    if (country_valid(c))
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

static void post_signup(http_request *r)
{
    json_t *b;
    auth_signup_in in;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &in.email) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &in.password) ||
        !jin_string(r, b, "name", JIN_REQUIRED, 1, 200, &in.name) ||
        !jin_string(r, b, "country", JIN_REQUIRED, 2, 2, &in.country) || !country_ok(r, in.country) ||
        !jin_enum(r, b, "language", JIN_REQUIRED, auth_languages, &in.lang))
        return;
    int64_t user_id = 0, org_id = 0;
    auth_result res = auth_signup(r, &in, &user_id, &org_id);
    if (res == AUTH_EMAIL_TAKEN)
        return (void)http_error(r, 409, "email_taken", "an account with this email already exists", "email");
    if (res != AUTH_OK)
        return (void)auth_store_failed(r);
    http_json(r, 201, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}}",
                                "user", "id", (json_int_t)user_id, "email", in.email,
                                "organization", "id", (json_int_t)org_id, "name", in.name));
}

int64_t auth_check_login(http_request *r, bool staff, const char *email, const char *password)
{
    int64_t id, wait;
    switch (auth_login(r, staff, email, password, &id, &wait)) {
    case AUTH_OK:
        return id;
    case AUTH_WAIT:
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        http_error(r, 429, "too_many_attempts", "too many failed sign-ins: wait and try again", NULL);
        return 0;
    case AUTH_BAD_CREDENTIALS:
        http_error(r, 401, "invalid_credentials", "the email or the password is wrong", NULL);
        return 0;
    default:
        auth_store_failed(r);
        return 0;
    }
}

static void post_sessions(http_request *r)
{
    json_t *b;
    const char *email, *password, *otp;
    if (!jin_body(r, &b) || !jin_email(r, b, "email", JIN_REQUIRED, &email) ||
        !jin_string(r, b, "password", JIN_REQUIRED, 1, SECRET_PASSWORD_MAX, &password) ||
        !jin_string(r, b, "otp", JIN_OPTIONAL, 1, TWOFA_CODE_INPUT_MAX, &otp))
        return;
    int64_t user_id = auth_check_login(r, false, email, password);
    if (!user_id || !twofa_api_second_factor(r, user_id, otp))
        return;
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    if (!auth_session_start(r, "api", user_id, token, &s))
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
    auth_user u;
    if (!auth_user_get(r, r->user_id, &u))
        return (void)http_error(r, 404, "not_found", "no such user", NULL);
    json_t *user = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b}", "id", (json_int_t)r->user_id,
                             "email", u.email, "name", u.name, "country", u.country, "language", u.language,
                             "recovery_email", u.recovery_email, "email_verified", (int)u.email_verified);
    http_json(r, 200, json_pack("{s:o, s:o}", "user", user, "organizations", org_list_for_user(r->db, r->user_id)));
}

/* PATCH /api/v1/me: name, language, recovery_email (null clears it). */
static void patch_me(http_request *r)
{
    json_t *b;
    const char *name, *lang, *recovery = NULL;
    if (!jin_body(r, &b) || !jin_not_null(r, b, "name") || !jin_not_null(r, b, "language") ||
        !jin_string(r, b, "name", JIN_OPTIONAL, 1, 200, &name) ||
        !jin_enum(r, b, "language", JIN_OPTIONAL, auth_languages, &lang) ||
        !jin_email(r, b, "recovery_email", JIN_OPTIONAL, &recovery))
        return;
    bool clear_recovery = json_is_null(json_object_get(b, "recovery_email"));
    if (!auth_profile_update(r->db, r->user_id, name, lang, recovery, clear_recovery))
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
    if (r->profile_lang) { /* read with the session: no query of its own */
        r->lang = !strcmp(r->profile_lang, "en") ? "en" : "it";
        return;
    }
    /* A browser that accepts neither language belongs to a visitor from
     * abroad: English serves them better than the provider's Italian. */
    static const char *const langs[] = {"it", "en"};
    const char *al = http_header(r, "Accept-Language");
    int i = al ? accept_language_pick(al, langs, 2) : 0;
    r->lang = langs[i >= 0 ? i : 1];
}

void auth_routes(router *rt)
{
    router_add(rt, "POST", "/api/v1/signup", post_signup, ROUTE_PUBLIC);
    router_add(rt, "POST", "/api/v1/sessions", post_sessions, ROUTE_PUBLIC);
    router_add(rt, "DELETE", "/api/v1/sessions/current", delete_session, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/me", get_me, ROUTE_USER);
    router_add(rt, "PATCH", "/api/v1/me", patch_me, ROUTE_USER);
    auth_email_routes(rt);
    twofa_routes(rt);
    auth_token_routes(rt);
}

/* The _csrf part of a multipart/form-data body (file uploads), or NULL. */
static const char *multipart_csrf(http_request *r, const char *ct)
{
    const char *boundary = multipart_boundary(r->a, ct);
    multipart m;
    if (!boundary || !multipart_parse(r->a, boundary, r->body, r->body_len, &m))
        return NULL;
    const multipart_part *p = multipart_get(&m, "_csrf");
    return p && !p->filename && p->len <= 128 ? arena_strndup(r->a, p->data, p->len) : NULL;
}

const char *auth_form_csrf(http_request *r)
{
    const char *ct = http_header(r, "Content-Type");
    if (ct && !strncmp(ct, "multipart/form-data", 19))
        return multipart_csrf(r, ct);
    form f;
    if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) ||
        !form_parse(r->a, r->body, r->body_len, &f))
        return NULL;
    return form_get(&f, "_csrf");
}
