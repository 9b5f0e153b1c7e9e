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

#include "feature/support/support.h"
#include "http/json_in.h"

enum { CHAT_LIST_MAX = 200 };

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
    chat_result res = chat_claim(r, c.id);
    if (res != CHAT_OK)
        return chat_result_answer(r, res);
    chat_answer(r, 200, c.id, true);
}

static void post_message(http_request *r)
{
    chat_post_route(r, true);
}

static void close_chat(http_request *r)
{
    chat_close_route(r, true);
}

static void to_ticket(http_request *r)
{
    chat c;
    chat_author kind;
    json_t *b;
    support_department dep;
    const char *code, *priority = NULL, *subject = NULL;
    int64_t ticket_id;
    if (!chat_or_404(r, true, &c, &kind) || !jin_body(r, &b) ||
        !jin_string(r, b, "department", JIN_REQUIRED, 1, SUPPORT_DEPT_CODE_MAX, &code))
        return;
    if (support_department_by_code(r->db, code, &dep) != 1 || !dep.active)
        return http_error(r, 422, "invalid_field", "department: no such department", "department");
    if (!jin_enum(r, b, "priority", JIN_OPTIONAL, support_priority_names, &priority) ||
        !jin_string(r, b, "subject", JIN_OPTIONAL, 3, SUPPORT_SUBJECT_MAX, &subject))
        return;
    chat_result res = chat_to_ticket(r, c.id, &dep, priority && !strcmp(priority, "high"), subject, &ticket_id);
    if (res != CHAT_OK)
        return chat_result_answer(r, res);
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
