/* support_staff_api.c - the staff's ticket API:
 *   GET   /api/v1/staff/tickets                  the queue (filters: department,
 *         priority, status, assigned = me|none|<id>, breached = true)
 *   GET   /api/v1/staff/tickets/{ticket_id}       with internal notes
 *   PATCH /api/v1/staff/tickets/{ticket_id}       department, priority, assigned_staff_id, status
 *   POST  /api/v1/staff/tickets/{ticket_id}/messages   an answer (mailed) or an internal note
 *   POST  /api/v1/staff/tickets/{ticket_id}/merge      {"into": id}
 *   GET   /api/v1/staff/tickets/{ticket_id}/attachments/{attachment_id}
 *   GET   /api/v1/staff/support/departments
 *   PATCH /api/v1/staff/support/departments/{code}    sla_minutes, duty_email
 *   GET   /api/v1/staff/support/report?month=YYYY-MM[&format=csv]
 *   POST  /api/v1/staff/support/departments          a new department
 *   GET/POST /api/v1/staff/support/canned-replies, DELETE .../{canned_id} */
#include "feature/support/support_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/number_text.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"
#include "http/multipart.h"

enum { STAFF_DEPTS_MAX = 50 };

static int name_index(const char *const *names, const char *v)
{
    for (int i = 0; v && names[i]; i++)
        if (!strcmp(names[i], v))
            return i;
    return -1;
}

/* Reads the queue's filters from the query; answers 422 itself. */
static bool read_filter(http_request *r, support_filter *f)
{
    *f = (support_filter){.status = -1, .priority = -1, .queue_order = true};
    const char *dep = http_query(r, "department"), *pr = http_query(r, "priority"), *st = http_query(r, "status"),
               *as = http_query(r, "assigned"), *br = http_query(r, "breached");
    support_department d;
    if (dep && *dep) {
        if (support_department_by_code(r->db, dep, &d) != 1)
            return http_error(r, 422, "invalid_field", "department: no such department", "department"), false;
        f->department_id = d.id;
    }
    if (pr && *pr && (f->priority = name_index(support_priority_names, pr)) < 0)
        return http_error(r, 422, "invalid_field", "priority: normal or high", "priority"), false;
    if (st && *st && (f->status = name_index(support_status_names, st)) < 0)
        return http_error(r, 422, "invalid_field", "status: open, answered, waiting or closed", "status"), false;
    if (as && *as) {
        f->assigned_staff_id = !strcmp(as, "me") ? r->staff_id : -1; /* -1: none */
        if (strcmp(as, "me") && strcmp(as, "none") && !int_text_id(as, &f->assigned_staff_id))
            return http_error(r, 422, "invalid_field", "assigned: me, none or a staff id", "assigned"), false;
    }
    if (br && strcmp(br, "true") && strcmp(br, "false"))
        return http_error(r, 422, "invalid_field", "breached: true or false", "breached"), false;
    f->breached_only = br && !strcmp(br, "true");
    return true;
}

static void get_queue(http_request *r)
{
    support_filter f;
    if (!read_filter(r, &f))
        return;
    int64_t now = (int64_t)time(NULL);
    support_ticket *list = arena_alloc(r->a, sizeof *list * SUPPORT_LIST_MAX);
    int n = support_list(r->db, &f, now, list, SUPPORT_LIST_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "the queue could not be read", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, support_ticket_json(r, &list[i], true, now));
    http_json(r, 200, json_pack("{s:o}", "tickets", arr));
}

static bool ticket_or_404(http_request *r, support_ticket *t)
{
    int64_t id;
    int found = http_param_id(r, "ticket_id", &id) ? support_get(r->db, 0, id, t) : 0;
    if (found == 1)
        return true;
    if (found < 0)
        http_error(r, 500, "store_error", "the ticket could not be read", NULL);
    else
        http_error(r, 404, "not_found", "no such ticket", NULL);
    return false;
}

static void answer_ticket(http_request *r, int status, int64_t id)
{
    support_ticket t;
    json_t *thread;
    if (support_get(r->db, 0, id, &t) != 1 || !(thread = support_thread_json(r, id, true)))
        return http_error(r, 500, "store_error", "the ticket could not be read", NULL);
    json_t *j = support_ticket_json(r, &t, true, (int64_t)time(NULL));
    json_object_set_new(j, "messages", thread);
    json_object_set_new(j, "reply_to", json_string(support_reply_to(r, &t)));
    http_json(r, status, j);
}

