/* web_auth.c - the pages of the account's life outside a session: sign-up,
 * email verification landing, sign-in, sign-out, forgotten password and reset.
 * Forms post back to their own address; errors are shown next to the fields
 * with the form filled in again (never the passwords); success redirects. */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/auth/twofa.h"
#include "feature/auth/secret.h"
#include "feature/auth/session.h"
#include "feature/web/web.h"

/* Countries offered at sign-up: the EU, its neighbours, and the US. */
static const struct {
    const char *code, *name;
} countries[] = {
    {"IT", N_("Italy")}, {"AT", N_("Austria")}, {"BE", N_("Belgium")}, {"BG", N_("Bulgaria")},
    {"HR", N_("Croatia")}, {"CY", N_("Cyprus")}, {"CZ", N_("Czechia")}, {"DK", N_("Denmark")},
    {"EE", N_("Estonia")}, {"FI", N_("Finland")}, {"FR", N_("France")}, {"DE", N_("Germany")},
    {"GR", N_("Greece")}, {"HU", N_("Hungary")}, {"IE", N_("Ireland")}, {"LV", N_("Latvia")},
    {"LT", N_("Lithuania")}, {"LU", N_("Luxembourg")}, {"MT", N_("Malta")}, {"NL", N_("Netherlands")},
    {"PL", N_("Poland")}, {"PT", N_("Portugal")}, {"RO", N_("Romania")}, {"SK", N_("Slovakia")},
    {"SI", N_("Slovenia")}, {"ES", N_("Spain")}, {"SE", N_("Sweden")}, {"NO", N_("Norway")},
    {"CH", N_("Switzerland")}, {"SM", N_("San Marino")}, {"VA", N_("Vatican City")},
    {"GB", N_("United Kingdom")}, {"US", N_("United States")},
};
enum { COUNTRY_COUNT = sizeof countries / sizeof countries[0] };

const char *const *web_country_codes(http_request *r)
{
    const char **codes = arena_alloc(r->a, sizeof *codes * (COUNTRY_COUNT + 1));
    for (size_t i = 0; i < COUNTRY_COUNT; i++)
        codes[i] = countries[i].code;
    return codes;
}

json_t *web_country_options(http_request *r, const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; i < COUNTRY_COUNT; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "code", countries[i].code, "name",
                                              i18n_text(r->lang, countries[i].name), "selected",
                                              chosen && !strcmp(chosen, countries[i].code)));
    return list;
}

static void signup_form(http_request *r, int status, const form *f, json_t *errors)
{
    const char *country = f ? form_get(f, "country") : "IT";
    const char *lang = f ? form_get(f, "language") : r->lang;
    json_t *values = json_pack("{s:s, s:s}", "name", f && form_get(f, "name") ? form_get(f, "name") : "",
                               "email", f && form_get(f, "email") ? form_get(f, "email") : "");
    web_page(r, status, "pages/signup", _("Create your account"), NULL,
             json_pack("{s:o, s:o, s:o, s:b, s:b}", "form", values, "errors", errors ? errors : json_object(),
                       "countries", web_country_options(r, country), "language_it", lang && !strcmp(lang, "it"),
                       "language_en", lang && !strcmp(lang, "en")));
}

static void get_signup(http_request *r)
{
    if (r->user_id)
        return http_redirect(r, "/");
    signup_form(r, 200, NULL, NULL);
}

static void post_signup(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    json_t *errors = json_object();
    auth_signup_in in = {
        .name = web_text(r, &f, "name", 1, 200, errors),
        .email = web_email(r, &f, "email", false, errors),
        .country = web_choice(r, &f, "country", web_country_codes(r), errors),
        .lang = web_choice(r, &f, "language", auth_languages, errors),
        .password = web_new_password(r, &f, "password", "password_confirm", errors),
    };
    if (json_object_size(errors))
        return signup_form(r, 422, &f, errors);
    int64_t user_id, org_id;
    auth_result res = auth_signup(r, &in, &user_id, &org_id);
    if (res == AUTH_EMAIL_TAKEN) {
        json_object_set_new(errors, "email", json_string(_("An account with this email already exists. "
                                                           "Sign in, or ask for a new password.")));
        return signup_form(r, 409, &f, errors);
    }
    json_decref(errors);
    if (res != AUTH_OK)
        return web_fail(r);
    web_flash(r, "signed_up");
    http_redirect(r, "/login");
}

