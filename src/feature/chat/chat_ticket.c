/* chat_ticket.c - staff turn a chat into a support ticket (chat.h): the
 * ticket belongs to the chat's customer (a visitor's when their email is a
 * registered customer's), its first message is the transcript, and in the
 * same transaction the chat is linked to it, told its number and closed. */
#include "feature/chat/chat_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/zone.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/support/support.h"
#include "render/i18n.h"

#define _(msgid) i18n_text(lang, "" msgid "")

enum { CLOCK_TEXT_MAX = 40 };

/* "15:05 CET": the API's "2026-11-23T14:05:00Z" on the provider's clock. */
static const char *clock_text(const char *iso, char out[CLOCK_TEXT_MAX])
{
    int64_t t;
    char utc[20], local[CLOCK_TEXT_MAX];
    snprintf(utc, sizeof utc, "%.19s", iso);
    if (!zone_parse_local(utc, "UTC", &t))
        return "?";
    zone_format(t, ZONE_PROVIDER, local, sizeof local); /* "2026-11-23 15:05 CET" */
    snprintf(out, CLOCK_TEXT_MAX, "%s", strlen(local) > 11 ? local + 11 : local);
    return out;
}

/* The transcript as text, "who (HH:MM CET): message" lines in Italian time,
 * as the pages show times; a very long chat keeps its end. NULL on a store
 * error. */
static const char *transcript_text(http_request *r, const chat *c)
{
    json_t *msgs = chat_messages_json(r->db, c->id, 0, 0);
    if (!msgs)
        return NULL;
    buf b;
    buf_init(&b, 0);
    size_t i;
    json_t *m;
    char at[CLOCK_TEXT_MAX];
    json_array_foreach(msgs, i, m) {
        const char *who = json_string_value(json_object_get(m, "author"));
        buf_printf(&b, "%s (%s): %s\n",
                   !strcmp(who, "staff") ? "Staff" : !strcmp(who, "system") ? "System" : c->name,
                   clock_text(json_string_value(json_object_get(m, "created_at")), at),
                   json_string_value(json_object_get(m, "body")));
    }
    json_decref(msgs);
    const char *text = buf_cstr(&b);
    size_t keep = SUPPORT_BODY_MAX - 8, skip = b.len > keep ? b.len - keep : 0;
    while (skip && ((unsigned char)text[skip] & 0xC0) == 0x80)
        skip++; /* not inside a character */
    const char *out = arena_printf(r->a, "%s%s", skip ? "[...]\n" : "", text + skip);
    buf_free(&b);
    return out;
}

/* Who will own the ticket: the chat's customer and organization, or the
 * customer with the visitor's email in their first organization. */
static chat_result ticket_owner(http_request *r, const chat *c, int64_t *user_id, int64_t *org_id)
{
    *user_id = c->user_id ? c->user_id : auth_user_id_by_email(r->db, c->email);
    if (*user_id < 0)
        return CHAT_STORE_ERROR;
    if (!*user_id)
        return CHAT_NO_ACCOUNT;
    *org_id = c->org_id ? c->org_id : org_first_for_user(r->db, *user_id);
    return *org_id > 0 ? CHAT_OK : CHAT_NO_ORG;
}

chat_result chat_to_ticket(http_request *r, int64_t id, const support_department *dep, bool high,
                           const char *subject, int64_t *ticket_id)
{
    chat c;
    int64_t msg_id;
    if (chat_get(r->db, id, &c) != 1)
        return CHAT_STORE_ERROR;
    if (c.ticket_id)
        return CHAT_ALREADY_TICKET;
    const char *lang = c.lang;
    support_new n = {.dep = dep, .author = SUPPORT_AUTHOR_CHAT, .priority = high ? SUPPORT_HIGH : SUPPORT_NORMAL,
                     .subject = subject ? subject : arena_printf(r->a, _("Live chat %lld"), (long long)id),
                     .body = transcript_text(r, &c)};
    if (!n.body)
        return CHAT_STORE_ERROR;
    chat_result res = ticket_owner(r, &c, &n.user_id, &n.org_id);
    if (res != CHAT_OK)
        return res;
    *ticket_id = 0;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return CHAT_STORE_ERROR;
    bool ok = support_open_in_tx(r->db, &n, ticket_id) && chat_set_ticket(r->db, id, *ticket_id);
    const char *note = arena_printf(r->a, _("This chat continues as ticket #%lld."), (long long)*ticket_id);
    ok = ok &&
         (c.status == CHAT_CLOSED ? chat_add_message(r->db, id, CHAT_BY_SYSTEM, 0, note, &msg_id)
                                  : chat_close_in_tx(r->db, id, note)) &&
         chat_audit(r, "chat.ticket", id, arena_printf(r->a, "{\"ticket_id\": %lld}", (long long)*ticket_id));
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return CHAT_STORE_ERROR;
    }
    chat_hub_notify(id);
    return CHAT_OK;
}
