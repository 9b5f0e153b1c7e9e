/* web_members.c - the current organization's members page (the list; for
 * administrators a rights form per member, removal, the invite form and the
 * pending invitations with cancel; for anyone, leaving) and its audit log page
 * (administrators). The same services as the API (orgs/members.h,
 * invitations.h, org_audit.h); what a user may not see is the 404 page. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "core/number_text.h"
#include "feature/orgs/invitations.h"
#include "feature/orgs/members.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

enum { WEB_AUDIT_PAGE = 50 };

static const char *const roles[] = {"member", "admin", NULL};

/* "All services", or how many services and categories a limited member has. */
static const char *access_label(http_request *r, json_t *access)
{
    if (json_is_true(json_object_get(access, "all")))
        return _("All services");
    size_t n = json_array_size(json_object_get(access, "services")) +
               json_array_size(json_object_get(access, "categories"));
    return n ? _("Chosen services only") : _("No services");
}

/* Adds labels and flags the template needs to each member. */
static void decorate_members(http_request *r, json_t *list, bool admin)
{
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        bool is_admin = !strcmp(json_string_value(json_object_get(m, "role")), "admin");
        json_object_set_new(m, "role_label", json_string(is_admin ? _("Administrator") : _("Member")));
        json_object_set_new(m, "is_admin", json_boolean(is_admin));
        json_object_set_new(m, "access_label", json_string(access_label(r, json_object_get(m, "access"))));
        json_object_set_new(m, "me", json_boolean(json_integer_value(json_object_get(m, "user_id")) == r->user_id));
        json_object_set_new(m, "can_edit", json_boolean(admin));
    }
}

static void decorate_invitations(http_request *r, json_t *list)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        bool is_admin = !strcmp(json_string_value(json_object_get(v, "role")), "admin");
        json_object_set_new(v, "role_label", json_string(is_admin ? _("Administrator") : _("Member")));
        json_object_set_new(v, "expires", json_string(web_datetime(r, json_string_value(json_object_get(v, "expires_at")))));
    }
}

/* The members page; error (translated) shown on top, invite the invite form's
 * values and errors ({"form", "errors"}, stolen; NULL = empty). */
static void members_page(http_request *r, int status, const char *error, json_t *invite)
{
    int64_t org = web_current_org(r);
    char name[ORG_NAME_MAX + 1];
    if (!org || !org_name(r->db, org, name, sizeof name)) {
        json_decref(invite);
        return web_error_page(r, 404);
    }
    bool admin = org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN);
    json_t *members = members_list_json(r, org), *pending = invitations_pending_json(r, org);
    if (!members || !pending) {
        json_decref(members);
        json_decref(pending);
        json_decref(invite);
        return web_fail(r);
    }
    decorate_members(r, members, admin);
    decorate_invitations(r, pending);
    if (!invite)
        invite = json_pack("{s:{s:s, s:b}, s:{}}", "form", "email", "", "member", 1, "errors");
    json_t *data = json_pack("{s:s, s:o, s:o, s:b, s:o, s:s?, s:b}", "org_name", name, "members", members,
                             "invitations", pending, "admin", admin, "invite", invite, "error", error, "tab_members", 1);
    web_page(r, status, "pages/members", _("Members"), "organization", data);
}

static void get_members(http_request *r)
{
    members_page(r, 200, NULL, NULL);
}

/* The current organization of a signed-in user, or 0 after the 404 page. */
static int64_t current_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (!org)
        web_error_page(r, 404);
    return org;
}

/* Turns a refused change into the page: the members page with a message, or 404. */
static void members_refused(http_request *r, members_result res)
{
    if (res == MEMBERS_LAST_ADMIN)
        return members_page(r, 409, _("The organization needs an administrator: make someone else "
                                      "administrator first."), NULL);
    if (res == MEMBERS_LEGAL_REP)
        return members_page(r, 409, _("The legal representative may not leave: hand the role to another "
                                      "member in the organization's profile first."), NULL);
    if (res == MEMBERS_STORE_ERROR)
        return web_fail(r);
    web_error_page(r, 404);
}

