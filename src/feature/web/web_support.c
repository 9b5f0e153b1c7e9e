/* web_support.c - the customers' support pages: /support (how to reach us,
 * and for a signed-in customer the tickets of the current organization they
 * may see with the form to open one, files included, without JavaScript) and
 * /support/tickets/{id} (the thread, a reply form with files, close, reopen,
 * rating). The same rules as the API (support.h): 404 for a ticket the user
 * may not see. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "feature/support/support_internal.h"
#include "core/zone.h"
#include "feature/web/web.h"
#include "http/json_in.h"
#include "http/multipart.h"

enum { WEB_SUPPORT_SERVICES_MAX = 100, WEB_SUPPORT_DEPTS_MAX = 50 };

static const char *status_label(http_request *r, support_status s)
{
    switch (s) {
    case SUPPORT_OPEN: return _("Open");
    case SUPPORT_ANSWERED: return _("Answered");
    case SUPPORT_WAITING: return _("Waiting for you");
    default: return _("Closed");
    }
}

static const char *priority_label(http_request *r, support_priority p)
{
    return p == SUPPORT_HIGH ? _("High") : _("Normal");
}

/* Unix seconds as the pages show a time, in the arena. */
static const char *when(http_request *r, int64_t t)
{
    json_t *iso = jout_time(t);
    const char *out = arena_strdup(r->a, web_datetime(r, json_string_value(iso)));
    json_decref(iso);
    return out;
}

/* The form's choices: departments, priorities, services, zones, with the
 * posted (or default) value selected. */
static json_t *form_choices(http_request *r, int64_t org, json_t *values)
{
    const char *dep = json_string_value(json_object_get(values, "department"));
    support_department *deps = arena_alloc(r->a, sizeof *deps * WEB_SUPPORT_DEPTS_MAX);
    int nd = support_department_list(r->db, deps, WEB_SUPPORT_DEPTS_MAX);
    json_t *d = json_array();
    for (int i = 0; i < nd; i++)
        if (deps[i].active)
            json_array_append_new(d, json_pack("{s:s, s:s, s:b}", "code", deps[i].code, "name",
                                               !strcmp(r->lang, "it") ? deps[i].name_it : deps[i].name_en,
                                               "selected", dep && !strcmp(dep, deps[i].code)));
    service_view *sv = arena_alloc(r->a, sizeof *sv * WEB_SUPPORT_SERVICES_MAX);
    int64_t next;
    int ns = service_view_list(r, org, r->user_id, 0, WEB_SUPPORT_SERVICES_MAX, sv, &next);
    json_int_t chosen = json_integer_value(json_object_get(values, "service_id"));
    json_t *s = json_array();
    for (int i = 0; i < ns; i++)
        json_array_append_new(s, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)sv[i].s.id, "label",
                                           sv[i].s.label[0] ? sv[i].s.label
                                                            : arena_printf(r->a, "#%" PRId64, sv[i].s.id),
                                           "selected", chosen == sv[i].s.id));
    const char *zone = json_string_value(json_object_get(values, "problem_time_zone"));
    json_t *z = json_array();
    const char *name;
    for (size_t i = 0; (name = zone_name(i)); i++)
        json_array_append_new(z, json_pack("{s:s, s:b}", "name", name, "selected",
                                           !strcmp(zone ? zone : ZONE_PROVIDER, name)));
    const char *pr = json_string_value(json_object_get(values, "priority"));
    return json_pack("{s:o, s:o, s:o, s:b}", "departments", d, "services", s, "zones", z, "high",
                     pr && !strcmp(pr, "high"));
}

/* /support: contact details; for a signed-in customer also the tickets and
 * the form (values and errors after a refused post). */
