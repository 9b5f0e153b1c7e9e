/* web_staff_chat.c - the back office's chat console: /staff/chats lists the
 * chats (waiting and active first, then past ones) and /staff/chats/{id}
 * shows the list beside the open chat: its transcript, kept live by
 * static/chat_staff.js (an EventSource on /staff/chats/{id}/events), and the
 * forms to claim, answer, close and turn it into a ticket, which work without
 * JavaScript too (POST, then 303 back to the chat). Through chat.h. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "feature/chat/chat.h"
#include "feature/support/support.h"
#include "feature/web/web.h"

enum { WEB_CHATS_MAX = 100, WEB_CHAT_DEPTS_MAX = 50 };

static const char *status_label(http_request *r, const char *status)
{
    return !strcmp(status, "waiting") ? _("Waiting") : !strcmp(status, "active") ? _("Active") : _("Closed");
}

/* The console: the list, and the chat id when one is open (0 = none). */
static void console(http_request *r, int status, int64_t id, json_t *errors)
{
    json_t *list = chat_list_json(r->db, -1, WEB_CHATS_MAX), *open = id ? chat_transcript_json(r->db, id, true) : NULL;
    if (!list || (id && !open)) {
        json_decref(list);
        json_decref(errors);
        return id && list ? web_error_page(r, 404) : web_fail(r);
    }
    size_t i;
    json_t *c, *m;
    json_array_foreach(list, i, c) {
        json_object_set_new(c, "status_label", json_string(status_label(r, json_string_value(json_object_get(c, "status")))));
        json_object_set_new(c, "current", json_boolean(json_integer_value(json_object_get(c, "id")) == id));
    }
    json_t *ctx = json_pack("{s:o, s:b, s:o}", "chats", list, "has_chats", json_array_size(list) > 0, "errors",
                            errors ? errors : json_object());
    if (open) {
        json_t *chat = json_object_get(open, "chat"), *msgs = json_object_get(open, "messages");
        const char *st = json_string_value(json_object_get(chat, "status"));
        json_int_t last = 0;
        json_array_foreach(msgs, i, m) {
            const char *author = json_string_value(json_object_get(m, "author"));
            json_object_set_new(m, "who", json_string(!strcmp(author, "staff")    ? _("Support team")
                                                      : !strcmp(author, "system") ? _("System")
                                                                                  : json_string_value(json_object_get(chat, "name"))));
            json_object_set_new(m, "from_staff", json_boolean(!strcmp(author, "staff")));
            json_object_set_new(m, "when", json_string(web_datetime(r, json_string_value(json_object_get(m, "created_at")))));
            last = json_integer_value(json_object_get(m, "id"));
        }
        json_object_set_new(chat, "status_label", json_string(status_label(r, st)));
        json_object_set_new(chat, "waiting", json_boolean(!strcmp(st, "waiting")));
        json_object_set_new(chat, "closed", json_boolean(!strcmp(st, "closed")));
        json_object_set_new(chat, "last_id", json_integer(last));
        support_department *deps = arena_alloc(r->a, sizeof *deps * WEB_CHAT_DEPTS_MAX);
        int nd = support_department_list(r->db, deps, WEB_CHAT_DEPTS_MAX);
        json_t *d = json_array();
        for (int k = 0; k < nd; k++)
            if (deps[k].active)
                json_array_append_new(d, json_pack("{s:s, s:s}", "code", deps[k].code, "name",
                                                   !strcmp(r->lang, "it") ? deps[k].name_it : deps[k].name_en));
        json_object_set_new(open, "departments", d);
        json_object_set_new(ctx, "open_chat", open);
    }
    json_object_set_new(ctx, "chat_js_url", json_string(static_url(r, &r->app->statics, "chat_staff.js")));
    web_staff_page(r, status, "staff/chats", _("Live chats"), "chats", ctx);
}

static void get_list(http_request *r)
{
    console(r, 200, 0, NULL);
}

static void get_chat(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "chat_id", &id))
        return web_error_page(r, 404);
    console(r, 200, id, NULL);
}

