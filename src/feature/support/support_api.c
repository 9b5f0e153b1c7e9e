/* support_api.c - the customers' ticket API (members see the tickets of the
 * services they may see, administrators all of their organization's; anything
 * else is 404):
 *   GET/POST /api/v1/orgs/{org_id}/tickets
 *   GET      /api/v1/orgs/{org_id}/tickets/{ticket_id}
 *   POST     /api/v1/orgs/{org_id}/tickets/{ticket_id}/messages
 *   POST     /api/v1/orgs/{org_id}/tickets/{ticket_id}/close | reopen | rating
 *   GET      /api/v1/orgs/{org_id}/tickets/{ticket_id}/attachments/{attachment_id}
 * Opening and writing take JSON or multipart/form-data with "files" parts.
 *   GET      /api/v1/support/departments */
#include "feature/support/support_internal.h"

#include <string.h>
#include <time.h>

#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "core/zone.h"
#include "http/json_in.h"
#include "http/multipart.h"

enum { SUPPORT_DEPTS_MAX = 50 };

static bool org_or_404(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_MEMBER))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

/* The path's ticket if the caller may see it; else answers 404. */
static bool ticket_or_404(http_request *r, support_ticket *t)
{
    int64_t org_id, id;
    if (!org_or_404(r, &org_id))
        return false;
    int found = http_param_id(r, "ticket_id", &id) ? support_get(r->db, org_id, id, t) : 0;
    if (found < 0) {
        http_error(r, 500, "store_error", "the ticket could not be read", NULL);
        return false;
    }
    if (found == 1 && support_user_may(r, r->user_id, t))
        return true;
    http_error(r, 404, "not_found", "no such ticket", NULL);
    return false;
}

/* A multi-line text field: answers 422 itself. */
static bool text_field(http_request *r, json_t *b, const char *field, size_t min, size_t max, const char **out)
{
    json_t *v = json_object_get(b, field);
    if (json_is_string(v) && support_text_ok(json_string_value(v), min, max)) {
        *out = arena_strdup(r->a, json_string_value(v));
        return true;
    }
    http_error(r, 422, "invalid_field",
               arena_printf(r->a, "%s: is required, %zu to %zu characters of text", field, min, max), field);
    return false;
}

static void answer_ticket(http_request *r, int status, const support_ticket *t)
{
    json_t *thread = support_thread_json(r, t->id, false);
    if (!thread)
        return http_error(r, 500, "store_error", "the ticket could not be read", NULL);
    json_t *j = support_ticket_json(r, t, false, (int64_t)time(NULL));
    json_object_set_new(j, "messages", thread);
    http_json(r, status, j);
}

