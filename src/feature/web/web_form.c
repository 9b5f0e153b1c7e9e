/* web_form.c - the plumbing of HTML forms: cookies, CSRF tokens (the web
 * session's, or a double-submit cookie for anonymous visitors), reading and
 * validating fields with translated messages, safe redirect targets, and
 * dates and VAT rates shown in the page's language. */
#include "feature/web/web_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/vat.h"
#include "core/zone.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"
#include "http/field.h"

void web_cookie_at(http_request *r, const char *path, const char *name, const char *value, int64_t max_age_s,
                   bool strict)
{
    assert(max_age_s >= 0 && !strpbrk(value, ";, \r\n") && path[0] == '/' && !strpbrk(path, ";, \r\n"));
    http_add_header(r, "Set-Cookie",
                    arena_printf(r->a, "%s=%s; Path=%s; Max-Age=%lld; HttpOnly; SameSite=%s%s", name, value, path,
                                 (long long)max_age_s, strict ? "Strict" : "Lax", r->app->https ? "; Secure" : ""));
}

void web_cookie(http_request *r, const char *name, const char *value, int64_t max_age_s, bool strict)
{
    web_cookie_at(r, "/", name, value, max_age_s, strict);
}

bool web_token_ok(const char *t)
{
    return t && strlen(t) == SECRET_TOKEN_CHARS &&
           strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == SECRET_TOKEN_CHARS;
}

const char *web_form_key(http_request *r)
{
    char *key = arena_alloc(r->a, SECRET_TOKEN_CHARS + 1);
    secret_token_new(key);
    return key;
}

const char *web_csrf(http_request *r)
{
    if (r->csrf_token)
        return r->csrf_token;
    const char *cookie = http_cookie(r, WEB_COOKIE_CSRF);
    if (web_token_ok(cookie))
        return cookie;
    /* One token per request: a second form on the page reuses it. */
    for (int i = 0; i < r->header_count; i++) {
        const char *v = r->header_values[i];
        if (!strcmp(r->header_names[i], "Set-Cookie") && !strncmp(v, WEB_COOKIE_CSRF "=", sizeof WEB_COOKIE_CSRF))
            return arena_strndup(r->a, v + sizeof WEB_COOKIE_CSRF, SECRET_TOKEN_CHARS);
    }
    char *token = arena_alloc(r->a, SECRET_TOKEN_CHARS + 1);
    secret_token_new(token);
    web_cookie(r, WEB_COOKIE_CSRF, token, WEB_COOKIE_CSRF_MAX_AGE_S, true);
    return token;
}

bool web_form(http_request *r, form *f)
{
    const char *ct = http_header(r, "Content-Type");
    if (ct && !strncmp(ct, "application/x-www-form-urlencoded", 33) && form_parse(r->a, r->body, r->body_len, f))
        return true;
    web_error_page(r, 400);
    return false;
}

bool web_anon_csrf_ok(http_request *r, const form *f)
{
    if (r->csrf_token)
        return true; /* a web session: app_dispatch checked its token */
    const char *cookie = http_cookie(r, WEB_COOKIE_CSRF), *sent = form_get(f, "_csrf");
    if (web_token_ok(cookie) && sent && auth_secure_equal(cookie, sent))
        return true;
    web_error_page(r, 403);
    return false;
}

