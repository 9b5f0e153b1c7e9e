/* web_chat.c - the live chat without JavaScript: /chat shows the caller's
 * open chat (a signed-in customer's, or the visitor cookie's) with a form to
 * write, a reload link and a button to end it, or else the form that starts
 * one (a visitor gives an email and a name). With JavaScript the layout's chat
 * button opens a panel instead (static/chat.js on the chat API); both go
 * through chat.h. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/chat/chat.h"
#include "feature/web/web.h"

/* Adds "who", "when" and "mine" to each message of a transcript. */
static void decorate(http_request *r, json_t *messages)
{
    size_t i;
    json_t *m;
    json_array_foreach(messages, i, m) {
        const char *author = json_string_value(json_object_get(m, "author"));
        bool mine = !strcmp(author, "customer") || !strcmp(author, "visitor");
        json_object_set_new(m, "who", json_string(mine                         ? _("You")
                                                  : !strcmp(author, "staff") ? _("Support team")
                                                                             : _("System")));
        json_object_set_new(m, "mine", json_boolean(mine));
        json_object_set_new(m, "from_staff", json_boolean(!strcmp(author, "staff")));
        json_object_set_new(m, "when", json_string(web_datetime(r, json_string_value(json_object_get(m, "created_at")))));
    }
}

/* The page: the open chat id (0 = none: the start form), the values typed
 * and the field errors (stolen; NULL = none). */
static void chat_page(http_request *r, int status, int64_t id, json_t *values, json_t *errors)
{
    json_t *ctx = json_pack("{s:b, s:b, s:o, s:o}", "chat_page", 1, "visitor", !r->user_id, "values",
                            values ? values : json_object(), "errors", errors ? errors : json_object());
    if (id) {
        json_t *t = chat_transcript_json(r->db, id, false);
        if (!t) {
            json_decref(ctx);
            return web_fail(r);
        }
        decorate(r, json_object_get(t, "messages"));
        json_object_set_new(ctx, "open_chat", t);
    }
    web_page(r, status, "pages/chat", _("Live chat"), NULL, ctx);
}

/* The caller's open chat: 1, 0 none, or -1 after answering the error page. */
static int current(http_request *r, int64_t *id)
{
    int found = chat_current(r, id);
    if (found < 0)
        web_fail(r);
    return found;
}

static void get_chat(http_request *r)
{
    int64_t id = 0;
    if (current(r, &id) >= 0)
        chat_page(r, 200, id, NULL, NULL);
}

/* The message field, or NULL with its error in errors. */
static const char *message_field(http_request *r, const form *f, const char *name, json_t *errors)
{
    const char *v = form_get(f, name);
    if (chat_text_ok(v))
        return v;
    json_object_set_new(errors, name, json_string(_("Write a message of up to 4000 characters.")));
    return NULL;
}

static void post_start(http_request *r)
{
    form f;
    int64_t id = 0;
    const char *email = NULL, *name = NULL, *token;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f) || current(r, &id) < 0)
        return;
    if (id)
        return http_redirect(r, "/chat"); /* one open chat at a time */
    json_t *errors = json_object();
    if (!r->user_id) {
        email = web_email(r, &f, "email", false, errors);
        name = web_text(r, &f, "name", 1, CHAT_NAME_MAX, errors);
    }
    const char *message = message_field(r, &f, "message", errors);
    if (json_object_size(errors)) {
        json_t *values = json_pack("{s:s, s:s, s:s}", "email", form_get(&f, "email") ? form_get(&f, "email") : "",
                                   "name", form_get(&f, "name") ? form_get(&f, "name") : "", "message",
                                   form_get(&f, "message") ? form_get(&f, "message") : "");
        return chat_page(r, 422, 0, values, errors);
    }
    json_decref(errors);
    if (chat_start(r, email, name, message, &id, &token) != CHAT_OK)
        return web_fail(r);
    http_redirect(r, "/chat");
}

static void post_message(http_request *r)
{
    form f;
    int64_t id = 0, msg_id;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f) || current(r, &id) < 0)
        return;
    if (!id)
        return http_redirect(r, "/chat");
    json_t *errors = json_object();
    const char *body = message_field(r, &f, "body", errors);
    chat_result res = body ? chat_post(r, id, false, body, &msg_id) : CHAT_OK;
    if (res == CHAT_RATE_LIMITED)
        json_object_set_new(errors, "body", json_string(_("Too many messages at once: wait a few seconds.")));
    if (json_object_size(errors))
        return chat_page(r, res == CHAT_RATE_LIMITED ? 429 : 422, id, NULL, errors);
    json_decref(errors);
    if (res == CHAT_STORE_ERROR)
        return web_fail(r);
    http_redirect(r, "/chat"); /* closed meanwhile: the page says so */
}

static void post_close(http_request *r)
{
    form f;
    int64_t id = 0;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f) || current(r, &id) < 0)
        return;
    if (id && chat_close(r, id, false) == CHAT_STORE_ERROR)
        return web_fail(r);
    http_redirect(r, "/chat");
}

void web_chat_routes(router *rt)
{
    router_add(rt, "GET", "/chat", get_chat, ROUTE_PAGE);
    router_add(rt, "POST", "/chat", post_start, ROUTE_PAGE);
    router_add(rt, "POST", "/chat/messages", post_message, ROUTE_PAGE);
    router_add(rt, "POST", "/chat/close", post_close, ROUTE_PAGE);
}
