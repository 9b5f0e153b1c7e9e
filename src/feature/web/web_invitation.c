/* web_invitation.c - the page an invitation mail links to, /invitations/{token}:
 * it names the organization and the inviter, then, depending on who opens it,
 * offers to accept (signed in with the invited address), says to sign out
 * (signed in as someone else), to sign in (the address has an account), or a
 * sign-up form with the address filled in (no account yet: the link proves the
 * address, so the account starts verified and lands in the organization). */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/orgs/invitations.h"
#include "feature/web/web.h"
#include "http/json_in.h"

/* The landing page for a pending invitation v; the sign-up form's values and
 * errors come from f and errors (stolen; NULL = a fresh form). */
static void landing(http_request *r, int status, const char *token, const invitation_view *v, const form *f,
                    json_t *errors, const char *error)
{
    auth_user me;
    bool signed_in = r->user_id && auth_user_get(r, r->user_id, &me);
    bool same = signed_in && !strcmp(me.email, v->email);
    const char *country = f ? form_get(f, "country") : "IT";
    const char *lang = f ? form_get(f, "language") : r->lang;
    const char *name = f ? form_get(f, "name") : NULL;
    json_t *t = jout_time(v->expires_at);
    const char *expires = web_datetime(r, json_string_value(t));
    json_decref(t);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:o, s:o, s:b, s:b, s:{s:s}, s:s?}",
        "token", token, "org_name", v->org_name, "inviter", v->inviter_name, "email", v->email,
        "admin", v->rights.admin, "billing", v->rights.billing, "expires",
        expires,
        "errors", errors ? errors : json_object(), "countries", web_country_options(r, country),
        "language_it", lang && !strcmp(lang, "it"), "language_en", lang && !strcmp(lang, "en"),
        "form", "name", name ? name : "", "error", error);
    json_object_set_new(data, same ? "can_accept" : signed_in ? "other_account" : v->has_account ? "sign_in" : "sign_up",
                        json_true());
    if (signed_in)
        json_object_set_new(data, "me_email", json_string(me.email));
    web_page(r, status, "pages/invitation", _("Invitation"), NULL, data);
}

static void invalid(http_request *r)
{
    web_page(r, 404, "pages/invitation_invalid", _("This invitation does not work"), NULL, NULL);
}

/* Looks the token up; answers the invalid page or the 500 page when it fails. */
static bool lookup(http_request *r, invitation_view *v)
{
    invite_result res = invitation_lookup(r, http_param(r, "token"), v);
    if (res == INVITE_OK)
        return true;
    if (res == INVITE_NOT_FOUND)
        invalid(r);
    else
        web_fail(r);
    return false;
}

static void get_invitation(http_request *r)
{
    invitation_view v;
    if (lookup(r, &v))
        landing(r, 200, http_param(r, "token"), &v, NULL, NULL, NULL);
}

/* Signed in with the invited address: joins. */
static void post_accept(http_request *r)
{
    form f;
    invitation_view v;
    int64_t user_id;
    if (!web_form(r, &f))
        return;
    invite_result res = invitation_accept(r, http_param(r, "token"), r->user_id, NULL, &user_id, &v);
    if (res == INVITE_NOT_FOUND)
        return invalid(r);
    if (res == INVITE_WRONG_EMAIL || res == INVITE_ALREADY_MEMBER) {
        if (!lookup(r, &v))
            return;
        return landing(r, res == INVITE_WRONG_EMAIL ? 403 : 409, http_param(r, "token"), &v, NULL, NULL,
                       res == INVITE_WRONG_EMAIL ? _("This invitation is for another email address.")
                                                 : _("You are a member of this organization already."));
    }
    if (res != INVITE_OK)
        return web_fail(r);
    /* MERGE: switch the session to v.org_id with the organization switcher's
     * function, so that the member lands in the organization they joined. */
    web_flash(r, "joined");
    http_redirect(r, "/organization/members");
}

/* Not signed in, no account: creates it with the invited address and joins. */
static void post_signup(http_request *r)
{
    form f;
    invitation_view v;
    int64_t user_id;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f) || !lookup(r, &v))
        return;
    const char *token = http_param(r, "token");
    json_t *errors = json_object();
    auth_signup_in in = {
        .name = web_text(r, &f, "name", 1, 200, errors),
        .email = v.email,
        .country = web_choice(r, &f, "country", web_country_codes(r), errors),
        .lang = web_choice(r, &f, "language", auth_languages, errors),
        .password = web_new_password(r, &f, "password", "password_confirm", errors),
    };
    if (json_object_size(errors))
        return landing(r, 422, token, &v, &f, errors, NULL);
    json_decref(errors);
    invite_result res = invitation_accept(r, token, 0, &in, &user_id, &v);
    if (res == INVITE_NOT_FOUND)
        return invalid(r);
    if (res == INVITE_EMAIL_TAKEN) {
        v.has_account = true;
        return landing(r, 409, token, &v, NULL, NULL, _("An account with this email exists: sign in to accept."));
    }
    if (res != INVITE_OK || !web_session_start(r, user_id))
        return web_fail(r);
    web_flash(r, "joined");
    http_redirect(r, "/");
}

void web_invitation_routes(router *rt)
{
    router_add(rt, "GET", "/invitations/{token}", get_invitation, ROUTE_PAGE);
    router_add(rt, "POST", "/invitations/{token}/accept", post_accept, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/invitations/{token}/signup", post_signup, ROUTE_PAGE);
}