/* GET /verify?token=...: the link of the verification mail. */
static void get_verify(http_request *r)
{
    const char *token = http_query(r, "token");
    auth_result res = token && strlen(token) <= 128 ? auth_verify_email(r, token) : AUTH_INVALID_TOKEN;
    if (res == AUTH_STORE_ERROR)
        return web_fail(r);
    bool ok = res == AUTH_OK;
    web_page(r, ok ? 200 : 400, "pages/verify", ok ? _("Email address confirmed") : _("This link does not work"),
             NULL, json_pack("{s:b, s:b}", "verified", ok, "signed_in", r->user_id > 0));
}

/* "?next=/x" for a local path (percent-encoding what a query value may not
 * hold), "" for "/" or anything else. */
static const char *next_query(http_request *r, const char *target)
{
    target = web_local_path(target);
    if (!strcmp(target, "/"))
        return "";
    char *out = arena_alloc(r->a, 6 + 3 * strlen(target) + 1), *o = out + 6;
    memcpy(out, "?next=", 6);
    for (const unsigned char *p = (const unsigned char *)target; *p; p++) {
        if (strchr("%&#+=?;\"'<>", *p)) {
            o += sprintf(o, "%%%02X", *p);
        } else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

const char *web_login_url(http_request *r)
{
    bool get = !strcmp(r->method, "GET");
    return arena_printf(r->a, "/login%s", get ? next_query(r, r->path) : "");
}

/* Where sign-in goes once it is done: the next= of the sign-in page, else "/". */
static const char *after_login(http_request *r)
{
    return web_local_path(http_query(r, "next"));
}

static void login_form(http_request *r, int status, const char *email, const char *error, json_t *errors)
{
    web_page(r, status, "pages/login", _("Sign in"), NULL,
             json_pack("{s:{s:s}, s:s?, s:o, s:s}", "form", "email", email ? email : "", "error", error, "errors",
                       errors ? errors : json_object(), "next_query", next_query(r, after_login(r))));
}

static void get_login(http_request *r)
{
    if (r->user_id)
        return http_redirect(r, after_login(r));
    login_form(r, 200, NULL, NULL, NULL);
}

bool web_session_start(http_request *r, int64_t user_id)
{
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    auth_user u;
    if (!auth_session_start(r, "web", user_id, token, &s) || !auth_user_get(r, user_id, &u))
        return false;
    web_cookie(r, AUTH_COOKIE, token, SESSION_WEB_TTL_S, false);
    web_cookie(r, WEB_COOKIE_LANG, u.language, WEB_COOKIE_LANG_MAX_AGE_S, false);
    return true;
}

/* Starts a web session: always a new token (no fixation), cookie for its life. */
static void start_session(http_request *r, int64_t user_id)
{
    if (!web_session_start(r, user_id))
        return web_fail(r);
    http_redirect(r, after_login(r));
}

/* With two-factor on, the password only opens a short challenge: the code
 * comes on the next page, carried by a cookie instead of the password. */
static void second_step_or_session(http_request *r, int64_t user_id)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, user_id, &enabled, &left))
        return web_fail(r);
    if (!enabled)
        return start_session(r, user_id);
    const char *token = twofa_challenge_new(r, user_id);
    if (!token)
        return web_fail(r);
    web_cookie(r, WEB_COOKIE_LOGIN2, token, LOGIN_CHALLENGE_TTL_S, true);
    http_redirect(r, arena_printf(r->a, "/login/otp%s", next_query(r, after_login(r))));
}

static void otp_form(http_request *r, int status, const char *error, json_t *errors)
{
    web_page(r, status, "pages/login_otp", _("Two-factor authentication"), NULL,
             json_pack("{s:s?, s:o, s:s}", "error", error, "errors", errors ? errors : json_object(), "next_query",
                       next_query(r, after_login(r))));
}

static void get_login_otp(http_request *r)
{
    if (!twofa_challenge_user(r, http_cookie(r, WEB_COOKIE_LOGIN2)))
        return http_redirect(r, "/login");
    otp_form(r, 200, NULL, NULL);
}