/* POST /organization/members/{user_id}: role and billing right. */
static void post_rights(http_request *r)
{
    int64_t org = current_org(r), user_id;
    form f;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "user_id", &user_id))
        return web_error_page(r, 404);
    json_t *errors = json_object();
    member_patch p = {.role = web_choice(r, &f, "role", roles, errors), .billing = form_get(&f, "billing") != NULL};
    json_decref(errors);
    if (!p.role)
        return web_error_page(r, 400);
    members_result res = members_update(r, org, user_id, &p);
    if (res != MEMBERS_OK)
        return members_refused(r, res);
    web_flash(r, "rights_saved");
    http_redirect(r, "/organization/members");
}

/* POST /organization/members/{user_id}/remove: removal, or leaving. */
static void post_remove(http_request *r)
{
    int64_t org = current_org(r), user_id;
    form f;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "user_id", &user_id))
        return web_error_page(r, 404);
    members_result res = members_remove(r, org, user_id);
    if (res != MEMBERS_OK)
        return members_refused(r, res);
    web_flash(r, user_id == r->user_id ? "left" : "member_removed");
    http_redirect(r, user_id == r->user_id ? "/" : "/organization/members");
}

/* POST /organization/invitations: email, role, billing. */
static void post_invite(http_request *r)
{
    int64_t org = current_org(r), id;
    form f;
    if (!org || !web_form(r, &f))
        return;
    if (!org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN))
        return web_error_page(r, 404);
    json_t *errors = json_object();
    const char *email = web_email(r, &f, "email", false, errors);
    const char *role = web_choice(r, &f, "role", roles, errors);
    member_rights m = {.admin = role && !strcmp(role, "admin"), .billing = form_get(&f, "billing") != NULL,
                       .access = {.all = true}};
    invite_result res = json_object_size(errors) ? INVITE_RESULT_COUNT : invitation_create(r, org, email, &m, &id);
    if (res == INVITE_OK) {
        json_decref(errors);
        web_flash(r, "invited");
        return http_redirect(r, "/organization/members");
    }
    if (res == INVITE_STORE_ERROR) {
        json_decref(errors);
        return web_fail(r);
    }
    if (res == INVITE_ALREADY_MEMBER)
        json_object_set_new(errors, "email", json_string(_("This person is a member already.")));
    if (res == INVITE_TOO_MANY)
        json_object_set_new(errors, "email", json_string(_("Too many invitations are pending: cancel some first.")));
    const char *typed = form_get(&f, "email");
    json_t *invite = json_pack("{s:{s:s, s:b, s:b, s:b}, s:o}", "form", "email", typed ? typed : "", "member",
                               !m.admin, "admin", m.admin, "billing", m.billing, "errors", errors);
    members_page(r, res == INVITE_ALREADY_MEMBER ? 409 : 422, NULL, invite);
}

/* POST /organization/invitations/{invitation_id}/cancel */
static void post_cancel(http_request *r)
{
    int64_t org = current_org(r), id;
    form f;
    if (!org || !web_form(r, &f))
        return;
    if (!org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN) || !http_param_id(r, "invitation_id", &id))
        return web_error_page(r, 404);
    invite_result res = invitation_cancel(r, org, id);
    if (res == INVITE_NOT_FOUND)
        return web_error_page(r, 404);
    if (res != INVITE_OK)
        return web_fail(r);
    web_flash(r, "invitation_cancelled");
    http_redirect(r, "/organization/members");
}

