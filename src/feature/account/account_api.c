/* account_api.c - GET /api/v1/me/export (the user's data as a JSON file) and
 * DELETE /api/v1/me (deleting one's own account with the password, and a code
 * when two-factor is on). */
#include "feature/account/account.h"

#include <string.h>
#include <time.h>

#include "core/zone.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/auth/twofa.h"
#include "http/field.h"
#include "http/json_in.h"

void account_export_headers(http_request *r)
{
    char day[11] = "export";
    (void)zone_provider_date((int64_t)time(NULL), day); /* today in Italy, as the pages date things */
    http_add_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"saldo-export-%s.json\"", day));
    http_add_header(r, "Cache-Control", "no-store");
}

static void get_export(http_request *r)
{
    json_t *doc = account_export(r, r->user_id);
    if (!doc)
        return http_error(r, 500, "store_error", "cannot read your data; try again", NULL);
    account_export_headers(r);
    http_json(r, 200, doc);
}

/* 422 account_in_use with the organizations in the way. */
static void answer_blocked(http_request *r, const account_blocker *b, int n)
{
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)b[i].org_id, "name", b[i].name,
                                              "reason", account_block_codes[b[i].reason]));
    http_json(r, 422, json_pack("{s:{s:s, s:s, s:o}}", "error", "code", "account_in_use", "message",
                                "you are the last administrator of organizations that have other members or money:"
                                " hand the role over, or withdraw the balance, first",
                                "organizations", list));
}

/* The password (rate-limited like a sign-in) and, with two-factor on, a code;
 * answers 401/422/429 itself. */
static bool proof_ok(http_request *r, const char *password, const char *otp)
{
    char email[FIELD_EMAIL_MAX + 1];
    int64_t id = 0, wait = 0;
    bool enabled;
    int left;
    if (!auth_user_email(r->db, r->user_id, email, sizeof email) || !twofa_status(r->db, r->user_id, &enabled, &left))
        return http_error(r, 500, "store_error", "nothing was changed", NULL), false;
    switch (auth_login(r, false, email, password, &id, &wait)) {
    case AUTH_OK:
        break;
    case AUTH_WAIT:
        http_add_header(r, "Retry-After", arena_printf(r->a, "%lld", (long long)wait));
        return http_error(r, 429, "too_many_attempts", "too many wrong passwords: wait and try again", NULL), false;
    case AUTH_BAD_CREDENTIALS:
        return http_error(r, 422, "invalid_field", "password: the password is wrong", "password"), false;
    default:
        return http_error(r, 500, "store_error", "nothing was changed", NULL), false;
    }
    if (enabled && !otp)
        return http_error(r, 422, "otp_required", "otp: a code from the authenticator app is required", "otp"), false;
    if (enabled && twofa_verify(r, r->user_id, otp) != TWOFA_OK)
        return http_error(r, 422, "invalid_otp", "otp: the code is wrong, used or expired", "otp"), false;
    return id == r->user_id || (http_error(r, 422, "invalid_field", "password: the password is wrong", "password"), false);
}

static void delete_me(http_request *r)
{
    json_t *b;
    const char *password, *otp;
    account_blocker *blockers = arena_alloc(r->a, sizeof *blockers * ACCOUNT_ORGS_MAX);
    if (!jin_body(r, &b) || !jin_string(r, b, "password", JIN_REQUIRED, 1, SECRET_PASSWORD_MAX, &password) ||
        !jin_string(r, b, "otp", JIN_OPTIONAL, 1, TWOFA_CODE_INPUT_MAX, &otp))
        return;
    int n = account_blockers(r, r->user_id, blockers, ACCOUNT_ORGS_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "nothing was changed", NULL);
    if (n > 0)
        return answer_blocked(r, blockers, n);
    if (!proof_ok(r, password, otp))
        return;
    switch (account_delete(r, r->user_id)) {
    case ACCOUNT_DELETED:
        return http_text(r, 204, NULL, "", 0);
    case ACCOUNT_BLOCKED:
        n = account_blockers(r, r->user_id, blockers, ACCOUNT_ORGS_MAX);
        return answer_blocked(r, blockers, n > 0 ? n : 0);
    default:
        return http_error(r, 500, "store_error", "nothing was changed", NULL);
    }
}

void account_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/me/export", get_export, ROUTE_USER);
    router_add(rt, "DELETE", "/api/v1/me", delete_me, ROUTE_USER);
}