static void get_ticket(http_request *r)
{
    support_ticket t;
    if (ticket_or_404(r, &t))
        answer_ticket(r, 200, t.id);
}

static void finish(http_request *r, bool ok, int status, int64_t id)
{
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the ticket could not be saved; nothing was changed", NULL);
    }
    answer_ticket(r, status, id);
}

static void post_message(http_request *r)
{
    support_ticket t;
    json_t *b;
    bool internal = false;
    const char *st = NULL;
    static const char *const next[] = {"answered", "waiting", "closed", NULL};
    support_file *files = arena_alloc(r->a, sizeof *files * MULTIPART_PARTS_MAX);
    size_t nfiles;
    const char *field, *why;
    if (!ticket_or_404(r, &t) || !support_read_body(r, &b, files, &nfiles) ||
        !jin_bool(r, b, "internal", JIN_OPTIONAL, &internal) || !jin_enum(r, b, "status", JIN_OPTIONAL, next, &st))
        return;
    if ((why = support_check_files(r, files, nfiles, &field)))
        return http_error(r, 422, "invalid_file", why, field);
    json_t *v = json_object_get(b, "body");
    if (!json_is_string(v) || !support_text_ok(json_string_value(v), 1, SUPPORT_BODY_MAX))
        return http_error(r, 422, "invalid_field", "body: is required, 1 to 20000 characters of text", "body");
    if (t.merged_into)
        return http_error(r, 409, "ticket_merged", "the ticket was merged into another one: write there", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the message could not be saved", NULL);
    support_written written = {0};
    bool ok = support_staff_reply(r, &t, json_string_value(v), internal,
                                  st ? name_index(support_status_names, st) : -1, files, nfiles, &written);
    if (!ok)
        support_unlink_written(&written);
    finish(r, ok, 201, t.id);
}

static void patch_ticket(http_request *r)
{
    support_ticket t;
    json_t *b;
    const char *dep_code = NULL, *pr = NULL, *st = NULL;
    if (!ticket_or_404(r, &t) || !jin_body(r, &b) ||
        !jin_string(r, b, "department", JIN_OPTIONAL, 1, SUPPORT_DEPT_CODE_MAX, &dep_code) ||
        !jin_enum(r, b, "priority", JIN_OPTIONAL, support_priority_names, &pr) ||
        !jin_enum(r, b, "status", JIN_OPTIONAL, support_status_names, &st))
        return;
    support_department dep;
    if (support_department_by_code(r->db, dep_code ? dep_code : t.department, &dep) != 1)
        return http_error(r, 422, "invalid_field", "department: no such department", "department");
    json_t *as = json_object_get(b, "assigned_staff_id");
    int64_t assigned = json_is_integer(as) ? json_integer_value(as) : 0;
    staff_member who;
    if (as && !json_is_null(as) && (assigned <= 0 || !staff_get(r, assigned, &who)))
        return http_error(r, 422, "invalid_field", "assigned_staff_id: no such staff member", "assigned_staff_id");
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the ticket could not be saved", NULL);
    bool ok = true;
    support_priority p = pr ? (support_priority)name_index(support_priority_names, pr) : t.priority;
    if (dep.id != t.department_id || p != t.priority)
        ok = support_staff_move(r, &t, &dep, p);
    if (ok && as && assigned != t.assigned_staff_id)
        ok = support_staff_assign(r, &t, assigned);
    int s = st ? name_index(support_status_names, st) : (int)t.status;
    if (ok && s != (int)t.status)
        ok = support_staff_status(r, &t, (support_status)s);
    finish(r, ok, 200, t.id);
}

static void get_attachment(http_request *r)
{
    support_ticket t;
    int64_t id;
    if (!ticket_or_404(r, &t))
        return;
    if (!http_param_id(r, "attachment_id", &id))
        return http_error(r, 404, "not_found", "no such attachment", NULL);
    support_send_attachment(r, t.id, id, true);
}

static void post_merge(http_request *r)
{
    support_ticket dup, target;
    json_t *b;
    if (!ticket_or_404(r, &dup) || !jin_body(r, &b))
        return;
    json_t *into = json_object_get(b, "into");
    if (!json_is_integer(into) || support_get(r->db, dup.org_id, json_integer_value(into), &target) != 1 ||
        target.id == dup.id)
        return http_error(r, 422, "invalid_field", "into: another ticket of the same organization", "into");
    if (dup.merged_into || target.merged_into)
        return http_error(r, 409, "ticket_merged", "one of the tickets was already merged", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the tickets could not be merged", NULL);
    finish(r, support_staff_merge(r, &dup, &target), 200, target.id);
}

static void get_departments(http_request *r)
{
    support_department *deps = arena_alloc(r->a, sizeof *deps * STAFF_DEPTS_MAX);
    int n = support_department_list(r->db, deps, STAFF_DEPTS_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "the departments could not be read", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, support_department_json(&deps[i], r->lang, true));
    http_json(r, 200, json_pack("{s:o}", "departments", arr));
}

/* Reads minutes at key of obj into *out (kept when absent); answers 422. */
static bool read_minutes(http_request *r, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return true;
    if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= SUPPORT_SLA_MIN_MAX) {
        *out = (int)json_integer_value(v);
        return true;
    }
    const char *field = arena_printf(r->a, "sla_minutes.%s", key);
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: whole minutes from 1 to 10080", field), field);
    return false;
}

static void patch_department(http_request *r)
{
    support_department dep;
    json_t *b;
    const char *duty = NULL;
    if (support_department_by_code(r->db, http_param(r, "code"), &dep) != 1)
        return http_error(r, 404, "not_found", "no such department", NULL);
    if (!jin_body(r, &b) || !jin_email(r, b, "duty_email", JIN_OPTIONAL, &duty))
        return;
    json_t *sla = json_object_get(b, "sla_minutes");
    if (sla && !json_is_object(sla))
        return http_error(r, 422, "invalid_field", "sla_minutes: an object {normal, high}", "sla_minutes");
    if (sla && (!read_minutes(r, sla, "normal", &dep.sla_min[SUPPORT_NORMAL]) ||
                !read_minutes(r, sla, "high", &dep.sla_min[SUPPORT_HIGH])))
        return;
    if (json_object_get(b, "duty_email"))
        snprintf(dep.duty_email, sizeof dep.duty_email, "%s", duty ? duty : "");
    if (!support_department_update(r, &dep))
        return http_error(r, 500, "store_error", "the department could not be saved", NULL);
    http_json(r, 200, support_department_json(&dep, r->lang, true));
}

static void put_number(buf *b, json_t *v)
{
    if (json_is_real(v))
        buf_printf(b, ",%.1f", json_real_value(v));
    else if (json_is_integer(v))
        buf_printf(b, ",%lld", (long long)json_integer_value(v));
    else
        buf_puts(b, ",");
}

/* The report as CSV, one line per department. */
static void answer_csv(http_request *r, json_t *rows, const char *month)
{
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "department,name,tickets,answered,median_minutes,p95_minutes,breaches\r\n");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        buf_printf(&b, "%s,\"", json_string_value(json_object_get(row, "department")));
        for (const char *p = json_string_value(json_object_get(row, "name")); *p; p++)
            buf_printf(&b, *p == '"' ? "\"\"" : "%c", *p);
        buf_puts(&b, "\"");
        static const char *const cols[] = {"tickets", "answered", "median_minutes", "p95_minutes", "breaches"};
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
            put_number(&b, json_object_get(row, cols[c]));
        buf_puts(&b, "\r\n");
    }
    http_add_header(r, "Content-Disposition",
                    arena_printf(r->a, "attachment; filename=\"support-%s.csv\"", month));
    http_text(r, 200, "text/csv; charset=utf-8", b.data, b.len);
    buf_free(&b);
}

