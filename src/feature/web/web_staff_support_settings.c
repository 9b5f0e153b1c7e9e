/* web_staff_support_settings.c - what staff set up for support in the back
 * office: canned replies (list, add, withdraw) and departments (each one's
 * first-response targets per priority and on-duty address, and adding one).
 * The same functions as the staff API (feature/support) do the work and the
 * audit. */
#include "feature/web/web_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/support/support_internal.h"
#include "feature/web/web.h"

enum { WEB_SUPPORT_DEPTS_MAX = 50 };

static void canned_page(http_request *r, int status, const form *f, json_t *errors)
{
    support_canned *list = arena_alloc(r->a, sizeof *list * SUPPORT_CANNED_MAX);
    int n = support_canned_list(r, list, SUPPORT_CANNED_MAX);
    if (n < 0)
        return (void)json_decref(errors), web_fail(r);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, support_canned_json(&list[i]));
    const char *title = f ? form_get(f, "title") : NULL, *body = f ? form_get(f, "body") : NULL;
    web_staff_page(r, status, "staff/canned", _("Canned replies"), "tickets",
                   json_pack("{s:o, s:b, s:{s:s, s:s}, s:o}", "canned", arr, "any", n > 0, "form", "title",
                             title ? title : "", "body", body ? body : "", "errors", errors ? errors : json_object()));
}

static void get_canned(http_request *r)
{
    canned_page(r, 200, NULL, NULL);
}

static void post_canned(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *title = web_text(r, &f, "title", 1, SUPPORT_CANNED_TITLE_MAX, errors);
    const char *body = form_get(&f, "body");
    if (!body || !support_text_ok(body, 1, SUPPORT_BODY_MAX))
        json_object_set_new(errors, "body", json_string(_("Write the text (up to 20000 characters).")));
    int64_t id;
    if (json_object_size(errors))
        return canned_page(r, 422, &f, errors);
    json_decref(errors);
    if (!support_canned_add(r, title, body, &id))
        return web_fail(r);
    web_flash(r, "canned_added");
    http_redirect(r, "/staff/support/canned");
}

static void post_canned_delete(http_request *r)
{
    form f;
    int64_t id;
    if (!web_form(r, &f))
        return;
    if (!http_param_id(r, "canned_id", &id))
        return web_error_page(r, 404);
    int found = support_canned_delete(r, id);
    if (found < 0)
        return web_fail(r);
    if (!found)
        return web_error_page(r, 404);
    web_flash(r, "canned_deleted");
    http_redirect(r, "/staff/support/canned");
}

/* The departments with their targets; errors (under "<code>.<field>" for a
 * row, "<field>" for the add form) and the add form's posted values. */
static void departments_page(http_request *r, int status, const form *f, json_t *errors)
{
    support_department *deps = arena_alloc(r->a, sizeof *deps * WEB_SUPPORT_DEPTS_MAX);
    int n = support_department_list(r->db, deps, WEB_SUPPORT_DEPTS_MAX);
    if (n < 0)
        return (void)json_decref(errors), web_fail(r);
    if (!errors)
        errors = json_object();
    json_t *rows = json_array();
    for (int i = 0; i < n; i++) {
        json_t *row = support_department_json(&deps[i], "en", true);
        json_object_set_new(row, "name_it", json_string(deps[i].name_it));
        json_t *e = json_object_get(errors, deps[i].code);
        json_object_set_new(row, "errors", e ? json_incref(e) : json_object());
        json_array_append_new(rows, row);
    }
    const char *names[] = {"code", "name_en", "name_it", "normal", "high", "duty_email"};
    json_t *values = json_object();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = f ? form_get(f, names[i]) : NULL;
        json_object_set_new(values, names[i], json_string(v ? v : i == 3 || i == 4 ? "10" : ""));
    }
    web_staff_page(r, status, "staff/departments", _("Support departments"), "tickets",
                   json_pack("{s:o, s:o, s:o}", "departments", rows, "form", values, "errors", errors));
}

