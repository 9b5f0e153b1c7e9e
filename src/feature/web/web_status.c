/* web_status.c - the public /status page (no session: open incidents,
 * planned maintenance, resolutions of the last week, or "All systems
 * operational"), the back office's /staff/announcements (the list and the
 * form that posts an announcement) and the abuse report form of the staff
 * organization page (status.h, the same calls as the staff API). */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/orgs/orgs.h"
#include "feature/status/status.h"
#include "core/zone.h"
#include "feature/web/web.h"

static const char *kind_label(http_request *r, const char *kind)
{
    if (!strcmp(kind, "maintenance"))
        return _("Scheduled maintenance");
    if (!strcmp(kind, "incident"))
        return _("Incident");
    return _("Resolved");
}

static void label_all(http_request *r, json_t *list)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        json_object_set_new(o, "kind_label", json_string(kind_label(r, json_string_value(json_object_get(o, "kind")))));
        json_object_set_new(o, "date", json_string(web_datetime(r, json_string_value(json_object_get(o, "created_at")))));
    }
}

static void get_status(http_request *r)
{
    json_t *s = status_public_json(r->db, r->lang);
    if (!s)
        return web_fail(r);
    const char *sections[] = {"incidents", "maintenance", "resolved"};
    for (size_t i = 0; i < 3; i++) {
        json_t *list = json_object_get(s, sections[i]);
        label_all(r, list);
        json_object_set_new(s, arena_printf(r->a, "has_%s", sections[i]), json_boolean(json_array_size(list) > 0));
    }
    web_page(r, 200, "pages/status", _("Service status"), NULL, s);
}

/* The staff page; f (NULL = none) and typed and errors (stolen, NULL = none)
 * refill the form. */
static void announcements_page(http_request *r, int status, const form *f, json_t *typed, json_t *errors)
{
    json_t *list = announcements_json(r->db), *o;
    json_t *catalog = list ? web_catalog_choices(r, f) : NULL;
    if (!catalog) {
        json_decref(list);
        json_decref(typed);
        json_decref(errors);
        return web_fail(r);
    }
    label_all(r, list);
    json_t *open = json_array();
    size_t i;
    json_array_foreach(list, i, o)
        if (!strcmp(json_string_value(json_object_get(o, "kind")), "incident") &&
            json_is_null(json_object_get(o, "closed_at")))
            json_array_append_new(open, json_pack("{s:O, s:O}", "id", json_object_get(o, "id"), "title",
                                                  json_object_get(o, "title_en")));
    web_staff_page(r, status, "staff/announcements", _("Announcements"), "announcements",
                   json_pack("{s:o, s:o, s:b, s:o, s:o, s:o}", "announcements", list, "open_incidents", open,
                             "has_open", json_array_size(open) > 0, "catalog", catalog, "form",
                             typed ? typed : json_object(), "errors", errors ? errors : json_object()));
}

static void get_announcements(http_request *r)
{
    announcements_page(r, 200, NULL, NULL, NULL);
}

/* "1, 2 3" into in's targets of kind; false on anything but ids. */
static bool ids_in(const char *text, announcement_target_kind kind, announcement_in *in)
{
    while (text && *text) {
        while (*text == ' ' || *text == ',')
            text++;
        if (!*text)
            break;
        char *end;
        long long id = strtoll(text, &end, 10);
        if (end == text || id <= 0 || in->n_targets == ANNOUNCEMENT_TARGETS_MAX)
            return false;
        in->targets[in->n_targets++] = (announcement_target){kind, id};
        text = end;
    }
    return true;
}

static const char *typed(const form *f, const char *key)
{
    const char *v = form_get(f, key);
    return v ? v : "";
}

/* The form into in; errors by field for what cannot even be read. */
static void read_form(http_request *r, const form *f, announcement_in *in, json_t *errors)
{
    in->kind = typed(f, "kind");
    in->title[0] = typed(f, "title_en");
    in->title[1] = typed(f, "title_it");
    in->body[0] = typed(f, "body_en");
    in->body[1] = typed(f, "body_it");
    in->targeted = !strcmp(typed(f, "audience"), "targeted");
    const char *visibility = typed(f, "visibility");
    in->is_public = !strcmp(visibility, "public") ? 1 : !strcmp(visibility, "hidden") ? 0 : -1;
    in->parent_id = 0; /* none or not an id: the check asks for an open incident */
    if (!strcmp(in->kind, "resolved"))
        int_text_id(typed(f, "parent_id"), &in->parent_id);
    const char *starts = typed(f, "starts_at"), *ends = typed(f, "ends_at");
    if (*starts && !zone_parse_local(starts, ZONE_PROVIDER, &in->starts_at))
        json_object_set_new(errors, "starts_at", json_string(_("Enter a date and time.")));
    if (*ends && !zone_parse_local(ends, ZONE_PROVIDER, &in->ends_at))
        json_object_set_new(errors, "ends_at", json_string(_("Enter a date and time.")));
    for (int k = 0; in->targeted && k < 2; k++) {
        int64_t ids[ANNOUNCEMENT_TARGETS_MAX];
        size_t n;
        if (!web_catalog_ticked(f, k ? "category" : "product", ids, ANNOUNCEMENT_TARGETS_MAX - in->n_targets, &n))
            json_object_set_new(errors, "targets", json_string(_("Choose products or categories of the list.")));
        for (size_t i = 0; i < n; i++)
            in->targets[in->n_targets++] = (announcement_target){k ? TARGET_CATEGORY : TARGET_PRODUCT, ids[i]};
    }
    if (in->targeted && !ids_in(typed(f, "service_ids"), TARGET_SERVICE, in))
        json_object_set_new(errors, "service_ids", json_string(_("Enter service numbers separated by commas.")));
}