static void get_report(http_request *r)
{
    const char *month = http_query(r, "month"), *format = http_query(r, "format");
    int64_t from, to;
    if (!support_month_bounds(month, &from, &to))
        return http_error(r, 422, "invalid_field", "month: YYYY-MM", "month");
    if (format && strcmp(format, "json") && strcmp(format, "csv"))
        return http_error(r, 422, "invalid_field", "format: json or csv", "format");
    json_t *rows = support_report(r, from, to);
    if (!rows)
        return http_error(r, 500, "store_error", "the report could not be read", NULL);
    if (format && !strcmp(format, "csv")) {
        answer_csv(r, rows, month);
        json_decref(rows);
        return;
    }
    http_json(r, 200, json_pack("{s:s, s:o}", "month", month, "departments", rows));
}

static void get_canned(http_request *r)
{
    support_canned *list = arena_alloc(r->a, sizeof *list * SUPPORT_CANNED_MAX);
    int n = support_canned_list(r, list, SUPPORT_CANNED_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "the canned replies could not be read", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, support_canned_json(&list[i]));
    http_json(r, 200, json_pack("{s:o}", "canned_replies", arr));
}

static void post_canned(http_request *r)
{
    json_t *b;
    const char *title;
    int64_t id;
    if (!jin_body(r, &b) || !jin_string(r, b, "title", JIN_REQUIRED, 1, SUPPORT_CANNED_TITLE_MAX, &title))
        return;
    json_t *v = json_object_get(b, "body");
    if (!json_is_string(v) || !support_text_ok(json_string_value(v), 1, SUPPORT_BODY_MAX))
        return http_error(r, 422, "invalid_field", "body: is required, 1 to 20000 characters of text", "body");
    if (!support_canned_add(r, title, json_string_value(v), &id))
        return http_error(r, 500, "store_error", "the canned reply could not be saved", NULL);
    support_canned c = {id, title, json_string_value(v)};
    http_json(r, 201, support_canned_json(&c));
}

