/* web_addresses.c - the current organization's billing addresses (list, add,
 * edit as a new version, make default, delete; administrators and members with
 * the billing right, anyone else gets the 404 page, as in the API) and its
 * notification addresses (every member sees them, administrators change them;
 * the administrator's email shows as the placeholder of an empty field). */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

static const char *const address_field_names[] = {"recipient", "street", "extra", "postal_code",
                                                  "city", "province", "country"};

/* The current organization if the user has the right asked for, else 0 (404 page sent). */
static int64_t org_for(http_request *r, org_need need)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, need))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *field_message(http_request *r, address_field_error e)
{
    switch (e) {
    case ADDRESS_FIELD_REQUIRED: return _("This field is required.");
    case ADDRESS_FIELD_TOO_LONG: return _("This is too long.");
    case ADDRESS_FIELD_CHARS: return _("This contains characters that are not allowed.");
    case ADDRESS_FIELD_COUNTRY: return _("Enter the two-letter code of a country, such as IT.");
    case ADDRESS_FIELD_CAP: return _("An Italian postal code (CAP) has five digits.");
    case ADDRESS_FIELD_PROVINCE: return _("Enter the two-letter code of the province, such as MI.");
    default: return _("This field is required.");
    }
}

/* The posted address into out; false with the message under its field in errors. */
static bool read_address(http_request *r, const form *f, address_fields *out, json_t *errors)
{
    address_in in = {form_get(f, "recipient"), form_get(f, "street"), form_get(f, "extra"), form_get(f, "postal_code"),
                     form_get(f, "city"), form_get(f, "province"), form_get(f, "country")};
    const char *field;
    address_field_error e = address_check(&in, out, &field);
    if (e == ADDRESS_FIELD_OK)
        return true;
    json_object_set_new(errors, field, json_string(field_message(r, e)));
    return false;
}

/* The form's values: what was posted (f), else the address a, else empty
 * with the user's country. */
static json_t *form_values(http_request *r, const form *f, const address *a)
{
    json_t *o = json_object();
    const char *stored[] = {a ? a->f.recipient : "", a ? a->f.street : "", a ? a->f.extra : "",
                            a ? a->f.postal_code : "", a ? a->f.city : "", a ? a->f.province : "",
                            a ? a->f.country : ""};
    auth_user u;
    if (!a && auth_user_get(r, r->user_id, &u))
        stored[6] = u.country;
    for (size_t i = 0; i < sizeof address_field_names / sizeof address_field_names[0]; i++) {
        const char *v = f && form_get(f, address_field_names[i]) ? form_get(f, address_field_names[i]) : stored[i];
        json_object_set_new(o, address_field_names[i], json_string(v));
    }
    return o;
}

/* The list with the add form (filled from f after an error). */
static void addresses_page(http_request *r, int64_t org, int status, const form *f, json_t *errors)
{
    address *list = arena_alloc(r->a, sizeof *list * ADDRESSES_PER_ORG_MAX);
    int n = address_list(r->db, org, list, ADDRESSES_PER_ORG_MAX);
    char name[ORG_NAME_MAX + 1] = "";
    if (n < 0 || !org_name(r->db, org, name, sizeof name))
        return (void)json_decref(errors), web_fail(r);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = address_json(&list[i]);
        json_object_set_new(o, "line", json_string(address_one_line(r->a, &list[i])));
        json_array_append_new(items, o);
    }
    web_page(r, status, "pages/addresses", _("Billing addresses"), "organization",
             json_pack("{s:s, s:o, s:b, s:o, s:o, s:b}", "org_name", name, "addresses", items, "has_addresses", n > 0,
                       "form", form_values(r, f, NULL), "errors", errors ? errors : json_object(),
                       "full", n >= ADDRESSES_PER_ORG_MAX));
}

static void get_addresses(http_request *r)
{
    int64_t org = org_for(r, ORG_NEED_BILLING);
    if (org)
        addresses_page(r, org, 200, NULL, NULL);
}