/* The page's message for a field the check refused. */
static const char *field_message(http_request *r, const char *field)
{
    if (!strncmp(field, "title_", 6))
        return _("Enter a title of 1 to 200 characters.");
    if (!strncmp(field, "body_", 5))
        return _("Enter a text of 1 to 5000 characters.");
    if (!strcmp(field, "starts_at") || !strcmp(field, "ends_at"))
        return _("Maintenance needs a start and a later end; other kinds none.");
    if (!strcmp(field, "parent_id"))
        return _("Choose the open incident this resolves.");
    if (!strcmp(field, "kind"))
        return _("Choose one of the options.");
    if (!strcmp(field, "service_ids"))
        return _("Enter the numbers of existing services, or leave it empty.");
    return _("Choose products, categories or services, or post for everyone.");
}

static void post_announcement(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    announcement_in *in = arena_alloc(r->a, sizeof *in);
    memset(in, 0, sizeof *in);
    json_t *errors = json_object();
    read_form(r, &f, in, errors);
    const char *field = NULL, *message = NULL;
    int64_t id;
    announcement_result res = json_object_size(errors) ? ANNOUNCEMENT_INVALID
                                                       : announcement_post(r, in, &id, &field, &message);
    if (res == ANNOUNCEMENT_OK) {
        json_decref(errors);
        web_flash(r, "announcement_posted");
        return http_redirect(r, "/staff/announcements");
    }
    if (res != ANNOUNCEMENT_INVALID) {
        json_decref(errors);
        return web_fail(r);
    }
    if (field) {
        const char *key = !strcmp(field, "service_ids") ? field : !strcmp(field, "audience") ||
                          !strcmp(field, "product_ids") || !strcmp(field, "category_ids") ? "targets" : field;
        json_object_set_new(errors, key, json_string(field_message(r, field)));
    }
    json_t *form_typed = json_object();
    const char *keys[] = {"kind", "title_en", "title_it", "body_en", "body_it", "starts_at", "ends_at", "audience",
                          "service_ids", "visibility"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        json_object_set_new(form_typed, keys[i], json_string(typed(&f, keys[i])));
    json_object_set_new(form_typed, arena_printf(r->a, "kind_%s", typed(&f, "kind")), json_true());
    json_object_set_new(form_typed, in->targeted ? "targeted" : "everyone", json_true());
    announcements_page(r, 422, &f, form_typed, errors);
}

/* POST /staff/orgs/{org_id}/abuse-reports: sent, back to the organization's
 * page; else the form again with the errors next to the fields. */
static void post_abuse_report(http_request *r)
{
    form f;
    abuse_in in = {0};
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &in.org_id) || !org_name(r->db, in.org_id, name, sizeof name))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    in.subject = typed(&f, "subject");
    in.body = typed(&f, "body");
    in.evidence = typed(&f, "evidence");
    const char *service = typed(&f, "service_id");
    bool service_ok = !*service || int_text_id(service, &in.service_id);
    json_t *errors = json_object();
    if (!*in.subject || strlen(in.subject) > ABUSE_SUBJECT_MAX)
        json_object_set_new(errors, "subject", json_string(_("Enter a subject of 1 to 200 characters.")));
    if (!*in.body || strlen(in.body) > ABUSE_BODY_MAX)
        json_object_set_new(errors, "body", json_string(_("Enter a text of 1 to 10000 characters.")));
    if (strlen(in.evidence) > ABUSE_EVIDENCE_MAX)
        json_object_set_new(errors, "evidence", json_string(_("At most 100000 characters.")));
    if (!service_ok)
        json_object_set_new(errors, "service_id",
                            json_string(_("Enter the id of one of the organization's services, or leave it empty.")));
    const char *field = NULL, *message = NULL;
    int64_t id;
    announcement_result res = json_object_size(errors) ? ANNOUNCEMENT_INVALID
                                                       : abuse_report(r, &in, &id, &field, &message);
    if (res == ANNOUNCEMENT_OK) {
        json_decref(errors);
        web_flash(r, "abuse_reported");
        return http_redirect(r, arena_printf(r->a, "/staff/orgs/%" PRId64 "#abuse", in.org_id));
    }
    json_t *reports = res == ANNOUNCEMENT_INVALID ? abuse_reports_json(r->db, in.org_id) : NULL;
    if (!reports) {
        json_decref(errors);
        return web_fail(r);
    }
    if (field)
        json_object_set_new(errors, "service_id",
                            json_string(_("Enter the id of one of the organization's services, or leave it empty.")));
    web_staff_page(r, 422, "staff/abuse_form", name, "orgs",
                   json_pack("{s:{s:I, s:s}, s:o, s:b, s:{s:s, s:s, s:s, s:s}, s:o}", "org", "id",
                             (json_int_t)in.org_id, "name", name, "abuse_reports", reports, "has_abuse_reports",
                             json_array_size(reports) > 0, "abuse_form", "subject", in.subject, "body", in.body,
                             "evidence", in.evidence, "service_id", service, "abuse_errors", errors));
}

void web_status_routes(router *rt)
{
    router_add(rt, "GET", "/status", get_status, ROUTE_PAGE);
    router_add(rt, "GET", "/staff/announcements", get_announcements, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/announcements", post_announcement, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/orgs/{org_id}/abuse-reports", post_abuse_report, ROUTE_STAFF | ROUTE_PAGE);
}
