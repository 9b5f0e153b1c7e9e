/* chat_staff_api.c - the staff's chat API:
 *   GET  /api/v1/staff/chats                      waiting and active first, then past chats (?status=)
 *   GET  /api/v1/staff/chats/{chat_id}            a chat and its transcript
 *   POST /api/v1/staff/chats/{chat_id}/claim      take it (active, assigned to the caller)
 *   POST /api/v1/staff/chats/{chat_id}/messages   answer
 *   POST /api/v1/staff/chats/{chat_id}/close      close
 *   POST /api/v1/staff/chats/{chat_id}/ticket     turn it into a support ticket
 * Changes write the staff audit log in their transaction. */
#include "feature/chat/chat_internal.h"

#include <string.h>
#include <time.h>

#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/staff/staff.h"
#include "feature/support/support.h"
#include "http/json_in.h"
#include "render/i18n.h"

#define _(msgid) i18n_text(lang, "" msgid "")

enum { CHAT_LIST_MAX = 200 };

bool chat_audit(http_request *r, const char *action, int64_t chat_id, const char *detail)
{
    return staff_audit(r->db, r->staff_id, action, "chat", chat_id, detail, r->client_ip);
}

static void list_chats(http_request *r)
{
    const char *st = http_query(r, "status");
    int status = -1;
    if (st && *st) {
        for (status = 0; chat_status_names[status] && strcmp(chat_status_names[status], st); status++)
            ;
        if (!chat_status_names[status])
            return http_error(r, 422, "invalid_field", "status: one of waiting, active, closed", "status");
    }
    json_t *arr = chat_list_json(r->db, status, CHAT_LIST_MAX);
    if (!arr)
        return http_error(r, 500, "store_error", "the chats could not be read", NULL);
    http_json(r, 200, json_pack("{s:o}", "chats", arr));
}

static void get_chat(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, true, &c, &kind))
        chat_answer(r, 200, c.id, true);
}

static void claim(http_request *r)
{
    chat c;
    chat_author kind;
    if (!chat_or_404(r, true, &c, &kind))
        return;
    if (c.status == CHAT_CLOSED)
        return http_error(r, 409, "chat_closed", "the chat is closed", NULL);
    const char *lang = c.lang;
    int64_t msg_id;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the chat could not be claimed", NULL);
    bool ok = chat_set_status(r->db, c.id, CHAT_ACTIVE, r->staff_id) &&
              chat_add_message(r->db, c.id, CHAT_BY_SYSTEM, 0, _("An operator joined the chat."), &msg_id) &&
              chat_audit(r, "chat.claim", c.id, NULL);
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the chat could not be claimed; nothing was changed", NULL);
    }
    chat_hub_notify(c.id);
    chat_answer(r, 200, c.id, true);
}

static void post_message(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, true, &c, &kind))
        chat_post_answer(r, &c, CHAT_BY_STAFF, r->staff_id);
}

static void close_chat(http_request *r)
{
    chat c;
    chat_author kind;
    if (chat_or_404(r, true, &c, &kind))
        chat_close_answer(r, &c, true);
}

/* The transcript as a ticket's first message: "who (HH:MM UTC): text" lines;
 * a very long chat keeps its end. NULL on a store error. */
static const char *transcript_text(http_request *r, const chat *c)
{
    json_t *msgs = chat_messages_json(r->db, c->id, 0, 0);
    if (!msgs)
        return NULL;
    buf b;
    buf_init(&b, 0);
    size_t i;
    json_t *m;
    json_array_foreach(msgs, i, m) {
        const char *who = json_string_value(json_object_get(m, "author"));
        const char *at = json_string_value(json_object_get(m, "created_at"));
        buf_printf(&b, "%s (%.5s UTC): %s\n", !strcmp(who, "staff") ? "Staff" : !strcmp(who, "system") ? "System"
                                                : c->name, at + 11, json_string_value(json_object_get(m, "body")));
    }
    json_decref(msgs);
    const char *text = buf_cstr(&b);
    size_t skip = b.len > SUPPORT_BODY_MAX - 8 ? b.len - (SUPPORT_BODY_MAX - 8) : 0;
    while (skip && ((unsigned char)text[skip] & 0xC0) == 0x80)
        skip++; /* not inside a character */
    const char *out = arena_printf(r->a, "%s%s", skip ? "[...]\n" : "", text + skip);
    buf_free(&b);
    return out;
}

