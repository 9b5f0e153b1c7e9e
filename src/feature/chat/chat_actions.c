/* chat_actions.c - what customers, visitors and staff do to a chat (chat.h),
 * for the API and the pages alike: start, find the open one, write (rate
 * limited per chat), close, claim. Every change wakes the chat's streams
 * after its commit; staff changes write the audit log in their transaction.
 * System messages are in the chat's language. */
#include "feature/chat/chat_internal.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/staff/staff.h"
#include "feature/support/support.h"
#include "http/json_in.h"
#include "render/i18n.h"

#define _(msgid) i18n_text(lang, "" msgid "")

enum { CHAT_COOKIE_MAX_AGE_S = 30 * 86400 };

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

bool chat_text_ok(const char *s)
{
    return s && support_text_ok(s, 1, 4 * CHAT_BODY_MAX) && utf8_chars(s) <= CHAT_BODY_MAX;
}

bool chat_body_field(http_request *r, json_t *b, const char *field, const char **out)
{
    json_t *v = json_object_get(b, field);
    if (json_is_string(v) && chat_text_ok(json_string_value(v))) {
        *out = arena_strdup(r->a, json_string_value(v));
        return true;
    }
    http_error(r, 422, "invalid_field",
               arena_printf(r->a, "%s: is required, 1 to %d characters of text", field, CHAT_BODY_MAX), field);
    return false;
}

const char *chat_result_message(chat_result res)
{
    switch (res) {
    case CHAT_OK: return "done";
    case CHAT_STORE_ERROR: return "the chat could not be saved; nothing was changed";
    case CHAT_IS_CLOSED: return "the chat is closed";
    case CHAT_RATE_LIMITED: return "too many messages: at most 20 every 10 seconds in a chat";
    case CHAT_ALREADY_TICKET: return "the chat was already turned into a ticket";
    case CHAT_NO_ACCOUNT:
        return "the visitor's email belongs to no registered customer: a visitor without an account cannot own a"
               " ticket";
    case CHAT_NO_ORG: return "the customer has no organization to own a ticket";
    }
    return "?";
}

void chat_result_answer(http_request *r, chat_result res)
{
    static const struct {
        int status;
        const char *code;
    } map[] = {
        [CHAT_OK] = {200, "ok"},
        [CHAT_STORE_ERROR] = {500, "store_error"},
        [CHAT_IS_CLOSED] = {409, "chat_closed"},
        [CHAT_RATE_LIMITED] = {429, "rate_limited"},
        [CHAT_ALREADY_TICKET] = {409, "already_ticket"},
        [CHAT_NO_ACCOUNT] = {422, "no_account"},
        [CHAT_NO_ORG] = {422, "no_account"},
    };
    http_error(r, map[res].status, map[res].code, chat_result_message(res), NULL);
}

bool chat_audit(http_request *r, const char *action, int64_t chat_id, const char *detail)
{
    return staff_audit(r->db, r->staff_id, action, "chat", chat_id, detail, r->client_ip);
}

void chat_answer(http_request *r, int status, int64_t id, bool staff)
{
    json_t *j = chat_transcript_json(r->db, id, staff);
    if (!j)
        return http_error(r, 500, "store_error", "the chat could not be read", NULL);
    http_json(r, status, j);
}

json_t *chat_transcript_json(db *d, int64_t id, bool staff)
{
    chat c;
    json_t *msgs = NULL;
    if (chat_get(d, id, &c) != 1 || !(msgs = chat_messages_json(d, id, 0, 0)))
        return NULL;
    return json_pack("{s:o, s:o}", "chat", chat_json(&c, staff), "messages", msgs);
}

static void set_visitor_cookie(http_request *r, const char *token)
{
    http_add_header(r, "Set-Cookie",
                    arena_printf(r->a, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", CHAT_VISITOR_COOKIE,
                                 token, CHAT_COOKIE_MAX_AGE_S, r->app->https ? "; Secure" : ""));
}

chat_result chat_start(http_request *r, const char *email, const char *name, const char *message, int64_t *out_id,
                       const char **visitor_token)
{
    chat_new n = {.lang = strcmp(r->lang, "en") ? "it" : "en", .email = email, .name = name, .first = message};
    char token[SECRET_TOKEN_CHARS + 1], hash[SECRET_HASH_HEX + 1];
    auth_user u;
    if (r->user_id) {
        if (!auth_user_get(r, r->user_id, &u))
            return CHAT_STORE_ERROR;
        n.user_id = r->user_id;
        n.org_id = r->current_org && org_user_may(r->db, r->user_id, r->current_org, ORG_NEED_MEMBER)
                       ? r->current_org
                       : org_first_for_user(r->db, r->user_id);
        n.email = u.email;
        n.name = u.name;
    } else {
        secret_token_new(token);
        secret_token_hash(token, hash);
        n.token_hash = hash;
    }
    if (!chat_create(r->db, &n, out_id))
        return CHAT_STORE_ERROR;
    chat_hub_notify(*out_id);
    *visitor_token = r->user_id ? NULL : arena_strdup(r->a, token);
    if (!r->user_id)
        set_visitor_cookie(r, token);
    return CHAT_OK;
}