static void support_page(http_request *r, int status, json_t *values, json_t *errors)
{
    const saldo_config *c = r->app->cfg;
    json_t *data = json_pack("{s:s, s:s}", "support_email", c->provider.support_email, "support_phone",
                             c->provider.support_phone);
    int64_t org = r->user_id ? web_current_org(r) : 0;
    if (org) {
        support_filter f = {.org_id = org, .status = -1, .priority = -1};
        support_ticket *list = arena_alloc(r->a, sizeof *list * SUPPORT_LIST_MAX);
        int n = support_list(r->db, &f, (int64_t)time(NULL), list, SUPPORT_LIST_MAX);
        if (n < 0)
            return (void)json_decref(data), (void)json_decref(values), (void)json_decref(errors), web_fail(r);
        json_t *items = json_array();
        for (int i = 0; i < n; i++)
            if (support_user_may(r, r->user_id, &list[i]))
                json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)list[i].id,
                                                       "subject", list[i].subject, "status",
                                                       status_label(r, list[i].status), "priority",
                                                       priority_label(r, list[i].priority), "updated",
                                                       when(r, list[i].updated_at), "closed",
                                                       list[i].status == SUPPORT_CLOSED));
        if (!values)
            values = json_object();
        json_object_set_new(data, "signed_in", json_true());
        json_object_set_new(data, "tickets", items);
        json_object_set_new(data, "has_tickets", json_boolean(json_array_size(items) > 0));
        json_object_set_new(data, "choices", form_choices(r, org, values));
        json_object_set_new(data, "form", values);
        json_object_set_new(data, "errors", errors ? errors : json_object());
    } else {
        json_decref(values);
        json_decref(errors);
    }
    web_page(r, status, "pages/support", _("Support"), "support", data);
}

static void get_support(http_request *r)
{
    support_page(r, 200, NULL, NULL);
}

/* The string field name of b, or "". */
static const char *value(json_t *b, const char *name)
{
    const char *v = json_string_value(json_object_get(b, name));
    return v ? v : "";
}

static void field_error(json_t *errors, const char *name, const char *message)
{
    if (!json_object_get(errors, name))
        json_object_set_new(errors, name, json_string(message));
}

/* The posted ticket into n (errors under the fields' names). */
static void read_ticket_form(http_request *r, json_t *b, support_new *n, support_department *dep, json_t *errors)
{
    if (support_department_by_code(r->db, value(b, "department"), dep) != 1 || !dep->active)
        field_error(errors, "department", _("Choose a department."));
    n->dep = dep;
    n->priority = !strcmp(value(b, "priority"), "high") ? SUPPORT_HIGH : SUPPORT_NORMAL;
    n->subject = value(b, "subject");
    if (!support_text_ok(n->subject, 3, SUPPORT_SUBJECT_MAX) || strpbrk(n->subject, "\r\n\t"))
        field_error(errors, "subject", _("Write a subject of 3 to 200 characters."));
    n->body = value(b, "description");
    if (!support_text_ok(n->body, 1, SUPPORT_BODY_MAX))
        field_error(errors, "description", _("Describe the problem (up to 20000 characters)."));
    json_t *sid = json_object_get(b, "service_id");
    service_view v;
    if (sid && (!json_is_integer(sid) || service_view_get(r, n->org_id, json_integer_value(sid), &v) != 1 ||
                !service_user_may(r, r->user_id, n->org_id, &v)))
        field_error(errors, "service_id", _("Choose one of your services."));
    n->service_id = sid ? json_integer_value(sid) : 0;
    n->order_number = value(b, "order_number");
    if (!support_text_ok(n->order_number, 0, SUPPORT_ORDER_NUMBER_MAX))
        field_error(errors, "order_number", _("This is too long."));
    n->server_ip = value(b, "server_ip");
    if (*n->server_ip && !support_ip_ok(n->server_ip))
        field_error(errors, "server_ip", _("Enter an IPv4 or IPv6 address, such as 192.0.2.10."));
    const char *zone = *value(b, "problem_time_zone") ? value(b, "problem_time_zone") : ZONE_PROVIDER;
    const char *started = value(b, "problem_started_at");
    if (!zone_known(zone))
        field_error(errors, "problem_time_zone", _("Choose a time zone."));
    else if (*started && !zone_parse_local(started, zone, &n->problem_at))
        field_error(errors, "problem_started_at",
                    _("Enter a date and time that exists in that time zone, such as 2026-03-29 10:30."));
    n->problem_tz = *started ? zone : "";
    const char *field, *why = support_check_files(r, n->files, n->file_count, &field);
    if (why)
        field_error(errors, "files", n->file_count > SUPPORT_FILES_MAX
                                         ? _("Attach at most 5 files.")
                                         : _("Attach up to 5 files of up to 10 MB each: PNG, JPEG, GIF, PDF, ZIP or "
                                             "plain text."));
}