/* Who will own the ticket: the chat's customer, or the registered user with
 * the visitor's email; answers 422 itself when there is none. */
static bool ticket_owner(http_request *r, const chat *c, int64_t *user_id, int64_t *org_id)
{
    *user_id = c->user_id ? c->user_id : auth_user_id_by_email(r->db, c->email);
    if (*user_id < 0) {
        http_error(r, 500, "store_error", "the chat could not be read", NULL);
        return false;
    }
    *org_id = !*user_id ? 0 : c->org_id ? c->org_id : org_first_for_user(r->db, *user_id);
    if (*user_id && *org_id > 0)
        return true;
    http_error(r, 422, "no_account",
               *user_id ? "the customer has no organization to own a ticket"
                        : "the visitor's email belongs to no registered customer: a visitor without an account"
                          " cannot own a ticket",
               NULL);
    return false;
}

static void to_ticket(http_request *r)
{
    chat c;
    chat_author kind;
    json_t *b;
    support_department dep;
    const char *code, *priority = NULL, *subject = NULL;
    if (!chat_or_404(r, true, &c, &kind) || !jin_body(r, &b) ||
        !jin_string(r, b, "department", JIN_REQUIRED, 1, SUPPORT_DEPT_CODE_MAX, &code))
        return;
    if (support_department_by_code(r->db, code, &dep) != 1 || !dep.active)
        return http_error(r, 422, "invalid_field", "department: no such department", "department");
    if (!jin_enum(r, b, "priority", JIN_OPTIONAL, support_priority_names, &priority) ||
        !jin_string(r, b, "subject", JIN_OPTIONAL, 3, SUPPORT_SUBJECT_MAX, &subject))
        return;
    if (c.ticket_id)
        return http_error(r, 409, "already_ticket", "the chat was already turned into a ticket", NULL);
    const char *lang = c.lang;
    support_new n = {.dep = &dep, .author = SUPPORT_AUTHOR_CHAT,
                     .priority = priority && !strcmp(priority, "high") ? SUPPORT_HIGH : SUPPORT_NORMAL,
                     .subject = subject ? subject : arena_printf(r->a, _("Live chat %lld"), (long long)c.id),
                     .body = transcript_text(r, &c)};
    if (!n.body)
        return http_error(r, 500, "store_error", "the chat could not be read", NULL);
    if (!ticket_owner(r, &c, &n.user_id, &n.org_id))
        return;
    int64_t ticket_id = 0, msg_id;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the ticket could not be opened", NULL);
    bool ok = support_open_in_tx(r->db, &n, &ticket_id) && chat_set_ticket(r->db, c.id, ticket_id);
    const char *note = arena_printf(r->a, _("This chat continues as ticket #%lld."), (long long)ticket_id);
    ok = ok && (c.status == CHAT_CLOSED ? chat_add_message(r->db, c.id, CHAT_BY_SYSTEM, 0, note, &msg_id)
                                        : chat_close_in_tx(r->db, &c, note)) &&
         chat_audit(r, "chat.ticket", c.id, arena_printf(r->a, "{\"ticket_id\": %lld}", (long long)ticket_id));
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the ticket could not be opened; nothing was changed", NULL);
    }
    chat_hub_notify(c.id);
    chat_answer(r, 201, c.id, true);
}

void chat_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/chats", list_chats, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/chats/{chat_id}", get_chat, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/chats/{chat_id}/claim", claim, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/chats/{chat_id}/messages", post_message, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/chats/{chat_id}/close", close_chat, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/chats/{chat_id}/ticket", to_ticket, ROUTE_STAFF);
}
