/* twofa_api.c - the two-factor API: GET /api/v1/me/2fa, setup, confirm,
 * disable, new recovery codes, and the password change that needs a code. */
#include "feature/auth/twofa.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/auth/auth_internal.h"
#include "feature/auth/session.h"
#include "http/json_in.h"
#include "render/qr.h"

static void answer_twofa_error(http_request *r, twofa_result res)
{
    switch (res) {
    case TWOFA_ALREADY_ENABLED:
        return http_error(r, 409, "two_factor_enabled", "two-factor authentication is already on", NULL);
    case TWOFA_NOT_ENABLED:
        return http_error(r, 409, "two_factor_disabled", "two-factor authentication is off", NULL);
    case TWOFA_NOT_STARTED:
        return http_error(r, 409, "two_factor_not_started", "start the setup first", NULL);
    case TWOFA_BAD_CODE:
        return http_error(r, 422, "invalid_otp", "otp: the code is wrong, used or expired", "otp");
    default:
        return http_error(r, 500, "store_error", "nothing was changed", NULL);
    }
}

bool twofa_api_second_factor(http_request *r, int64_t user_id, const char *otp)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, user_id, &enabled, &left))
        return auth_store_failed(r);
    if (!enabled)
        return true;
    if (!otp) {
        http_error(r, 401, "otp_required", "otp: this account needs a code from the authenticator app", "otp");
        return false;
    }
    int64_t wait;
    switch (twofa_login_verify(r, user_id, otp, &wait)) {
    case TWOFA_OK:
        return true;
    case TWOFA_WAIT:
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        http_error(r, 429, "too_many_attempts", "too many wrong codes: wait and try again", NULL);
        return false;
    case TWOFA_BAD_CODE:
        http_error(r, 401, "invalid_otp", "otp: the code is wrong, used or expired", "otp");
        return false;
    default:
        return auth_store_failed(r);
    }
}

static json_t *codes_json(twofa_codes codes)
{
    json_t *list = json_array();
    for (int i = 0; i < TWOFA_RECOVERY_COUNT; i++)
        json_array_append_new(list, json_string(codes[i]));
    return list;
}

static void get_twofa(http_request *r)
{
    bool enabled;
    int left;
    if (!twofa_status(r->db, r->user_id, &enabled, &left))
        return answer_twofa_error(r, TWOFA_STORE_ERROR);
    http_json(r, 200, json_pack("{s:b, s:i}", "enabled", enabled, "recovery_codes_left", left));
}

static void post_setup(http_request *r)
{
    char secret[TOTP_SECRET_B32 + 1];
    buf uri, svg;
    buf_init(&uri, 2048);
    buf_init(&svg, 256 * 1024);
    twofa_result res = twofa_begin(r, r->user_id, secret, &uri);
    if (res == TWOFA_OK && qr_svg(buf_cstr(&uri), "otpauth", &svg))
        http_json(r, 200, json_pack("{s:s, s:s, s:s}", "secret", secret, "otpauth_uri", buf_cstr(&uri),
                                    "qr_svg", buf_cstr(&svg)));
    else
        answer_twofa_error(r, res == TWOFA_OK ? TWOFA_STORE_ERROR : res);
    buf_free(&uri);
    buf_free(&svg);
}

/* Reads {"otp": "..."}; answers 400/422 itself. */
static bool otp_body(http_request *r, const char **otp)
{
    json_t *b;
    return jin_body(r, &b) && jin_string(r, b, "otp", JIN_REQUIRED, 1, TWOFA_CODE_INPUT_MAX, otp);
}

static void post_confirm(http_request *r)
{
    const char *otp;
    twofa_codes codes;
    if (!otp_body(r, &otp))
        return;
    twofa_result res = twofa_confirm(r, r->user_id, otp, codes);
    if (res != TWOFA_OK)
        return answer_twofa_error(r, res);
    http_json(r, 200, json_pack("{s:b, s:o}", "enabled", 1, "recovery_codes", codes_json(codes)));
}

static void post_disable(http_request *r)
{
    const char *otp;
    if (!otp_body(r, &otp))
        return;
    twofa_result res = twofa_disable(r, r->user_id, otp);
    if (res != TWOFA_OK)
        return answer_twofa_error(r, res);
    http_json(r, 200, json_pack("{s:b}", "enabled", 0));
}

static void post_recovery_codes(http_request *r)
{
    const char *otp;
    twofa_codes codes;
    if (!otp_body(r, &otp))
        return;
    twofa_result res = twofa_new_recovery_codes(r, r->user_id, otp, codes);
    if (res != TWOFA_OK)
        return answer_twofa_error(r, res);
    http_json(r, 200, json_pack("{s:o}", "recovery_codes", codes_json(codes)));
}

/* POST /api/v1/me/password {current_password, password, otp?}: signs out the
 * user's other sessions. With two-factor on, the code comes first. */
static void post_password(http_request *r)
{
    json_t *b;
    const char *current, *password, *otp;
    bool enabled;
    int left;
    if (!jin_body(r, &b) || !jin_string(r, b, "current_password", JIN_REQUIRED, 1, SECRET_PASSWORD_MAX, &current) ||
        !jin_string(r, b, "password", JIN_REQUIRED, SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX, &password) ||
        !jin_string(r, b, "otp", JIN_OPTIONAL, 1, TWOFA_CODE_INPUT_MAX, &otp))
        return;
    if (!twofa_status(r->db, r->user_id, &enabled, &left))
        return answer_twofa_error(r, TWOFA_STORE_ERROR);
    if (enabled && !otp)
        return http_error(r, 422, "otp_required", "otp: a code from the authenticator app is required", "otp");
    if (enabled && twofa_verify(r, r->user_id, otp) != TWOFA_OK)
        return answer_twofa_error(r, TWOFA_BAD_CODE);
    auth_result res = auth_password_change(r, r->user_id, r->session_id, current, password);
    if (res == AUTH_BAD_CREDENTIALS)
        return http_error(r, 422, "invalid_field", "current_password: the password is wrong", "current_password");
    if (res != AUTH_OK)
        return (void)auth_store_failed(r);
    http_json(r, 200, json_pack("{s:b}", "changed", 1));
}

void twofa_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/me/2fa", get_twofa, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/me/2fa/setup", post_setup, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/me/2fa/confirm", post_confirm, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/me/2fa/disable", post_disable, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/me/2fa/recovery-codes", post_recovery_codes, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/me/password", post_password, ROUTE_USER);
}
