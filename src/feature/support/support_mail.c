/* support_mail.c - a staff answer emailed to the organization's support
 * notification address, queued in the outbox in the caller's transaction,
 * with a Reply-To carrying the ticket's token (support+<token>@<the domain of
 * mail_from>) so that `saldo mail-in` can file the customer's answer, and a
 * Message-ID we make and keep (support_mail_ids) so that an answer sent to
 * another address still names the ticket in its In-Reply-To or References. */
#include "feature/support/support_internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

const char *support_reply_to(http_request *r, const support_ticket *t)
{
    const char *at = strchr(r->app->cfg->mail_from, '@');
    return arena_printf(r->a, "support+%s@%s", t->token, at ? at + 1 : "localhost");
}

/* A new Message-ID for a mail of ticket t ("ticket-42.<32 hex>@<domain of
 * mail_from>"), kept in support_mail_ids; NULL on a store error. */
static const char *new_message_id(http_request *r, const support_ticket *t)
{
    unsigned char rnd[16];
    char hex[33];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    const char *at = strchr(r->app->cfg->mail_from, '@');
    const char *id = arena_printf(r->a, "ticket-%" PRId64 ".%s@%s", t->id, hex, at && at[1] ? at + 1 : "localhost");
    db_stmt *s = db_prepare(r->db, "INSERT INTO support_mail_ids (message_id, ticket_id, created_at) VALUES ($1, $2, $3)");
    if (!s)
        return NULL;
    db_bind_text(s, 1, id);
    db_bind_int64(s, 2, t->id);
    db_bind_int64(s, 3, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE ? id : NULL;
}

int support_ticket_by_message_id(db *d, const char *message_id, int64_t *ticket_id)
{
    db_stmt *s = db_prepare(d, "SELECT ticket_id FROM support_mail_ids WHERE message_id = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, message_id);
    db_status st = db_step(s);
    *ticket_id = st == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

bool support_mail_reply(http_request *r, const support_ticket *t, const char *body)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, t->org_id, NOTIFY_SUPPORT, to);
    if (found <= 0)
        return found == 0; /* nobody to tell */
    char lang[3];
    notify_language(r->db, t->org_id, lang); /* English when unreadable */
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "reference",
                             arena_printf(r->a, "#%" PRId64, t->id), "subject", t->subject, "body", body, "link",
                             arena_printf(r->a, "%s/support/%" PRId64, r->app->cfg->base_url, t->id), "provider",
                             r->app->cfg->provider.name);
    const char *subject, *text, *message_id;
    bool ok = data && mail_render(r->app, r->a, "support_reply", lang, data, &subject, &text) &&
              (message_id = new_message_id(r, t)) != NULL &&
              outbox_enqueue_with_id(r->db, to, support_reply_to(r, t), message_id, subject, text);
    json_decref(data);
    return ok;
}