/* The path's chat id after reading the form; 0 after answering (404 or 400). */
static int64_t chat_form(http_request *r, form *f)
{
    int64_t id;
    if (!http_param_id(r, "chat_id", &id)) {
        web_error_page(r, 404);
        return 0;
    }
    json_t *t = chat_transcript_json(r->db, id, true);
    if (!t) {
        web_error_page(r, 404);
        return 0;
    }
    json_decref(t);
    return web_form(r, f) ? id : 0;
}

static void back(http_request *r, int64_t id)
{
    http_redirect(r, arena_printf(r->a, "/staff/chats/%" PRId64, id));
}

/* After a failed action: the console with the message under field. */
static void failed(http_request *r, int64_t id, chat_result res, const char *field)
{
    if (res == CHAT_STORE_ERROR)
        return web_fail(r);
    const char *msg = res == CHAT_IS_CLOSED        ? _("The chat is closed.")
                      : res == CHAT_RATE_LIMITED   ? _("Too many messages at once: wait a few seconds.")
                      : res == CHAT_ALREADY_TICKET ? _("The chat was already turned into a ticket.")
                      : res == CHAT_NO_ACCOUNT     ? _("The visitor's email belongs to no customer: a visitor without an account cannot own a ticket.")
                                                   : _("The customer has no organization to own a ticket.");
    console(r, res == CHAT_RATE_LIMITED ? 429 : res == CHAT_IS_CLOSED || res == CHAT_ALREADY_TICKET ? 409 : 422, id,
            json_pack("{s:s}", field, msg));
}

static void post_claim(http_request *r)
{
    form f;
    int64_t id = chat_form(r, &f);
    if (!id)
        return;
    chat_result res = chat_claim(r, id);
    return res == CHAT_OK ? back(r, id) : failed(r, id, res, "claim");
}

static void post_message(http_request *r)
{
    form f;
    int64_t id = chat_form(r, &f), msg_id;
    if (!id)
        return;
    const char *body = form_get(&f, "body");
    if (!chat_text_ok(body))
        return console(r, 422, id, json_pack("{s:s}", "body", _("Write a message of up to 4000 characters.")));
    chat_result res = chat_post(r, id, true, body, &msg_id);
    return res == CHAT_OK ? back(r, id) : failed(r, id, res, "body");
}

static void post_close(http_request *r)
{
    form f;
    int64_t id = chat_form(r, &f);
    if (!id)
        return;
    chat_result res = chat_close(r, id, true);
    return res == CHAT_OK || res == CHAT_IS_CLOSED ? back(r, id) : failed(r, id, res, "close");
}

static void post_ticket(http_request *r)
{
    form f;
    int64_t id = chat_form(r, &f), ticket_id;
    if (!id)
        return;
    support_department dep;
    json_t *errors = json_object();
    const char *code = form_get(&f, "department"), *priority = form_get(&f, "priority");
    const char *subject = web_optional_text(r, &f, "subject", SUPPORT_SUBJECT_MAX, errors);
    if (!code || support_department_by_code(r->db, code, &dep) != 1 || !dep.active)
        json_object_set_new(errors, "department", json_string(_("Choose a department.")));
    if (subject && *subject && strlen(subject) < 3)
        json_object_set_new(errors, "subject", json_string(_("Leave it empty or write at least 3 characters.")));
    if (json_object_size(errors))
        return console(r, 422, id, errors);
    json_decref(errors);
    chat_result res = chat_to_ticket(r, id, &dep, priority && !strcmp(priority, "high"),
                                     subject && *subject ? subject : NULL, &ticket_id);
    return res == CHAT_OK ? back(r, id) : failed(r, id, res, "ticket");
}

void web_staff_chat_routes(router *rt)
{
    router_add(rt, "GET", "/staff/chats", get_list, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/chats/{chat_id}", get_chat, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/chats/{chat_id}/claim", post_claim, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/chats/{chat_id}/messages", post_message, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/chats/{chat_id}/close", post_close, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/chats/{chat_id}/ticket", post_ticket, ROUTE_STAFF | ROUTE_PAGE);
}