int chat_current(http_request *r, int64_t *out_id)
{
    const char *token = http_cookie(r, CHAT_VISITOR_COOKIE);
    char hash[SECRET_HASH_HEX + 1] = "";
    if (!r->user_id && (!token || strlen(token) != SECRET_TOKEN_CHARS))
        return 0;
    if (!r->user_id)
        secret_token_hash(token, hash);
    db_stmt *s = db_prepare(r->db, "SELECT id FROM chats WHERE status <> 'closed' AND"
                                   " (user_id = $1 OR visitor_token_hash = $2) ORDER BY id DESC LIMIT 1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, r->user_id ? r->user_id : -1);
    db_bind_text(s, 2, hash[0] ? hash : "-");
    db_status st = db_step(s);
    if (st == DB_ROW)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

chat_result chat_post(http_request *r, int64_t id, bool staff, const char *body, int64_t *msg_id)
{
    chat c;
    int found = chat_get(r->db, id, &c);
    if (found != 1)
        return CHAT_STORE_ERROR;
    if (c.status == CHAT_CLOSED)
        return CHAT_IS_CLOSED;
    if (!chat_rate_take(id, (int64_t)time(NULL)))
        return CHAT_RATE_LIMITED;
    chat_author kind = staff ? CHAT_BY_STAFF : c.user_id ? CHAT_BY_CUSTOMER : CHAT_BY_VISITOR;
    int64_t who = staff ? r->staff_id : c.user_id ? r->user_id : 0;
    if (!chat_add_message(r->db, id, kind, who, body, msg_id))
        return CHAT_STORE_ERROR;
    chat_hub_notify(id);
    return CHAT_OK;
}

bool chat_close_in_tx(db *d, int64_t id, const char *note)
{
    int64_t msg_id;
    return chat_set_status(d, id, CHAT_CLOSED, 0) && chat_add_message(d, id, CHAT_BY_SYSTEM, 0, note, &msg_id);
}

/* Runs change in a write transaction (with the audit entry action for staff) and wakes the streams. */
static chat_result in_tx(http_request *r, const chat *c, bool ok_before, const char *action)
{
    bool ok = ok_before && (!action || chat_audit(r, action, c->id, NULL));
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return CHAT_STORE_ERROR;
    }
    chat_hub_notify(c->id);
    return CHAT_OK;
}

/* Chat id, still open, read into c and a write transaction begun: CHAT_OK,
 * else what to answer (nothing begun). */
static chat_result begin_change(http_request *r, int64_t id, chat *c)
{
    if (chat_get(r->db, id, c) != 1)
        return CHAT_STORE_ERROR;
    if (c->status == CHAT_CLOSED)
        return CHAT_IS_CLOSED;
    return db_begin(r->db, DB_TX_WRITE) == DB_OK ? CHAT_OK : CHAT_STORE_ERROR;
}

chat_result chat_close(http_request *r, int64_t id, bool staff)
{
    chat c;
    chat_result res = begin_change(r, id, &c);
    if (res != CHAT_OK)
        return res;
    const char *lang = c.lang;
    bool ok = chat_close_in_tx(r->db, id, staff ? _("The operator closed the chat.") : _("The chat was closed."));
    return in_tx(r, &c, ok, staff ? "chat.close" : NULL);
}

chat_result chat_claim(http_request *r, int64_t id)
{
    chat c;
    int64_t msg_id;
    chat_result res = begin_change(r, id, &c);
    if (res != CHAT_OK)
        return res;
    const char *lang = c.lang;
    bool ok = chat_set_status(r->db, id, CHAT_ACTIVE, r->staff_id) &&
              chat_add_message(r->db, id, CHAT_BY_SYSTEM, 0, _("An operator joined the chat."), &msg_id);
    return in_tx(r, &c, ok, "chat.claim");
}

void chat_post_route(http_request *r, bool staff)
{
    chat c;
    chat_author kind;
    json_t *b;
    const char *body;
    int64_t msg_id;
    if (!chat_or_404(r, staff, &c, &kind) || !jin_body(r, &b) || !chat_body_field(r, b, "body", &body))
        return;
    chat_result res = chat_post(r, c.id, staff, body, &msg_id);
    if (res != CHAT_OK)
        return chat_result_answer(r, res);
    json_t *msgs = chat_messages_json(r->db, c.id, msg_id - 1, 1);
    if (!msgs || json_array_size(msgs) != 1) {
        json_decref(msgs);
        return http_error(r, 500, "store_error", "the message could not be read", NULL);
    }
    http_json(r, 201, json_incref(json_array_get(msgs, 0)));
    json_decref(msgs);
}

void chat_close_route(http_request *r, bool staff)
{
    chat c;
    chat_author kind;
    if (!chat_or_404(r, staff, &c, &kind))
        return;
    chat_result res = chat_close(r, c.id, staff);
    if (res != CHAT_OK)
        return chat_result_answer(r, res);
    chat_answer(r, 200, c.id, staff);
}