static void post_login_otp(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    const char *token = http_cookie(r, WEB_COOKIE_LOGIN2);
    int64_t user_id = twofa_challenge_user(r, token);
    if (!user_id) {
        web_cookie(r, WEB_COOKIE_LOGIN2, "", 0, true);
        return http_redirect(r, "/login");
    }
    const char *otp = form_get(&f, "otp");
    int64_t wait;
    twofa_result res = twofa_login_verify(r, user_id, otp ? otp : "", &wait);
    if (res == TWOFA_WAIT) {
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        return otp_form(r, 429, _("Too many failed attempts. Wait a few minutes and try again."), NULL);
    }
    if (res != TWOFA_OK) {
        twofa_challenge_failed(r, token);
        json_t *errors = json_pack("{s:s}", "otp", _("The code is wrong, used or expired."));
        return otp_form(r, 401, NULL, errors);
    }
    twofa_challenge_done(r, token);
    web_cookie(r, WEB_COOKIE_LOGIN2, "", 0, true);
    start_session(r, user_id);
}

static void post_login(http_request *r)
{
    int64_t user_id = web_login_check(r, false, login_form);
    if (user_id)
        second_step_or_session(r, user_id);
}

static void post_logout(http_request *r)
{
    session_revoke(r->db, r->session_id, 0);
    web_cookie(r, AUTH_COOKIE, "", 0, false);
    web_flash(r, "signed_out");
    http_redirect(r, "/login");
}

static void forgot_form(http_request *r, int status, const char *email, json_t *errors)
{
    web_page(r, status, "pages/forgot", _("Forgot your password?"), NULL,
             json_pack("{s:{s:s}, s:o}", "form", "email", email ? email : "", "errors",
                       errors ? errors : json_object()));
}

static void get_forgot(http_request *r)
{
    forgot_form(r, 200, NULL, NULL);
}

static void post_forgot(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    json_t *errors = json_object();
    const char *email = web_email(r, &f, "email", false, errors);
    if (!email)
        return forgot_form(r, 422, form_get(&f, "email"), errors);
    json_decref(errors);
    if (auth_password_forgot(r, email) != AUTH_OK)
        return web_fail(r);
    web_flash(r, "reset_sent");
    http_redirect(r, r->user_id ? "/profile" : "/login");
}

static void reset_form(http_request *r, int status, const char *token, const char *error, json_t *errors)
{
    web_page(r, status, "pages/reset", _("Choose a new password"), NULL,
             json_pack("{s:s, s:s?, s:o}", "token", token ? token : "", "error", error, "errors",
                       errors ? errors : json_object()));
}

static void get_reset(http_request *r)
{
    const char *token = http_query(r, "token");
    reset_form(r, 200, token && strlen(token) <= 128 ? token : "", NULL, NULL);
}

static void post_reset(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    json_t *errors = json_object();
    const char *token = form_get(&f, "token");
    if (!token || strlen(token) > 128)
        token = "";
    const char *password = web_new_password(r, &f, "password", "password_confirm", errors);
    if (!password)
        return reset_form(r, 422, token, NULL, errors);
    json_decref(errors);
    auth_result res = auth_password_reset(r, token, password);
    if (res == AUTH_INVALID_TOKEN)
        return reset_form(r, 422, token, _("This link is unknown, already used or expired. Ask for a new one."),
                          NULL);
    if (res != AUTH_OK)
        return web_fail(r);
    if (r->session_id)
        web_cookie(r, AUTH_COOKIE, "", 0, false); /* the reset signed every session out */
    web_flash(r, "password_reset");
    http_redirect(r, "/login");
}

void web_auth_routes(router *rt)
{
    router_add(rt, "GET", "/signup", get_signup, ROUTE_PAGE);
    router_add(rt, "POST", "/signup", post_signup, ROUTE_PAGE);
    router_add(rt, "GET", "/verify", get_verify, ROUTE_PAGE);
    router_add(rt, "GET", "/login", get_login, ROUTE_PAGE);
    router_add(rt, "POST", "/login", post_login, ROUTE_PAGE);
    router_add(rt, "GET", "/login/otp", get_login_otp, ROUTE_PAGE);
    router_add(rt, "POST", "/login/otp", post_login_otp, ROUTE_PAGE);
    router_add(rt, "POST", "/logout", post_logout, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/password/forgot", get_forgot, ROUTE_PAGE);
    router_add(rt, "POST", "/password/forgot", post_forgot, ROUTE_PAGE);
    router_add(rt, "GET", "/password/reset", get_reset, ROUTE_PAGE);
    router_add(rt, "POST", "/password/reset", post_reset, ROUTE_PAGE);
}