static void delete_canned(http_request *r)
{
    int64_t id;
    int found = http_param_id(r, "canned_id", &id) ? support_canned_delete(r, id) : 0;
    if (found < 0)
        return http_error(r, 500, "store_error", "the canned reply could not be deleted", NULL);
    if (!found)
        return http_error(r, 404, "not_found", "no such canned reply", NULL);
    http_text(r, 204, NULL, "", 0);
}

/* A department code: 1-32 lower-case letters, digits, - and _. */
static bool code_ok(const char *c)
{
    size_t n = strlen(c);
    if (n < 1 || n > SUPPORT_DEPT_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '-' || c[i] == '_'))
            return false;
    return true;
}

static void post_department(http_request *r)
{
    json_t *b;
    const char *code, *en, *it, *duty = NULL;
    support_department dep = {.sla_min = {10, 10}, .active = true};
    if (!jin_body(r, &b) || !jin_string(r, b, "code", JIN_REQUIRED, 1, SUPPORT_DEPT_CODE_MAX, &code))
        return;
    if (!code_ok(code))
        return http_error(r, 422, "invalid_field", "code: 1 to 32 lower-case letters, digits, - and _", "code");
    if (!jin_string(r, b, "name_en", JIN_REQUIRED, 1, SUPPORT_DEPT_NAME_MAX, &en) ||
        !jin_string(r, b, "name_it", JIN_REQUIRED, 1, SUPPORT_DEPT_NAME_MAX, &it) ||
        !jin_email(r, b, "duty_email", JIN_OPTIONAL, &duty))
        return;
    json_t *sla = json_object_get(b, "sla_minutes");
    if (sla && !json_is_object(sla))
        return http_error(r, 422, "invalid_field", "sla_minutes: an object {normal, high}", "sla_minutes");
    if (sla && (!read_minutes(r, sla, "normal", &dep.sla_min[SUPPORT_NORMAL]) ||
                !read_minutes(r, sla, "high", &dep.sla_min[SUPPORT_HIGH])))
        return;
    support_department taken;
    int found = support_department_by_code(r->db, code, &taken);
    if (found != 0)
        return found > 0 ? http_error(r, 409, "code_taken", "code: a department with this code exists", "code")
                         : http_error(r, 500, "store_error", "the departments could not be read", NULL);
    snprintf(dep.code, sizeof dep.code, "%s", code);
    snprintf(dep.name_en, sizeof dep.name_en, "%s", en);
    snprintf(dep.name_it, sizeof dep.name_it, "%s", it);
    snprintf(dep.duty_email, sizeof dep.duty_email, "%s", duty ? duty : "");
    if (!support_department_add(r, &dep))
        return http_error(r, 500, "store_error", "the department could not be saved", NULL);
    http_json(r, 201, support_department_json(&dep, r->lang, true));
}

void support_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/tickets", get_queue, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/tickets/{ticket_id}", get_ticket, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/tickets/{ticket_id}", patch_ticket, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/tickets/{ticket_id}/messages", post_message, ROUTE_STAFF | ROUTE_UPLOAD);
    router_add(rt, "GET", "/api/v1/staff/tickets/{ticket_id}/attachments/{attachment_id}", get_attachment,
               ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/tickets/{ticket_id}/merge", post_merge, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/support/departments", get_departments, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/support/report", get_report, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/support/departments", post_department, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/support/canned-replies", get_canned, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/support/canned-replies", post_canned, ROUTE_STAFF);
    router_add(rt, "DELETE", "/api/v1/staff/support/canned-replies/{canned_id}", delete_canned, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/support/departments/{code}", patch_department, ROUTE_STAFF);
}
