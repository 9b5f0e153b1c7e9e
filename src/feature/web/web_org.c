/* web_org.c - organizations as objects in the client area: creating one,
 * switching the current one from the header, its profile (a form for admins,
 * read-only for other members), its logo (uploaded as multipart/form-data,
 * checked by content, served to members), and deleting it once nothing blocks
 * it. The same orgs services as the API (feature/orgs/orgs.h). */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/auth/auth.h"
#include "feature/auth/session.h"
#include "app.h"
#include "core/vat.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat.h"
#include "feature/vat/vat_preview.h"
#include "feature/web/web.h"
#include "lib/config.h"
#include "http/multipart.h"

/* Kinds in the order the forms show them, with their labels. */
static json_t *kind_options(http_request *r, const char *chosen)
{
    static const char *const labels[] = {N_("Person or sole trader"), N_("Company"), N_("Public administration")};
    _Static_assert(sizeof labels / sizeof labels[0] == ORG_KIND_COUNT, "one label per kind");
    json_t *list = json_array();
    for (int k = 0; k < ORG_KIND_COUNT; k++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "value", org_kind_names[k], "label",
                                              i18n_text(r->lang, labels[k]), "checked",
                                              chosen && !strcmp(chosen, org_kind_names[k])));
    return list;
}

static void new_page(http_request *r, int status, const form *f, json_t *errors)
{
    const char *name = f ? form_get(f, "name") : NULL, *kind = f ? form_get(f, "kind") : "company";
    web_page(r, status, "pages/org_new", _("New organization"), "organization",
             json_pack("{s:{s:s}, s:o, s:o}", "form", "name", name ? name : "", "kinds", kind_options(r, kind),
                       "errors", errors ? errors : json_object()));
}

static void get_new(http_request *r)
{
    new_page(r, 200, NULL, NULL);
}

/* POST /orgs/new: creates it, makes it the current one, opens its profile. */
static void post_new(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *name = web_text(r, &f, "name", 1, ORG_NAME_MAX, errors);
    const char *kind = web_choice(r, &f, "kind", org_kind_names, errors);
    if (!name || !kind)
        return new_page(r, 422, &f, errors);
    json_decref(errors);
    int64_t org_id;
    org_kind k = ORG_KIND_PERSON;
    while (strcmp(org_kind_names[k], kind))
        k++;
    if (!org_create_named(r->db, name, k, r->user_id, &org_id) ||
        !session_set_current_org(r->db, r->session_id, org_id))
        return web_fail(r);
    web_flash(r, "org_created");
    http_redirect(r, arena_printf(r->a, "/orgs/%lld", (long long)org_id));
}

/* POST /orgs/switch: org_id becomes the session's current organization. */
static void post_switch(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    int64_t org_id;
    if (!int_text_id(form_get(&f, "org_id"), &org_id) || !org_user_may(r->db, r->user_id, org_id, ORG_NEED_MEMBER))
        return web_error_page(r, 404);
    if (!session_set_current_org(r->db, r->session_id, org_id))
        return web_fail(r);
    http_redirect(r, web_local_path(form_get(&f, "next")));
}

/* The members as options of the legal representative's list. */
static json_t *member_options(http_request *r, int64_t org_id, int64_t chosen, const char **chosen_name)
{
    org_member *members = arena_alloc(r->a, sizeof *members * ORG_MEMBERS_MAX);
    int n = org_members(r->db, org_id, members, ORG_MEMBERS_MAX);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    *chosen_name = NULL;
    for (int i = 0; i < n; i++) {
        auth_user u;
        if (!auth_user_get(r, members[i].user_id, &u))
            continue;
        if (u.id == chosen)
            *chosen_name = u.name;
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:b}", "user_id", (json_int_t)u.id, "name", u.name,
                                              "email", u.email, "selected", u.id == chosen));
    }
    return list;
}

/* What blocks deleting, translated, for the delete section. */
static json_t *blocker_list(http_request *r, int64_t org_id, bool *failed)
{
    org_blocker b[ORG_BLOCKERS_MAX];
    int n = org_delete_blockers(r, org_id, r->user_id, b);
    *failed = n < 0;
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "code", b[i].code, "message",
                                              i18n_text(r->lang, b[i].message), "detail", b[i].detail));
    return list;
}

/* The VAT the organization's purchases get today, for members with the
 * billing right: {"summary", "mention", "basis"} or {"no_address": true};
 * NULL for others, or when there is no decision (no rate that day), or with
 * *failed set on a store error. */
