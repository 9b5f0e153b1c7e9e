/* web_privacy.c - the signed-in user's own data from the profile: the export
 * as a downloadable JSON file, and deleting the account with the password (and
 * a two-factor code), a confirmation, and the reasons it is refused when it is
 * (the same service as DELETE /api/v1/me). */
#include "feature/web/web_internal.h"

#include <stdlib.h>
#include <string.h>

#include "feature/account/account.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/auth/twofa.h"
#include "feature/web/web.h"
#include "http/field.h"

/* GET /profile/export: the same document as GET /api/v1/me/export, as a file. */
static void get_export(http_request *r)
{
    json_t *doc = account_export(r, r->user_id);
    if (!doc)
        return web_fail(r);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(doc);
    if (!text)
        return web_fail(r);
    account_export_headers(r);
    http_text(r, 200, "application/json; charset=utf-8", text, strlen(text));
    free(text);
}

json_t *web_privacy_deletion(http_request *r)
{
    account_blocker *b = arena_alloc(r->a, sizeof *b * ACCOUNT_ORGS_MAX);
    int n = account_blockers(r, r->user_id, b, ACCOUNT_ORGS_MAX);
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "name", b[i].name, "reason",
                                              b[i].reason == ACCOUNT_BLOCK_BALANCE
                                                  ? _("it still holds money: withdraw the balance first.")
                                                  : _("you are its last administrator and it has other members: make one of them an administrator first.")));
    return json_pack("{s:o, s:b}", "blockers", list, "blocked", n != 0);
}

/* The deletion page with the form, the reasons in the way and errors. */
static void delete_page(http_request *r, int status, json_t *errors)
{
    bool twofa;
    int left;
    if (!twofa_status(r->db, r->user_id, &twofa, &left))
        return (void)json_decref(errors), web_fail(r);
    web_page(r, status, "pages/privacy_delete", _("Delete my account"), "profile",
             json_pack("{s:o, s:b, s:o}", "deletion", web_privacy_deletion(r), "twofa", twofa, "errors",
                       errors ? errors : json_object()));
}

static void get_delete(http_request *r)
{
    delete_page(r, 200, NULL);
}

/* The password (rate-limited like a sign-in) and, with two-factor on, the code. */
static bool proof_ok(http_request *r, const form *f, json_t *errors)
{
    const char *password = form_get(f, "delete_password"), *otp = form_get(f, "delete_otp");
    char email[FIELD_EMAIL_MAX + 1];
    int64_t id = 0, wait = 0;
    bool enabled;
    int left;
    if (!auth_user_email(r->db, r->user_id, email, sizeof email) || !twofa_status(r->db, r->user_id, &enabled, &left))
        return false;
    auth_result res = password && *password && strlen(password) <= SECRET_PASSWORD_MAX
                          ? auth_login(r, false, email, password, &id, &wait)
                          : AUTH_BAD_CREDENTIALS;
    if (res == AUTH_WAIT)
        json_object_set_new(errors, "delete_password", json_string(_("Too many wrong passwords. Wait a few minutes and try again.")));
    else if (res != AUTH_OK || id != r->user_id)
        json_object_set_new(errors, "delete_password", json_string(password && *password ? _("The password is wrong.")
                                                                                        : _("This field is required.")));
    else if (enabled && (!otp || !*otp))
        json_object_set_new(errors, "delete_otp", json_string(_("This field is required.")));
    else if (enabled && twofa_verify(r, r->user_id, otp) != TWOFA_OK)
        json_object_set_new(errors, "delete_otp", json_string(_("The code is wrong, used or expired.")));
    return true;
}

static void post_delete(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    account_blocker b;
    int blocked = account_blockers(r, r->user_id, &b, 1);
    if (blocked < 0)
        return (void)json_decref(errors), web_fail(r);
    if (blocked)
        return delete_page(r, 422, errors);
    if (!form_get(&f, "delete_confirm"))
        json_object_set_new(errors, "delete_confirm", json_string(_("Tick the box to confirm.")));
    else if (!proof_ok(r, &f, errors))
        return (void)json_decref(errors), web_fail(r);
    if (json_object_size(errors))
        return delete_page(r, 422, errors);
    json_decref(errors);
    account_result res = account_delete(r, r->user_id);
    if (res == ACCOUNT_BLOCKED)
        return delete_page(r, 422, NULL);
    if (res != ACCOUNT_DELETED)
        return web_fail(r);
    web_cookie(r, AUTH_COOKIE, "", 0, false);
    web_flash(r, "account_deleted");
    http_redirect(r, "/login");
}

void web_privacy_routes(router *rt)
{
    router_add(rt, "GET", "/profile/export", get_export, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/profile/delete", get_delete, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/profile/delete", post_delete, ROUTE_USER | ROUTE_PAGE);
}