static void get_departments(http_request *r)
{
    departments_page(r, 200, NULL, NULL);
}

/* Whole minutes 1..SUPPORT_SLA_MIN_MAX from field name; else a message in errors[key]. */
static int minutes_field(http_request *r, const form *f, const char *name, json_t *errors, const char *key)
{
    int64_t m;
    if (int_text_parse(form_get(f, name), 1, SUPPORT_SLA_MIN_MAX, &m))
        return (int)m;
    json_object_set_new(errors, key, json_string(_("Whole minutes from 1 to 10080.")));
    return 0;
}

/* The on-duty address of the form ("" = none); NULL with a message in errors[key]. */
static const char *duty_field(http_request *r, const form *f, json_t *errors, const char *key)
{
    json_t *e = json_object();
    const char *v = web_email(r, f, "duty_email", true, e);
    if (!v)
        json_object_set(errors, key, json_object_get(e, "duty_email"));
    json_decref(e);
    return v;
}

static void post_department(http_request *r)
{
    form f;
    support_department dep;
    if (!web_form(r, &f))
        return;
    if (support_department_by_code(r->db, http_param(r, "code"), &dep) != 1)
        return web_error_page(r, 404);
    json_t *errors = json_object(), *row = json_object();
    dep.sla_min[SUPPORT_NORMAL] = minutes_field(r, &f, "normal", row, "normal");
    dep.sla_min[SUPPORT_HIGH] = minutes_field(r, &f, "high", row, "high");
    const char *duty = duty_field(r, &f, row, "duty_email");
    json_object_set_new(errors, dep.code, row);
    if (json_object_size(row))
        return departments_page(r, 422, NULL, errors);
    json_decref(errors);
    snprintf(dep.duty_email, sizeof dep.duty_email, "%s", duty);
    if (!support_department_update(r, &dep))
        return web_fail(r);
    web_flash(r, "department_saved");
    http_redirect(r, "/staff/support/departments");
}

static void post_new_department(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    support_department dep = {.active = true}, taken;
    const char *code = web_text(r, &f, "code", 1, SUPPORT_DEPT_CODE_MAX, errors);
    const char *en = web_text(r, &f, "name_en", 1, SUPPORT_DEPT_NAME_MAX, errors);
    const char *it = web_text(r, &f, "name_it", 1, SUPPORT_DEPT_NAME_MAX, errors);
    dep.sla_min[SUPPORT_NORMAL] = minutes_field(r, &f, "normal", errors, "normal");
    dep.sla_min[SUPPORT_HIGH] = minutes_field(r, &f, "high", errors, "high");
    const char *duty = duty_field(r, &f, errors, "duty_email");
    if (code && (strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(code) ||
                 support_department_by_code(r->db, code, &taken) != 0))
        json_object_set_new(errors, "code", json_string(_("Lower-case letters, digits, - and _, not used by another "
                                                          "department.")));
    if (json_object_size(errors))
        return departments_page(r, 422, &f, errors);
    json_decref(errors);
    snprintf(dep.code, sizeof dep.code, "%s", code);
    snprintf(dep.name_en, sizeof dep.name_en, "%s", en);
    snprintf(dep.name_it, sizeof dep.name_it, "%s", it);
    snprintf(dep.duty_email, sizeof dep.duty_email, "%s", duty);
    if (!support_department_add(r, &dep))
        return web_fail(r);
    web_flash(r, "department_added");
    http_redirect(r, "/staff/support/departments");
}

void web_staff_support_settings_routes(router *rt)
{
    router_add(rt, "GET", "/staff/support/canned", get_canned, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/support/canned", post_canned, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/support/canned/{canned_id}/delete", post_canned_delete, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/support/departments", get_departments, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/support/departments", post_new_department, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/support/departments/{code}", post_department, ROUTE_STAFF | ROUTE_PAGE);
}
