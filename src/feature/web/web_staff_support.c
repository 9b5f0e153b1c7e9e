/* web_staff_support.c - tickets in the back office: the queue (high priority
 * first, then by time left, with a timer and breaches flagged; filters by
 * department, priority, status, assignee, breached), a ticket with its whole
 * thread (internal notes marked), the answer form (files, internal note, the
 * status after it), department, priority, assignee and status, merging a
 * duplicate, a canned reply inserted into the answer form (a GET, no
 * JavaScript), and the monthly report of first-response times (the canned
 * replies and departments are web_staff_support_settings.c's). The same
 * functions as the staff API (feature/support) do the work and the audit. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/number_text.h"
#include "core/zone.h"
#include "feature/support/support_internal.h"
#include "feature/web/web.h"
#include "http/multipart.h"

enum { WEB_STAFF_DEPTS_MAX = 50 };

static int name_index(const char *const *names, const char *v)
{
    for (int i = 0; v && names[i]; i++)
        if (!strcmp(names[i], v))
            return i;
    return -1;
}

/* "12 min left" or "overdue by 3 min" or "answered". */
static const char *timer(http_request *r, const support_ticket *t, int64_t now)
{
    if (t->first_response_at)
        return support_breached(t, now) ? _("answered late") : _("answered in time");
    int64_t left = t->due_at - now;
    return left >= 0 ? arena_printf(r->a, _("%lld min left"), (long long)(left + 59) / 60)
                     : arena_printf(r->a, _("overdue by %lld min"), (long long)(-left + 59) / 60);
}

static json_t *departments(http_request *r, const char *chosen)
{
    support_department *deps = arena_alloc(r->a, sizeof *deps * WEB_STAFF_DEPTS_MAX);
    int n = support_department_list(r->db, deps, WEB_STAFF_DEPTS_MAX);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "code", deps[i].code, "name", deps[i].name_en,
                                             "selected", chosen && !strcmp(chosen, deps[i].code)));
    return arr;
}

static json_t *options(const char *const *names, const char *chosen)
{
    json_t *arr = json_array();
    for (int i = 0; names[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:b}", "value", names[i], "selected",
                                             chosen && !strcmp(chosen, names[i])));
    return arr;
}

static void get_queue(http_request *r)
{
    support_filter f = {.status = -1, .priority = -1, .queue_order = true};
    const char *dep = http_query(r, "department"), *pr = http_query(r, "priority"), *st = http_query(r, "status"),
               *as = http_query(r, "assigned"), *br = http_query(r, "breached");
    support_department d;
    if (dep && *dep && support_department_by_code(r->db, dep, &d) == 1)
        f.department_id = d.id;
    f.priority = pr && *pr ? name_index(support_priority_names, pr) : -1;
    f.status = st && *st ? name_index(support_status_names, st) : -1;
    f.assigned_staff_id = as && !strcmp(as, "me") ? r->staff_id : as && !strcmp(as, "none") ? -1 : 0;
    f.breached_only = br && !strcmp(br, "true");
    int64_t now = (int64_t)time(NULL);
    support_ticket *list = arena_alloc(r->a, sizeof *list * SUPPORT_LIST_MAX);
    int n = support_list(r->db, &f, now, list, SUPPORT_LIST_MAX);
    if (n < 0)
        return web_fail(r);
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "id",
                                              (json_int_t)list[i].id, "org_id", (json_int_t)list[i].org_id,
                                              "subject", list[i].subject, "department", list[i].department,
                                              "priority", support_priority_names[list[i].priority], "status",
                                              support_status_names[list[i].status], "timer", timer(r, &list[i], now),
                                              "breached", support_breached(&list[i], now), "high",
                                              list[i].priority == SUPPORT_HIGH));
    web_staff_page(r, 200, "staff/tickets", _("Tickets"), "tickets",
                   json_pack("{s:o, s:b, s:o, s:o, s:o, s:b, s:b, s:b}", "tickets", rows, "has_tickets", n > 0,
                             "departments", departments(r, dep), "priorities", options(support_priority_names, pr),
                             "statuses", options(support_status_names, st), "mine", f.assigned_staff_id > 0,
                             "unassigned", f.assigned_staff_id == -1, "breached", f.breached_only));
}

