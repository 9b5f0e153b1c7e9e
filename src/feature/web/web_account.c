/* web_account.c - the signed-in customer's own account: the profile (name,
 * language, recovery email), changing the password with the current one (and a
 * two-factor code when that is on), a
 * new confirmation link, and the language switch of every page's header. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/auth/twofa.h"
#include "feature/web/web.h"

/* Shows the profile with the forms filled from the form posted (f) or, on a
 * plain GET, from the stored profile. Errors of either form go next to their
 * fields; passwords are never filled in. */
static void profile_page(http_request *r, int status, const form *f, json_t *errors)
{
    auth_user u;
    bool twofa;
    int left;
    if (!auth_user_get(r, r->user_id, &u) || !twofa_status(r->db, r->user_id, &twofa, &left))
        return (void)json_decref(errors), web_fail(r);
    const char *name = f && form_get(f, "name") ? form_get(f, "name") : u.name;
    const char *lang = f && form_get(f, "language") ? form_get(f, "language") : u.language;
    const char *recovery = f && form_get(f, "recovery_email") ? form_get(f, "recovery_email")
                                                              : u.recovery_email ? u.recovery_email : "";
    json_t *data = json_pack("{s:{s:s, s:s, s:s}, s:b, s:b, s:b, s:b, s:o}", "form", "name", name, "email", u.email,
                       "recovery_email", recovery, "language_it", !strcmp(lang, "it"), "language_en",
                       !strcmp(lang, "en"), "verified", (int)u.email_verified, "twofa", twofa, "errors",
                       errors ? errors : json_object());
    json_object_set_new(data, "deletion", web_privacy_deletion(r));
    web_page(r, status, "pages/profile", _("Profile"), "profile", data);
}

static void get_profile(http_request *r)
{
    profile_page(r, 200, NULL, NULL);
}

static void post_profile(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *name = web_text(r, &f, "name", 1, 200, errors);
    const char *lang = web_choice(r, &f, "language", auth_languages, errors);
    const char *recovery = web_email(r, &f, "recovery_email", true, errors);
    if (json_object_size(errors))
        return profile_page(r, 422, &f, errors);
    json_decref(errors);
    if (!auth_profile_update(r->db, r->user_id, name, lang, *recovery ? recovery : NULL, !*recovery))
        return web_fail(r);
    web_cookie(r, WEB_COOKIE_LANG, lang, WEB_COOKIE_LANG_MAX_AGE_S, false);
    web_flash(r, "profile_saved");
    http_redirect(r, "/profile");
}

/* With two-factor on, changing the password needs a code (put under "otp"). */
static bool second_factor_ok(http_request *r, const form *f, json_t *errors)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, r->user_id, &enabled, &left))
        enabled = true; /* fail closed */
    const char *otp = form_get(f, "otp");
    if (!enabled || (otp && twofa_verify(r, r->user_id, otp) == TWOFA_OK))
        return true;
    json_object_set_new(errors, "otp", json_string(otp && *otp ? _("The code is wrong, used or expired.")
                                                               : _("This field is required.")));
    return false;
}

static void post_password(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *current = form_get(&f, "current_password");
    if (!current || !*current)
        json_object_set_new(errors, "current_password", json_string(_("This field is required.")));
    const char *password = web_new_password(r, &f, "new_password", "new_password_confirm", errors);
    if (json_object_size(errors))
        return profile_page(r, 422, NULL, errors);
    if (!second_factor_ok(r, &f, errors))
        return profile_page(r, 422, NULL, errors);
    auth_result res = current && strlen(current) <= SECRET_PASSWORD_MAX
                          ? auth_password_change(r, r->user_id, r->session_id, current, password)
                          : AUTH_BAD_CREDENTIALS;
    if (res == AUTH_BAD_CREDENTIALS) {
        json_object_set_new(errors, "current_password", json_string(_("The current password is wrong.")));
        return profile_page(r, 422, NULL, errors);
    }
    json_decref(errors);
    if (res != AUTH_OK)
        return web_fail(r);
    web_flash(r, "password_changed");
    http_redirect(r, "/profile");
}

static void post_verify_resend(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    if (auth_verify_resend(r, r->user_id) != AUTH_OK)
        return web_fail(r);
    web_flash(r, "verify_sent");
    http_redirect(r, "/profile");
}

/* POST /lang: lang=it|en and next=<local path>; remembered in a cookie and,
 * for a signed-in customer, in their profile (mails follow it too). */
static void post_lang(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    const char *lang = form_get(&f, "lang");
    if (!auth_language_ok(lang))
        return web_error_page(r, 400);
    if (r->user_id && !auth_profile_update(r->db, r->user_id, NULL, lang, NULL, false))
        return web_fail(r);
    web_cookie(r, WEB_COOKIE_LANG, lang, WEB_COOKIE_LANG_MAX_AGE_S, false);
    http_redirect(r, web_local_path(form_get(&f, "next")));
}

void web_account_routes(router *rt)
{
    router_add(rt, "GET", "/profile", get_profile, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile", post_profile, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/password", post_password, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/verify", post_verify_resend, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/lang", post_lang, ROUTE_PAGE);
}