static void post_addresses(http_request *r)
{
    form f;
    int64_t org = org_for(r, ORG_NEED_BILLING), id;
    if (!org || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    address_fields a;
    if (!read_address(r, &f, &a, errors))
        return addresses_page(r, org, 422, &f, errors);
    address_result res = address_create(r->db, org, &a, form_get(&f, "default") != NULL, &id);
    if (res == ADDRESS_TOO_MANY) {
        json_object_set_new(errors, "recipient", json_string(_("An organization may keep at most 50 addresses.")));
        return addresses_page(r, org, 422, &f, errors);
    }
    json_decref(errors);
    if (res != ADDRESS_OK)
        return web_fail(r);
    web_flash(r, "address_added");
    http_redirect(r, "/organization/addresses");
}

/* The live address of the path in the current organization; else 0 (404 page sent). */
static int64_t path_address(http_request *r, int64_t org, address *a)
{
    int64_t id;
    if (org && http_param_id(r, "address_id", &id) && address_snapshot(r->db, org, id, a) && !a->retired_at)
        return id;
    if (org)
        web_error_page(r, 404);
    return 0;
}

static void edit_page(http_request *r, int status, const address *a, const form *f, json_t *errors)
{
    web_page(r, status, "pages/address_edit", _("Edit address"), "organization",
             json_pack("{s:I, s:o, s:o}", "id", (json_int_t)a->id, "form", form_values(r, f, a), "errors",
                       errors ? errors : json_object()));
}

static void get_address(http_request *r)
{
    address a;
    if (path_address(r, org_for(r, ORG_NEED_BILLING), &a))
        edit_page(r, 200, &a, NULL, NULL);
}

static void post_address(http_request *r)
{
    form f;
    address a;
    address_fields next;
    int64_t org = org_for(r, ORG_NEED_BILLING), new_id;
    if (!path_address(r, org, &a) || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    if (!read_address(r, &f, &next, errors))
        return edit_page(r, 422, &a, &f, errors);
    json_decref(errors);
    address_result res = address_update(r->db, org, a.id, &next, &new_id);
    if (res == ADDRESS_RETIRED || res == ADDRESS_NOT_FOUND)
        return web_error_page(r, 404);
    if (res != ADDRESS_OK)
        return web_fail(r);
    web_flash(r, "address_saved");
    http_redirect(r, "/organization/addresses");
}

/* POST .../default and .../delete: one action on a live address. */
static void address_action(http_request *r, bool make_default)
{
    form f;
    address a;
    int64_t org = org_for(r, ORG_NEED_BILLING);
    if (!path_address(r, org, &a) || !web_form(r, &f))
        return;
    address_result res = make_default ? address_set_default(r->db, org, a.id) : address_delete(r->db, org, a.id);
    if (res == ADDRESS_RETIRED || res == ADDRESS_NOT_FOUND)
        return web_error_page(r, 404);
    if (res != ADDRESS_OK)
        return web_fail(r);
    web_flash(r, make_default ? "address_default" : "address_deleted");
    http_redirect(r, "/organization/addresses");
}

static void post_default(http_request *r)
{
    address_action(r, true);
}

static void post_delete(http_request *r)
{
    address_action(r, false);
}

/* The notification addresses form; values from f after an error. */
static void notify_page(http_request *r, int64_t org, int status, const form *f, json_t *errors)
{
    static const char *const labels[NOTIFY_KIND_COUNT] = {
        N_("Billing: invoices, orders and payments"), N_("Support: replies to tickets"),
        N_("Abuse: abuse reports and security notices"), N_("Service status"),
    };
    notify_entry e[NOTIFY_KIND_COUNT];
    char admin[FIELD_EMAIL_MAX + 1] = "";
    int64_t admin_id = org_first_admin(r->db, org);
    if (admin_id < 0 || !notify_addresses_get(r->db, org, e) ||
        (admin_id && !auth_user_email(r->db, admin_id, admin, sizeof admin)))
        return (void)json_decref(errors), web_fail(r);
    json_t *kinds = json_array();
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
        const char *name = notify_kind_names[k];
        const char *v = f && form_get(f, name) ? form_get(f, name) : e[k].address;
        json_t *err = errors ? json_object_get(errors, name) : NULL;
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:s, s:s, s:b, s:O?}", "name", name, "label",
                                               i18n_text(r->lang, labels[k]), "value", v, "fallback", admin,
                                               "uses_fallback", e[k].fallback, "error", err));
    }
    json_decref(errors);
    web_page(r, status, "pages/notifications", _("Notification addresses"), "organization",
             json_pack("{s:o, s:b}", "kinds", kinds, "admin", org_user_may(r->db, r->user_id, org, ORG_NEED_ADMIN)));
}

static void get_notify(http_request *r)
{
    int64_t org = org_for(r, ORG_NEED_MEMBER);
    if (org)
        notify_page(r, org, 200, NULL, NULL);
}

static void post_notify(http_request *r)
{
    form f;
    int64_t org = org_for(r, ORG_NEED_ADMIN);
    if (!org || !web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *emails[NOTIFY_KIND_COUNT];
    for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
        emails[k] = web_email(r, &f, notify_kind_names[k], true, errors);
        if (emails[k] && !*emails[k])
            emails[k] = NULL;
    }
    if (json_object_size(errors))
        return notify_page(r, org, 422, &f, errors);
    json_decref(errors);
    if (!notify_addresses_set(r->db, org, emails))
        return web_fail(r);
    web_flash(r, "notify_saved");
    http_redirect(r, "/organization/notifications");
}

void web_addresses_routes(router *rt)
{
    router_add(rt, "GET", "/organization/addresses", get_addresses, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/addresses", post_addresses, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/organization/addresses/{address_id}", get_address, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/addresses/{address_id}", post_address, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/addresses/{address_id}/default", post_default, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/addresses/{address_id}/delete", post_delete, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/organization/notifications", get_notify, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/organization/notifications", post_notify, ROUTE_USER | ROUTE_PAGE);
}