static bool ticket_for(http_request *r, support_ticket *t)
{
    int64_t id;
    if (http_param_id(r, "ticket_id", &id) && support_get(r->db, 0, id, t) == 1)
        return true;
    web_error_page(r, 404);
    return false;
}

/* The canned replies for the answer form; the one chosen with ?canned= also
 * as "draft", the answer's starting text. */
static json_t *canned_options(http_request *r)
{
    support_canned *list = arena_alloc(r->a, sizeof *list * SUPPORT_CANNED_MAX);
    int n = support_canned_list(r, list, SUPPORT_CANNED_MAX);
    int64_t chosen = 0;
    int_text_id(http_query(r, "canned"), &chosen); /* 0, none chosen, when it is not an id */
    json_t *arr = json_array(), *out = json_object();
    for (int i = 0; i < n; i++) {
        bool sel = chosen == list[i].id;
        json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)list[i].id, "title", list[i].title,
                                             "selected", sel));
        if (sel)
            json_object_set_new(out, "draft", json_string(list[i].body));
    }
    json_object_set_new(out, "any", json_boolean(n > 0));
    json_object_set_new(out, "list", arr);
    return out;
}

static void ticket_page(http_request *r, const support_ticket *t, int status, json_t *errors)
{
    int64_t now = (int64_t)time(NULL);
    json_t *thread = support_thread_json(r, t->id, true);
    if (!thread)
        return (void)json_decref(errors), web_fail(r);
    size_t i, k;
    json_t *m, *a;
    json_array_foreach(thread, i, m) {
        const char *at = json_string_value(json_object_get(m, "created_at"));
        json_object_set_new(m, "when", json_string(web_datetime(r, at)));
        json_array_foreach(json_object_get(m, "attachments"), k, a) {
            long long aid = (long long)json_integer_value(json_object_get(a, "id"));
            json_object_set_new(a, "url", json_string(arena_printf(r->a, "/staff/tickets/%" PRId64 "/attachments/%lld",
                                                                   t->id, aid)));
        }
    }
    json_t *j = support_ticket_json(r, t, true, now);
    json_object_set_new(j, "messages", thread);
    json_object_set_new(j, "timer", json_string(timer(r, t, now)));
    json_object_set_new(j, "breached", json_boolean(support_breached(t, now)));
    json_object_set_new(j, "departments", departments(r, t->department));
    json_object_set_new(j, "priorities", options(support_priority_names, support_priority_names[t->priority]));
    json_object_set_new(j, "statuses", options(support_status_names, support_status_names[t->status]));
    json_object_set_new(j, "mine", json_boolean(t->assigned_staff_id == r->staff_id));
    json_object_set_new(j, "reply_to", json_string(support_reply_to(r, t)));
    json_object_set_new(j, "errors", errors ? errors : json_object());
    json_object_set_new(j, "canned", canned_options(r));
    web_staff_page(r, status, "staff/ticket", t->subject, "tickets", j);
}

static void get_ticket(http_request *r)
{
    support_ticket t;
    if (ticket_for(r, &t))
        ticket_page(r, &t, 200, NULL);
}

static void redirect_ticket(http_request *r, int64_t id, const char *flash)
{
    web_flash(r, flash);
    http_redirect(r, arena_printf(r->a, "/staff/tickets/%" PRId64, id));
}

static void post_message(http_request *r)
{
    support_ticket t;
    json_t *b;
    support_file *files = arena_alloc(r->a, sizeof *files * MULTIPART_PARTS_MAX);
    size_t nfiles = 0;
    if (!ticket_for(r, &t) || !support_read_body(r, &b, files, &nfiles))
        return;
    json_t *errors = json_object();
    const char *body = json_string_value(json_object_get(b, "body")), *field;
    const char *st = json_string_value(json_object_get(b, "status"));
    bool internal = json_is_true(json_object_get(b, "internal"));
    if (!body || !support_text_ok(body, 1, SUPPORT_BODY_MAX))
        json_object_set_new(errors, "body", json_string(_("Write the answer (up to 20000 characters).")));
    if (support_check_files(r, files, nfiles, &field))
        json_object_set_new(errors, "files", json_string(_("Attach up to 5 files of up to 10 MB each: PNG, JPEG, "
                                                           "GIF, PDF, ZIP or plain text.")));
    if (t.merged_into)
        json_object_set_new(errors, "body", json_string(_("This ticket was merged into another one: write there.")));
    if (json_object_size(errors))
        return ticket_page(r, &t, 422, errors);
    json_decref(errors);
    int next = st && (!strcmp(st, "waiting") || !strcmp(st, "closed")) ? name_index(support_status_names, st) : -1;
    support_written written = {0};
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK &&
              support_staff_reply(r, &t, body, internal, next, files, nfiles, &written) && db_commit(r->db) == DB_OK;
    if (!ok) {
        support_unlink_written(&written);
        return web_fail(r);
    }
    redirect_ticket(r, t.id, internal ? "ticket_noted" : "ticket_answered");
}