/* The label of an audit action in the request's language. */
static const char *action_label(http_request *r, const char *action)
{
    static const struct {
        const char *action, *label;
    } labels[] = {
        {"sign_in", N_("Sign-in")},
        {"member.rights", N_("Rights changed")},
        {"member.removed", N_("Member removed")},
        {"member.left", N_("Member left")},
        {"invitation.sent", N_("Invitation sent")},
        {"invitation.accepted", N_("Invitation accepted")},
        {"invitation.cancelled", N_("Invitation cancelled")},
        {"wallet.adjust", N_("Credit adjustment by staff")},
        {"org.profile", N_("Profile changed")},
        {"org.logo", N_("Logo changed")},
        {"order.placed", N_("Order placed")},
        {"service.status", N_("Service status changed")},
        {"service.settings", N_("Renewal settings changed")},
        {"service.assigned", N_("Service assigned to an end customer")},
        {"service.unassigned", N_("Service assignment removed")},
        {"service.claimed", N_("Service claimed")},
        {"credit.grant", N_("Free credit granted by staff")},
        {"credit.revoke", N_("Free credit revoked by staff")},
        {"withdrawal.requested", N_("Withdrawal requested")},
        {"withdrawal.cancelled", N_("Withdrawal cancelled")},
        {"withdrawal.approved", N_("Withdrawal approved")},
        {"withdrawal.rejected", N_("Withdrawal rejected")},
        {"withdrawal.paid", N_("Withdrawal paid (PayPal)")},
        {"withdrawal.exported", N_("Withdrawal exported to the bank")},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].action, action))
            return i18n_text(r->lang, labels[i].label);
    return action;
}

/* What an entry was about, in a few words: the member's email, or the amount. */
static const char *about(http_request *r, json_t *detail)
{
    const char *email = json_string_value(json_object_get(detail, "email"));
    json_t *amount = json_object_get(detail, "amount");
    if (email)
        return email;
    const char *shown = json_string_value(json_object_get(amount, "display"));
    const char *reason = json_string_value(json_object_get(detail, "reason"));
    if (shown)
        return arena_printf(r->a, "%s · %s", shown, reason ? reason : "");
    return "";
}

static void decorate_entries(http_request *r, json_t *entries)
{
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        json_t *u = json_object_get(e, "user");
        const char *who = json_is_object(u) ? json_string_value(json_object_get(u, "email")) : _("Staff");
        json_object_set_new(e, "date", json_string(web_datetime(r, json_string_value(json_object_get(e, "created_at")))));
        json_object_set_new(e, "label", json_string(action_label(r, json_string_value(json_object_get(e, "action")))));
        json_object_set_new(e, "who", json_string(who ? who : _("Former user")));
        json_object_set_new(e, "about", json_string(about(r, json_object_get(e, "detail"))));
    }
}

/* GET /organization/audit?cursor=: administrators only. */
static void get_audit(http_request *r)
{
    int64_t org = web_current_org(r), before_id = 0;
    const char *cursor = http_query(r, "cursor");
    if (cursor && !int_text_id(cursor, &before_id))
        return web_error_page(r, 404);
    if (!org || !org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN))
        return web_error_page(r, 404);
    json_t *page = org_audit_page_json(r, org, before_id, WEB_AUDIT_PAGE);
    if (!page)
        return web_fail(r);
    json_t *entries = json_object_get(page, "entries");
    decorate_entries(r, entries);
    json_t *next = json_object_get(page, "next_cursor");
    if (json_is_string(next))
        json_object_set_new(page, "older_url",
                            json_string(arena_printf(r->a, "/organization/audit?cursor=%s", json_string_value(next))));
    json_object_set_new(page, "has_entries", json_boolean(json_array_size(entries) > 0));
    json_object_set_new(page, "paged", json_boolean(before_id > 0));
    json_object_set_new(page, "csv_url", json_string(arena_printf(r->a, "/api/v1/orgs/%lld/audit.csv", (long long)org)));
    json_object_set_new(page, "admin", json_true());
    json_object_set_new(page, "tab_audit", json_true());
    web_page(r, 200, "pages/members_audit", _("Audit log"), "organization", page);
}

void web_members_routes(router *rt)
{
    router_add(rt, "GET", "/organization/members", get_members, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/members/{user_id}", post_rights, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/members/{user_id}/remove", post_remove, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/invitations", post_invite, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/invitations/{invitation_id}/cancel", post_cancel, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/organization/audit", get_audit, ROUTE_USER | ROUTE_PAGE);
    web_invitation_routes(rt);
}