static json_t *vat_section(http_request *r, int64_t org_id, bool *failed)
{
    char today[11];
    vat_evidence ev;
    vat_status st = VAT_OK;
    vat_decision d;
    if (!org_user_may(r->db, r->user_id, org_id, ORG_NEED_BILLING) || !vat_today(today))
        return NULL;
    vat_preview_result res = vat_preview(r->db, org_id, r->app->cfg->provider.country, today, &ev, &st, &d);
    if (res == VAT_PREVIEW_NO_ADDRESS)
        return json_pack("{s:b}", "no_address", 1);
    *failed = res != VAT_PREVIEW_DECIDED;
    if (res != VAT_PREVIEW_DECIDED || st != VAT_OK)
        return NULL;
    const char *rate = web_vat_rate(r, d.rate_bp);
    const char *summary = d.scheme == VAT_SCHEME_REVERSE_CHARGE ? _("Reverse charge (0%)")
                          : d.scheme == VAT_SCHEME_NOT_SUBJECT  ? _("Not subject to VAT (0%)")
                                                                : arena_printf(r->a, "%s%% (%s)", rate, d.rate_country);
    const char *basis = ev.business ? arena_printf(r->a, _("Billing country %s, VAT ID %s: a business."),
                                                   ev.billing_country, ev.vat_id)
                                    : arena_printf(r->a, _("Billing country %s, no valid VAT ID: a consumer."),
                                                   ev.billing_country);
    return json_pack("{s:s, s:s?, s:s}", "summary", summary, "mention",
                     d.mention_text ? i18n_text(r->lang, d.mention_text) : NULL, "basis", basis);
}

/* The profile page: the stored profile, or the form as posted (p changed,
 * errors next to the fields). */
static void profile_page(http_request *r, int status, const org_profile *p, json_t *errors)
{
    bool admin = org_user_may(r->db, r->user_id, p->id, ORG_NEED_ADMIN), failed = false;
    const char *rep_name;
    json_t *members = member_options(r, p->id, p->legal_rep_user_id, &rep_name);
    json_t *blockers = admin ? blocker_list(r, p->id, &failed) : json_array();
    if (!members || failed) {
        json_decref(members);
        json_decref(blockers);
        json_decref(errors);
        return web_fail(r);
    }
    json_t *data = json_pack("{s:o, s:b, s:o, s:o, s:s, s:o, s:o, s:b}", "org",
                             org_profile_json(p, arena_printf(r->a, "/orgs/%lld", (long long)p->id)), "admin", admin,
                             "kinds", kind_options(r, org_kind_names[p->kind]), "members", members, "rep_name",
                             rep_name ? rep_name : "", "errors", errors ? errors : json_object(), "blockers", blockers,
                             "deletable", json_array_size(blockers) == 0);
    json_object_set_new(data, "kind_label", json_string(""));
    json_t *kinds = json_object_get(data, "kinds");
    size_t i;
    json_t *k;
    json_array_foreach(kinds, i, k)
        if (json_is_true(json_object_get(k, "checked")))
            json_object_set(data, "kind_label", json_object_get(k, "label"));
    bool vat_failed = false;
    json_t *vat = vat_section(r, p->id, &vat_failed);
    if (vat_failed) {
        json_decref(data);
        return web_fail(r);
    }
    if (vat)
        json_object_set_new(data, "vat", vat);
    if (p->has_logo)
        json_object_set_new(data, "logo_src", json_sprintf("/orgs/%lld/logo?v=%s", (long long)p->id, p->logo_etag));
    web_page(r, status, "pages/org_profile", p->name, "organization", data);
}

/* The path's organization for a member (404 otherwise), with admin when asked. */
static bool path_org(http_request *r, bool need_admin, org_profile *p)
{
    int64_t org_id;
    if (!http_param_id(r, "org_id", &org_id) || !org_user_may(r->db, r->user_id, org_id, ORG_NEED_MEMBER)) {
        web_error_page(r, 404);
        return false;
    }
    if (need_admin && !org_user_may(r->db, r->user_id, org_id, ORG_NEED_ADMIN)) {
        web_error_page(r, 403);
        return false;
    }
    int found = org_profile_get(r->db, org_id, p);
    if (found != 1)
        web_error_page(r, found == 0 ? 404 : 500);
    return found == 1;
}

static void get_profile(http_request *r)
{
    org_profile p;
    if (path_org(r, false, &p))
        profile_page(r, 200, &p, NULL);
}

/* Copies a form field into a profile buffer; too long goes to errors. */
static void take_field(http_request *r, const form *f, const char *name, size_t max, char *dst, size_t size,
                       json_t *errors)
{
    const char *v = web_optional_text(r, f, name, max, errors);
    snprintf(dst, size, "%s", v ? v : (form_get(f, name) ? form_get(f, name) : ""));
}