static void post_update(http_request *r)
{
    support_ticket t;
    form f;
    if (!ticket_for(r, &t) || !web_form(r, &f))
        return;
    support_department dep;
    const char *code = form_get(&f, "department"), *as = form_get(&f, "assigned");
    int p = name_index(support_priority_names, form_get(&f, "priority"));
    int s = name_index(support_status_names, form_get(&f, "status"));
    if (support_department_by_code(r->db, code ? code : t.department, &dep) != 1)
        return web_error_page(r, 400);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    bool ok = true;
    support_priority pr = p >= 0 ? (support_priority)p : t.priority;
    if (dep.id != t.department_id || pr != t.priority)
        ok = support_staff_move(r, &t, &dep, pr);
    int64_t assigned = as && !strcmp(as, "me") ? r->staff_id : as && !strcmp(as, "none") ? 0 : t.assigned_staff_id;
    if (ok && assigned != t.assigned_staff_id)
        ok = support_staff_assign(r, &t, assigned);
    if (ok && s >= 0 && s != (int)t.status)
        ok = support_staff_status(r, &t, (support_status)s);
    if (!ok || db_commit(r->db) != DB_OK)
        return web_fail(r);
    redirect_ticket(r, t.id, "ticket_updated");
}

static void post_merge(http_request *r)
{
    support_ticket dup, target;
    form f;
    if (!ticket_for(r, &dup) || !web_form(r, &f))
        return;
    int64_t id;
    if (!int_text_id(form_get(&f, "into"), &id) || support_get(r->db, dup.org_id, id, &target) != 1 || target.id == dup.id ||
        dup.merged_into || target.merged_into)
        return ticket_page(r, &dup, 422, json_pack("{s:s}", "into", _("Enter the number of another open ticket of "
                                                                      "the same organization.")));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !support_staff_merge(r, &dup, &target) ||
        db_commit(r->db) != DB_OK)
        return web_fail(r);
    redirect_ticket(r, target.id, "ticket_merged");
}

static void get_attachment(http_request *r)
{
    support_ticket t;
    int64_t id;
    if (!ticket_for(r, &t))
        return;
    if (!http_param_id(r, "attachment_id", &id))
        return web_error_page(r, 404);
    support_send_attachment(r, t.id, id, true);
}

static void get_report(http_request *r)
{
    const char *month = http_query(r, "month");
    char today[11];
    if (!month || !*month) {
        if (!zone_provider_date((int64_t)time(NULL), today))
            return web_fail(r);
        month = arena_strndup(r->a, today, 7); /* this month in Italy */
    }
    int64_t from, to;
    if (!support_month_bounds(month, &from, &to))
        return web_error_page(r, 400);
    json_t *rows = support_report(r, from, to);
    if (!rows)
        return web_fail(r);
    web_staff_page(r, 200, "staff/support_report", _("Support report"), "tickets",
                   json_pack("{s:s, s:o}", "month", month, "rows", rows));
}

void web_staff_support_routes(router *rt)
{
    router_add(rt, "GET", "/staff/tickets", get_queue, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/tickets/{ticket_id}", get_ticket, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/tickets/{ticket_id}/messages", post_message,
               ROUTE_STAFF | ROUTE_PAGE | ROUTE_UPLOAD);
    router_add(rt, "POST", "/staff/tickets/{ticket_id}/update", post_update, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/tickets/{ticket_id}/merge", post_merge, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/tickets/{ticket_id}/attachments/{attachment_id}", get_attachment,
               ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/support/report", get_report, ROUTE_STAFF | ROUTE_PAGE);
}