const char *web_local_path(const char *target)
{
    if (!target || target[0] != '/' || target[1] == '/' || target[1] == '\\' || strlen(target) > WEB_NEXT_MAX)
        return "/";
    for (const unsigned char *p = (const unsigned char *)target; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
            return "/";
    return target;
}

static void field_error(json_t *errors, const char *name, const char *message)
{
    if (!json_object_get(errors, name))
        json_object_set_new(errors, name, json_string(message));
}

/* The value without surrounding spaces, in the arena. */
static const char *trimmed(http_request *r, const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return arena_strndup(r->a, v, n);
}

const char *web_text(http_request *r, const form *f, const char *name, size_t min, size_t max, json_t *errors)
{
    const char *raw = form_get(f, name);
    const char *v = trimmed(r, raw ? raw : "");
    size_t len = strlen(v);
    if (!field_text_ok(v, len))
        return field_error(errors, name, _("This contains characters that are not allowed.")), NULL;
    if (len == 0 && min > 0)
        return field_error(errors, name, _("This field is required.")), NULL;
    if (len < min)
        return field_error(errors, name, _("This is too short.")), NULL;
    if (len > max)
        return field_error(errors, name, _("This is too long.")), NULL;
    return v;
}

const char *web_optional_text(http_request *r, const form *f, const char *name, size_t max, json_t *errors)
{
    return web_text(r, f, name, 0, max, errors);
}

const char *web_email(http_request *r, const form *f, const char *name, bool optional, json_t *errors)
{
    const char *v = web_text(r, f, name, optional ? 0 : 1, FIELD_EMAIL_MAX, errors);
    if (!v || (optional && !*v))
        return v;
    if (!field_email_ok(v))
        return field_error(errors, name, _("Enter a valid email address, like name@example.com.")), NULL;
    char *lower = arena_strdup(r->a, v);
    field_lowercase(lower);
    return lower;
}

_Static_assert(SECRET_PASSWORD_MIN == 10, "the message below names the minimum");

const char *web_new_password(http_request *r, const form *f, const char *name, const char *confirm_name,
                             json_t *errors)
{
    const char *v = form_get(f, name), *confirm = form_get(f, confirm_name);
    size_t len = v ? strlen(v) : 0;
    if (len == 0)
        return field_error(errors, name, _("This field is required.")), NULL;
    if (!field_text_ok(v, len))
        return field_error(errors, name, _("This contains characters that are not allowed.")), NULL;
    if (len < SECRET_PASSWORD_MIN)
        return field_error(errors, name, _("Use at least 10 characters.")), NULL;
    if (len > SECRET_PASSWORD_MAX)
        return field_error(errors, name, _("This is too long.")), NULL;
    if (!confirm || strcmp(v, confirm))
        return field_error(errors, confirm_name, _("The two passwords are not the same.")), NULL;
    return v;
}

const char *web_choice(http_request *r, const form *f, const char *name, const char *const *allowed, json_t *errors)
{
    const char *v = form_get(f, name);
    for (const char *const *a = allowed; v && *a; a++)
        if (!strcmp(*a, v))
            return *a;
    field_error(errors, name, _("Choose one of the options."));
    return NULL;
}

int64_t web_current_org(http_request *r)
{
    if (!r->user_id)
        return 0;
    if (r->current_org && org_user_may(r->db, r->user_id, r->current_org, ORG_NEED_MEMBER))
        return r->current_org;
    return org_first_for_user(r->db, r->user_id);
}

const char *web_vat_rate(http_request *r, int rate_bp)
{
    char text[8];
    vat_rate_text(rate_bp, text);
    char *shown = arena_strdup(r->a, text), *dot = strchr(shown, '.');
    if (dot && !strcmp(r->lang, "it"))
        *dot = ',';
    return shown;
}

const char *web_datetime(http_request *r, const char *iso)
{
    int y, mo, d, h, mi, s;
    char z;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z')
        return iso ? iso : "";
    struct tm utc = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s};
    struct tm w;
    if (!zone_wall_tm((int64_t)timegm(&utc), ZONE_PROVIDER, &w))
        return iso;
    if (!strcmp(r->lang, "it"))
        return arena_printf(r->a, "%02d/%02d/%04d %02d:%02d", w.tm_mday, w.tm_mon + 1, w.tm_year + 1900, w.tm_hour, w.tm_min);
    return arena_printf(r->a, "%04d-%02d-%02d %02d:%02d", w.tm_year + 1900, w.tm_mon + 1, w.tm_mday, w.tm_hour, w.tm_min);
}

int64_t web_login_check(http_request *r, bool staff, web_login_form_fn login_form)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return 0;
    json_t *errors = json_object();
    const char *email = web_email(r, &f, "email", false, errors);
    const char *password = form_get(&f, "password");
    if (!password || !*password)
        json_object_set_new(errors, "password", json_string(_("This field is required.")));
    else if (strlen(password) > SECRET_PASSWORD_MAX)
        json_object_set_new(errors, "password", json_string(_("This is too long.")));
    if (json_object_size(errors))
        return login_form(r, 422, form_get(&f, "email"), NULL, errors), 0;
    json_decref(errors);
    int64_t id = 0, wait_s = 0;
    switch (auth_login(r, staff, email, password, &id, &wait_s)) {
    case AUTH_OK:
        return id;
    case AUTH_BAD_CREDENTIALS:
        return login_form(r, 401, email, _("The email or the password is wrong."), NULL), 0;
    case AUTH_WAIT:
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait_s));
        return login_form(r, 429, email, _("Too many failed attempts. Wait a few minutes and try again."), NULL), 0;
    default:
        return web_fail(r), 0;
    }
}