static void post_ticket(http_request *r)
{
    int64_t org = web_current_org(r), id;
    json_t *b;
    support_file *files = arena_alloc(r->a, sizeof *files * MULTIPART_PARTS_MAX);
    size_t nfiles = 0;
    if (!org)
        return web_error_page(r, 404);
    if (!support_read_body(r, &b, files, &nfiles))
        return;
    support_new n = {.org_id = org, .user_id = r->user_id, .files = files, .file_count = nfiles};
    support_department dep;
    json_t *errors = json_object();
    read_ticket_form(r, b, &n, &dep, errors);
    if (json_object_size(errors))
        return support_page(r, 422, json_deep_copy(b), errors);
    json_decref(errors);
    if (!support_open(r, &n, &id))
        return web_fail(r);
    web_flash(r, "ticket_opened");
    http_redirect(r, arena_printf(r->a, "/support/tickets/%" PRId64, id));
}

/* The path's ticket in the current organization if the user may see it;
 * else the 404 page. */
static bool ticket_for(http_request *r, support_ticket *t)
{
    int64_t org = web_current_org(r), id;
    if (org && http_param_id(r, "ticket_id", &id) && support_get(r->db, org, id, t) == 1 &&
        support_user_may(r, r->user_id, t))
        return true;
    web_error_page(r, 404);
    return false;
}

/* Adds "when", "who" and "url" of each attachment to the thread's messages. */
static void decorate_thread(http_request *r, json_t *thread, const char *files_base, bool staff)
{
    size_t i, k;
    json_t *m, *a;
    json_array_foreach(thread, i, m) {
        const char *author = json_string_value(json_object_get(m, "author"));
        const char *who = !strcmp(author, "staff") ? _("Support team")
                          : !strcmp(author, "system") ? _("System")
                          : !strcmp(author, "email") ? _("By email")
                          : !strcmp(author, "chat") ? _("Chat")
                                                    : _("Customer");
        json_object_set_new(m, "who", json_string(who));
        json_object_set_new(m, "from_staff", json_boolean(!strcmp(author, "staff")));
        const char *at = json_string_value(json_object_get(m, "created_at"));
        json_object_set_new(m, "when", json_string(web_datetime(r, at)));
        json_array_foreach(json_object_get(m, "attachments"), k, a) {
            long long aid = (long long)json_integer_value(json_object_get(a, "id"));
            json_object_set_new(a, "url", json_string(arena_printf(r->a, "%s/%lld", files_base, aid)));
        }
        if (!staff)
            json_object_del(m, "internal");
    }
}

static void ticket_page(http_request *r, const support_ticket *t, int status, json_t *errors)
{
    json_t *thread = support_thread_json(r, t->id, false);
    if (!thread)
        return (void)json_decref(errors), web_fail(r);
    decorate_thread(r, thread, arena_printf(r->a, "/api/v1/orgs/%" PRId64 "/tickets/%" PRId64 "/attachments",
                                            t->org_id, t->id), false);
    json_t *j = support_ticket_json(r, t, false, (int64_t)time(NULL));
    json_object_set_new(j, "messages", thread);
    json_object_set_new(j, "status_label", json_string(status_label(r, t->status)));
    json_object_set_new(j, "priority_label", json_string(priority_label(r, t->priority)));
    json_object_set_new(j, "closed", json_boolean(t->status == SUPPORT_CLOSED));
    json_object_set_new(j, "may_reopen", json_boolean(t->status == SUPPORT_CLOSED && !t->merged_into));
    json_object_set_new(j, "errors", errors ? errors : json_object());
    json_object_set_new(j, "ratings", json_pack("[i,i,i,i,i]", 1, 2, 3, 4, 5));
    web_page(r, status, "pages/ticket", t->subject, "support", j);
}

