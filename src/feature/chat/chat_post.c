/* chat_post.c - what the customers' and the staff's chat API share: reading
 * a message, posting it (rate-limited per chat), closing a chat, and the
 * chat with its transcript as the answer. Every change wakes the chat's
 * streams after its commit. */
#include "feature/chat/chat_internal.h"

#include <string.h>
#include <time.h>

#include "feature/support/support.h"
#include "http/json_in.h"
#include "render/i18n.h"

#define _(msgid) i18n_text(lang, "" msgid "")

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

bool chat_body_field(http_request *r, json_t *b, const char *field, const char **out)
{
    json_t *v = json_object_get(b, field);
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && support_text_ok(s, 1, 4 * CHAT_BODY_MAX) && utf8_chars(s) <= CHAT_BODY_MAX) {
        *out = arena_strdup(r->a, s);
        return true;
    }
    http_error(r, 422, "invalid_field",
               arena_printf(r->a, "%s: is required, 1 to %d characters of text", field, CHAT_BODY_MAX), field);
    return false;
}

json_t *chat_transcript_json(db *d, int64_t id, bool staff)
{
    chat c;
    json_t *msgs = NULL;
    if (chat_get(d, id, &c) != 1 || !(msgs = chat_messages_json(d, id, 0, 0)))
        return NULL;
    return json_pack("{s:o, s:o}", "chat", chat_json(&c, staff), "messages", msgs);
}

void chat_answer(http_request *r, int status, int64_t id, bool staff)
{
    json_t *j = chat_transcript_json(r->db, id, staff);
    if (!j)
        return http_error(r, 500, "store_error", "the chat could not be read", NULL);
    http_json(r, status, j);
}

void chat_post_answer(http_request *r, const chat *c, chat_author kind, int64_t author_id)
{
    json_t *b;
    const char *body;
    if (!jin_body(r, &b) || !chat_body_field(r, b, "body", &body))
        return;
    if (c->status == CHAT_CLOSED)
        return http_error(r, 409, "chat_closed", "the chat is closed", NULL);
    if (!chat_rate_take(c->id, (int64_t)time(NULL)))
        return http_error(r, 429, "rate_limited",
                          arena_printf(r->a, "too many messages: at most %d every %d seconds in a chat",
                                       CHAT_RATE_COUNT, CHAT_RATE_WINDOW_S),
                          NULL);
    int64_t id;
    if (!chat_add_message(r->db, c->id, kind, author_id, body, &id))
        return http_error(r, 500, "store_error", "the message could not be saved", NULL);
    chat_hub_notify(c->id);
    http_json(r, 201, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "author", chat_author_names[kind],
                                "body", body, "created_at", jout_time((int64_t)time(NULL))));
}

bool chat_close_in_tx(db *d, const chat *c, const char *note)
{
    int64_t id;
    return chat_set_status(d, c->id, CHAT_CLOSED, 0) && chat_add_message(d, c->id, CHAT_BY_SYSTEM, 0, note, &id);
}

void chat_close_answer(http_request *r, const chat *c, bool by_staff)
{
    const char *lang = c->lang;
    if (c->status == CHAT_CLOSED)
        return http_error(r, 409, "chat_closed", "the chat is already closed", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "the chat could not be closed", NULL);
    bool ok = chat_close_in_tx(r->db, c, by_staff ? _("The operator closed the chat.") : _("The chat was closed."));
    if (ok && by_staff)
        ok = chat_audit(r, "chat.close", c->id, NULL);
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return http_error(r, 500, "store_error", "the chat could not be closed; nothing was changed", NULL);
    }
    chat_hub_notify(c->id);
    chat_answer(r, 200, c->id, by_staff);
}
