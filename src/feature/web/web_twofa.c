/* web_twofa.c - the profile's two-factor pages: status, set-up with the QR
 * code and a first code, recovery codes shown once, new codes, switch-off. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/auth/twofa.h"
#include "feature/web/web.h"
#include "render/qr.h"

/* The status page, with an error under the form named by which. */
static void twofa_page(http_request *r, int status, const char *which, const char *error)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, r->user_id, &enabled, &left))
        return web_fail(r);
    json_t *errors = json_object();
    if (which)
        json_object_set_new(errors, which, json_string(error));
    web_page(r, status, "pages/twofa", _("Two-factor authentication"), "profile",
             json_pack("{s:b, s:i, s:o}", "enabled", enabled, "recovery_left", left, "errors", errors));
}

static void get_twofa(http_request *r)
{
    twofa_page(r, 200, NULL, NULL);
}

/* The secret in groups of four, easier to type. */
static const char *grouped(http_request *r, const char *secret)
{
    buf b;
    buf_init(&b, 64);
    for (size_t i = 0; secret[i]; i++) {
        if (i && i % 4 == 0)
            buf_putc(&b, ' ');
        buf_putc(&b, secret[i]);
    }
    const char *out = arena_strdup(r->a, buf_cstr(&b));
    buf_free(&b);
    return out;
}

static void setup_page(http_request *r, int status, const char *secret, const buf *uri, const char *error)
{
    buf svg;
    buf_init(&svg, 256 * 1024);
    if (!qr_svg(buf_cstr(uri), _("QR code for the authenticator app"), &svg))
        return buf_free(&svg), web_fail(r);
    json_t *errors = json_object();
    if (error)
        json_object_set_new(errors, "otp", json_string(error));
    web_page(r, status, "pages/twofa_setup", _("Set up two-factor authentication"), "profile",
             json_pack("{s:s, s:s, s:o}", "qr", buf_cstr(&svg), "secret_grouped", grouped(r, secret), "errors", errors));
    buf_free(&svg);
}

static void post_setup(http_request *r)
{
    char secret[TOTP_SECRET_B32 + 1];
    buf uri;
    buf_init(&uri, 2048);
    twofa_result res = twofa_begin(r, r->user_id, secret, &uri);
    if (res == TWOFA_ALREADY_ENABLED)
        http_redirect(r, "/profile/2fa");
    else if (res != TWOFA_OK)
        web_fail(r);
    else
        setup_page(r, 200, secret, &uri, NULL);
    buf_free(&uri);
}

static void codes_page(http_request *r, twofa_codes codes)
{
    json_t *list = json_array();
    for (int i = 0; i < TWOFA_RECOVERY_COUNT; i++)
        json_array_append_new(list, json_string(codes[i]));
    http_add_header(r, "Cache-Control", "no-store");
    web_page(r, 200, "pages/twofa_codes", _("Your recovery codes"), "profile", json_pack("{s:o}", "codes", list));
}

static const char *posted_otp(http_request *r, form *f)
{
    if (!web_form(r, f))
        return NULL;
    const char *otp = form_get(f, "otp");
    return otp ? otp : "";
}

static void post_confirm(http_request *r)
{
    form f;
    const char *otp = posted_otp(r, &f);
    if (!otp)
        return;
    twofa_codes codes;
    twofa_result res = twofa_confirm(r, r->user_id, otp, codes);
    if (res == TWOFA_OK)
        return codes_page(r, codes);
    if (res != TWOFA_BAD_CODE)
        return http_redirect(r, "/profile/2fa");
    char secret[TOTP_SECRET_B32 + 1];
    buf uri;
    buf_init(&uri, 2048);
    if (twofa_pending(r, r->user_id, secret, &uri) == TWOFA_OK)
        setup_page(r, 422, secret, &uri, _("The code is wrong or expired. Try the next one."));
    else
        http_redirect(r, "/profile/2fa");
    buf_free(&uri);
}

static void post_recovery(http_request *r)
{
    form f;
    const char *otp = posted_otp(r, &f);
    if (!otp)
        return;
    twofa_codes codes;
    twofa_result res = twofa_new_recovery_codes(r, r->user_id, otp, codes);
    if (res == TWOFA_OK)
        return codes_page(r, codes);
    if (res == TWOFA_BAD_CODE)
        return twofa_page(r, 422, "recovery", _("The code is wrong, used or expired."));
    res == TWOFA_NOT_ENABLED ? http_redirect(r, "/profile/2fa") : web_fail(r);
}

static void post_disable(http_request *r)
{
    form f;
    const char *otp = posted_otp(r, &f);
    if (!otp)
        return;
    twofa_result res = twofa_disable(r, r->user_id, otp);
    if (res == TWOFA_BAD_CODE)
        return twofa_page(r, 422, "disable", _("The code is wrong, used or expired."));
    if (res != TWOFA_OK && res != TWOFA_NOT_ENABLED)
        return web_fail(r);
    if (res == TWOFA_OK)
        web_flash(r, "twofa_off");
    http_redirect(r, "/profile/2fa");
}

void web_twofa_routes(router *rt)
{
    router_add(rt, "GET", "/profile/2fa", get_twofa, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/2fa/setup", post_setup, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/2fa/confirm", post_confirm, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/2fa/recovery", post_recovery, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/2fa/disable", post_disable, ROUTE_USER | ROUTE_PAGE);
}