static void get_ticket(http_request *r)
{
    support_ticket t;
    if (ticket_for(r, &t))
        ticket_page(r, &t, 200, NULL);
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
    const char *body = value(b, "body"), *field;
    if (!support_text_ok(body, 1, SUPPORT_BODY_MAX))
        field_error(errors, "body", _("Write your message (up to 20000 characters)."));
    if (support_check_files(r, files, nfiles, &field))
        field_error(errors, "files", _("Attach up to 5 files of up to 10 MB each: PNG, JPEG, GIF, PDF, ZIP or "
                                       "plain text."));
    if (t.status == SUPPORT_CLOSED)
        field_error(errors, "body", _("The ticket is closed: reopen it to write."));
    if (json_object_size(errors))
        return ticket_page(r, &t, 422, errors);
    json_decref(errors);
    int64_t msg_id = 0;
    support_written written = {0};
    bool ok = db_begin(r->db, DB_TX_WRITE) == DB_OK &&
              support_add_message(r->db, &t, SUPPORT_AUTHOR_CUSTOMER, r->user_id, body, false, -1, &msg_id) &&
              support_store_files(r, msg_id, files, nfiles, &written) && db_commit(r->db) == DB_OK;
    if (!ok) {
        support_unlink_written(&written);
        return web_fail(r);
    }
    web_flash(r, "ticket_replied");
    http_redirect(r, arena_printf(r->a, "/support/tickets/%" PRId64, t.id));
}

/* Close, reopen and rate: a form with only _csrf (and the rating). */
static void change(http_request *r, const char *what)
{
    support_ticket t;
    form f;
    if (!ticket_for(r, &t) || !web_form(r, &f))
        return;
    bool ok = true, closing = !strcmp(what, "close"), rating = !strcmp(what, "rating");
    const char *v = form_get(&f, "rating");
    int stars = v && strlen(v) == 1 && *v >= '1' && *v <= '5' ? *v - '0' : 0;
    if (rating ? t.status != SUPPORT_CLOSED || !stars
               : closing ? t.status == SUPPORT_CLOSED : t.status != SUPPORT_CLOSED || t.merged_into) {
        web_flash(r, "ticket_unchanged");
        return http_redirect(r, arena_printf(r->a, "/support/tickets/%" PRId64, t.id));
    }
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    ok = rating ? support_set_rating(r->db, t.id, stars)
                : support_set_status(r->db, t.id, closing ? SUPPORT_CLOSED : SUPPORT_OPEN);
    if (!ok || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, rating ? "ticket_rated" : closing ? "ticket_closed" : "ticket_reopened");
    http_redirect(r, arena_printf(r->a, "/support/tickets/%" PRId64, t.id));
}

static void post_close(http_request *r)
{
    change(r, "close");
}

static void post_reopen(http_request *r)
{
    change(r, "reopen");
}

static void post_rating(http_request *r)
{
    change(r, "rating");
}

void web_support_routes(router *rt)
{
    router_add(rt, "GET", "/support", get_support, ROUTE_PAGE);
    router_add(rt, "POST", "/support/tickets", post_ticket, ROUTE_USER | ROUTE_PAGE | ROUTE_UPLOAD);
    router_add(rt, "GET", "/support/tickets/{ticket_id}", get_ticket, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/support/tickets/{ticket_id}/messages", post_message,
               ROUTE_USER | ROUTE_PAGE | ROUTE_UPLOAD);
    router_add(rt, "POST", "/support/tickets/{ticket_id}/close", post_close, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/support/tickets/{ticket_id}/reopen", post_reopen, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/support/tickets/{ticket_id}/rating", post_rating, ROUTE_USER | ROUTE_PAGE);
}