static void list_tickets(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    support_filter f = {.org_id = org_id, .status = -1, .priority = -1};
    const char *st = http_query(r, "status");
    if (st && *st) {
        for (f.status = 0; support_status_names[f.status] && strcmp(support_status_names[f.status], st); f.status++)
            ;
        if (!support_status_names[f.status])
            return http_error(r, 422, "invalid_field", "status: one of open, answered, waiting, closed", "status");
    }
    support_ticket *list = arena_alloc(r->a, sizeof *list * SUPPORT_LIST_MAX);
    int n = support_list(r->db, &f, (int64_t)time(NULL), list, SUPPORT_LIST_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "the tickets could not be read", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        if (support_user_may(r, r->user_id, &list[i]))
            json_array_append_new(arr, support_ticket_json(r, &list[i], false, 0));
    http_json(r, 200, json_pack("{s:o}", "tickets", arr));
}

/* The optional incident details of a new ticket into n; answers itself. */
static bool read_details(http_request *r, json_t *b, support_new *n)
{
    json_int_t service_id = 0;
    json_t *sv = json_object_get(b, "service_id");
    if (sv && !json_is_null(sv)) {
        service_view v;
        service_id = json_is_integer(sv) ? json_integer_value(sv) : 0;
        if (service_id <= 0 || service_view_get(r, n->org_id, service_id, &v) != 1 ||
            !service_user_may(r, r->user_id, n->org_id, &v)) {
            http_error(r, 404, "not_found", "service_id: no such service", "service_id");
            return false;
        }
    }
    n->service_id = service_id;
    if (!jin_string(r, b, "order_number", JIN_OPTIONAL, 0, SUPPORT_ORDER_NUMBER_MAX, &n->order_number) ||
        !jin_string(r, b, "server_ip", JIN_OPTIONAL, 0, SUPPORT_IP_MAX, &n->server_ip) ||
        !jin_string(r, b, "problem_time_zone", JIN_OPTIONAL, 1, SUPPORT_TZ_MAX, &n->problem_tz))
        return false;
    if (n->server_ip && *n->server_ip && !support_ip_ok(n->server_ip)) {
        http_error(r, 422, "invalid_field", "server_ip: not an IPv4 or IPv6 address", "server_ip");
        return false;
    }
    const char *started;
    if (!jin_string(r, b, "problem_started_at", JIN_OPTIONAL, 1, 32, &started))
        return false;
    if (!n->problem_tz)
        n->problem_tz = ZONE_PROVIDER;
    if (!zone_known(n->problem_tz)) {
        http_error(r, 422, "invalid_field", "problem_time_zone: not a known time zone", "problem_time_zone");
        return false;
    }
    if (started && !zone_parse_local(started, n->problem_tz, &n->problem_at)) {
        http_error(r, 422, "invalid_field", "problem_started_at: a local time YYYY-MM-DDTHH:MM",
                   "problem_started_at");
        return false;
    }
    if (!started)
        n->problem_tz = "";
    return true;
}

static bool files_ok(http_request *r, support_file *files, size_t n)
{
    const char *field, *why = support_check_files(r, files, n, &field);
    if (why)
        http_error(r, 422, "invalid_file", why, field);
    return !why;
}

static void open_ticket(http_request *r)
{
    int64_t org_id, id;
    json_t *b;
    support_file *files = arena_alloc(r->a, sizeof *files * MULTIPART_PARTS_MAX);
    size_t nfiles;
    if (!org_or_404(r, &org_id) || !support_read_body(r, &b, files, &nfiles))
        return;
    support_new n = {.org_id = org_id, .user_id = r->user_id, .files = files, .file_count = nfiles};
    support_department dep;
    const char *code, *priority = NULL;
    if (!jin_string(r, b, "department", JIN_REQUIRED, 1, SUPPORT_DEPT_CODE_MAX, &code))
        return;
    if (support_department_by_code(r->db, code, &dep) != 1 || !dep.active)
        return http_error(r, 422, "invalid_field", "department: no such department", "department");
    if (!jin_enum(r, b, "priority", JIN_OPTIONAL, support_priority_names, &priority) ||
        !jin_string(r, b, "subject", JIN_REQUIRED, 3, SUPPORT_SUBJECT_MAX, &n.subject) ||
        !text_field(r, b, "description", 1, SUPPORT_BODY_MAX, &n.body) || !read_details(r, b, &n) ||
        !files_ok(r, files, nfiles))
        return;
    n.dep = &dep;
    n.priority = priority && !strcmp(priority, "high") ? SUPPORT_HIGH : SUPPORT_NORMAL;
    support_ticket t;
    if (!support_open(r, &n, &id) || support_get(r->db, org_id, id, &t) != 1)
        return http_error(r, 500, "store_error", "the ticket could not be opened; nothing was saved", NULL);
    answer_ticket(r, 201, &t);
}

static void get_ticket(http_request *r)
{
    support_ticket t;
    if (ticket_or_404(r, &t))
        answer_ticket(r, 200, &t);
}

/* Runs the change in a write transaction and answers the ticket as it is then. */
static void commit_and_answer(http_request *r, support_ticket *t, bool ok, int status)
{
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the ticket could not be saved; nothing was changed", NULL);
    }
    if (support_get(r->db, t->org_id, t->id, t) != 1)
        return http_error(r, 500, "store_error", "the ticket could not be read", NULL);
    answer_ticket(r, status, t);
}