/* POST /orgs/{org_id}: the whole profile form. */
static void post_profile(http_request *r)
{
    org_profile p;
    form f;
    if (!path_org(r, true, &p) || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *kind = web_choice(r, &f, "kind", org_kind_names, errors);
    take_field(r, &f, "name", ORG_NAME_MAX, p.name, sizeof p.name, errors);
    take_field(r, &f, "legal_name", ORG_LEGAL_NAME_MAX, p.legal_name, sizeof p.legal_name, errors);
    take_field(r, &f, "vat_id", FISCAL_INPUT_LEN_MAX, p.vat_id, sizeof p.vat_id, errors);
    take_field(r, &f, "fiscal_code", FISCAL_INPUT_LEN_MAX, p.fiscal_code, sizeof p.fiscal_code, errors);
    take_field(r, &f, "sdi_code", FISCAL_INPUT_LEN_MAX, p.sdi_code, sizeof p.sdi_code, errors);
    take_field(r, &f, "pec", FIELD_EMAIL_MAX, p.pec, sizeof p.pec, errors);
    for (int k = 0; kind && k < ORG_KIND_COUNT; k++)
        if (!strcmp(kind, org_kind_names[k]))
            p.kind = (org_kind)k;
    p.legal_rep_user_id = 0; /* none or not an id: refused by org_profile_check */
    int_text_id(form_get(&f, "legal_representative_user_id"), &p.legal_rep_user_id);
    const char *why, *bad = json_object_size(errors) ? NULL : org_profile_check(r->db, &p, &why);
    if (bad)
        json_object_set_new(errors, bad, json_string(i18n_text(r->lang, why)));
    if (json_object_size(errors))
        return profile_page(r, 422, &p, errors);
    json_decref(errors);
    if (!org_profile_update(r, &p))
        return web_fail(r);
    web_flash(r, "org_saved");
    http_redirect(r, arena_printf(r->a, "/orgs/%lld", (long long)p.id));
}

/* POST /orgs/{org_id}/logo: a multipart form with the file in "logo". */
static void post_logo(http_request *r)
{
    org_profile p;
    if (!path_org(r, true, &p))
        return;
    const char *boundary = multipart_boundary(r->a, http_header(r, "Content-Type"));
    multipart m;
    if (!boundary || !multipart_parse(r->a, boundary, r->body, r->body_len, &m))
        return web_error_page(r, 400);
    const multipart_part *file = multipart_get(&m, "logo");
    org_logo_result res = org_logo_set(r, p.id, file ? file->data : NULL, file ? file->len : 0);
    if (res == ORG_LOGO_STORE_ERROR)
        return web_fail(r);
    if (res != ORG_LOGO_OK)
        return profile_page(r, 422, &p, json_pack("{s:s}", "logo", i18n_text(r->lang, org_logo_reason(res))));
    web_flash(r, "logo_saved");
    http_redirect(r, arena_printf(r->a, "/orgs/%lld#logo", (long long)p.id));
}

static void post_logo_delete(http_request *r)
{
    org_profile p;
    form f;
    if (!path_org(r, true, &p) || !web_form(r, &f))
        return;
    if (!org_logo_remove(r, p.id))
        return web_fail(r);
    web_flash(r, "logo_removed");
    http_redirect(r, arena_printf(r->a, "/orgs/%lld#logo", (long long)p.id));
}

/* GET /orgs/{org_id}/logo: members only. */
static void get_logo(http_request *r)
{
    int64_t org_id;
    if (!http_param_id(r, "org_id", &org_id) || !org_user_may(r->db, r->user_id, org_id, ORG_NEED_MEMBER))
        return web_error_page(r, 404);
    int res = org_logo_serve(r, org_id);
    if (res <= 0)
        web_error_page(r, res == 0 ? 404 : 500);
}

/* POST /orgs/{org_id}/delete: needs the confirmation box; refused with the
 * list of what is missing. */
static void post_delete(http_request *r)
{
    org_profile p;
    form f;
    if (!path_org(r, true, &p) || !web_form(r, &f))
        return;
    const char *confirm = form_get(&f, "confirm");
    if (!confirm || strcmp(confirm, "yes"))
        return profile_page(r, 422, &p, json_pack("{s:s}", "confirm", _("Tick the box to confirm.")));
    org_blocker b[ORG_BLOCKERS_MAX];
    int n;
    const char *email = form_get(&f, "email_documents");
    org_delete_result res = org_delete(r, p.id, r->user_id, email && !strcmp(email, "yes"), b, &n);
    if (res == ORG_DELETE_STORE_ERROR)
        return web_fail(r);
    if (res == ORG_DELETE_BLOCKED)
        return profile_page(r, 422, &p, NULL); /* the page lists the blockers */
    web_flash(r, "org_deleted");
    http_redirect(r, "/");
}

void web_org_routes(router *rt)
{
    /* Literal paths before /orgs/{org_id}: the first matching route wins. */
    router_add(rt, "GET", "/orgs/new", get_new, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/new", post_new, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/switch", post_switch, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/orgs/{org_id}", get_profile, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/{org_id}", post_profile, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/orgs/{org_id}/logo", get_logo, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/{org_id}/logo", post_logo, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/{org_id}/logo/delete", post_logo_delete, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/orgs/{org_id}/delete", post_delete, ROUTE_USER | ROUTE_PAGE);
}