static void post_message(http_request *r)
{
    support_ticket t;
    json_t *b;
    const char *body;
    support_file *files = arena_alloc(r->a, sizeof *files * MULTIPART_PARTS_MAX);
    size_t nfiles;
    if (!ticket_or_404(r, &t) || !support_read_body(r, &b, files, &nfiles) ||
        !text_field(r, b, "body", 1, SUPPORT_BODY_MAX, &body) || !files_ok(r, files, nfiles))
        return;
    if (t.status == SUPPORT_CLOSED)
        return http_error(r, 409, "ticket_closed", "the ticket is closed: reopen it to write", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the message could not be saved", NULL);
    int64_t msg_id = 0;
    support_written written = {0};
    bool ok = support_add_message(r->db, &t, SUPPORT_AUTHOR_CUSTOMER, r->user_id, body, false, -1, &msg_id) &&
              support_store_files(r, msg_id, files, nfiles, &written);
    if (!ok)
        support_unlink_written(&written);
    commit_and_answer(r, &t, ok, 201);
}

static void set_status(http_request *r, support_status to, const char *why)
{
    support_ticket t;
    if (!ticket_or_404(r, &t))
        return;
    if ((to == SUPPORT_CLOSED) == (t.status == SUPPORT_CLOSED) || t.merged_into)
        return http_error(r, 409, "wrong_status", why, NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the ticket could not be saved", NULL);
    commit_and_answer(r, &t, support_set_status(r->db, t.id, to), 200);
}

static void close_ticket(http_request *r)
{
    set_status(r, SUPPORT_CLOSED, "the ticket is already closed");
}

static void reopen_ticket(http_request *r)
{
    set_status(r, SUPPORT_OPEN, "only a closed ticket (not merged into another) can be reopened");
}

static void rate_ticket(http_request *r)
{
    support_ticket t;
    json_t *b;
    if (!ticket_or_404(r, &t) || !jin_body(r, &b))
        return;
    json_t *v = json_object_get(b, "rating");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
        return http_error(r, 422, "invalid_field", "rating: an integer from 1 to 5", "rating");
    if (t.status != SUPPORT_CLOSED)
        return http_error(r, 409, "wrong_status", "a ticket can be rated once it is closed", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the rating could not be saved", NULL);
    commit_and_answer(r, &t, support_set_rating(r->db, t.id, (int)json_integer_value(v)), 200);
}

static void get_attachment(http_request *r)
{
    support_ticket t;
    int64_t id;
    if (!ticket_or_404(r, &t))
        return;
    if (!http_param_id(r, "attachment_id", &id))
        return http_error(r, 404, "not_found", "no such attachment", NULL);
    support_send_attachment(r, t.id, id, false);
}

static void list_departments(http_request *r)
{
    support_department *deps = arena_alloc(r->a, sizeof *deps * SUPPORT_DEPTS_MAX);
    int n = support_department_list(r->db, deps, SUPPORT_DEPTS_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "the departments could not be read", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        if (deps[i].active)
            json_array_append_new(arr, support_department_json(&deps[i], r->lang, false));
    http_json(r, 200, json_pack("{s:o}", "departments", arr));
}

void support_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/support/departments", list_departments, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/tickets", list_tickets, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/tickets", open_ticket, ROUTE_USER | ROUTE_UPLOAD);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/tickets/{ticket_id}", get_ticket, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/tickets/{ticket_id}/messages", post_message,
               ROUTE_USER | ROUTE_UPLOAD);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/tickets/{ticket_id}/attachments/{attachment_id}", get_attachment,
               ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/tickets/{ticket_id}/close", close_ticket, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/tickets/{ticket_id}/reopen", reopen_ticket, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/tickets/{ticket_id}/rating", rate_ticket, ROUTE_USER);
}
