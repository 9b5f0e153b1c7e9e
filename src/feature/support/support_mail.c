/* support_mail.c - a staff answer emailed to the organization's support
 * notification address, queued in the outbox in the caller's transaction,
 * with a Reply-To carrying the ticket's token (support+<token>@<the domain of
 * mail_from>) so that `saldo mail-in` can file the customer's answer. */
#include "feature/support/support_internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

static const char *org_language(http_request *r, int64_t org_id)
{
    auth_user u;
    int64_t admin = org_first_admin(r->db, org_id);
    return admin > 0 && auth_user_get(r, admin, &u) && u.language ? u.language : "en";
}

const char *support_reply_to(http_request *r, const support_ticket *t)
{
    const char *at = strchr(r->app->cfg->mail_from, '@');
    return arena_printf(r->a, "support+%s@%s", t->token, at ? at + 1 : "localhost");
}

bool support_mail_reply(http_request *r, const support_ticket *t, const char *body)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, t->org_id, NOTIFY_SUPPORT, to);
    if (found <= 0)
        return found == 0; /* nobody to tell */
    const char *lang = org_language(r, t->org_id);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "reference",
                             arena_printf(r->a, "#%" PRId64, t->id), "subject", t->subject, "body", body, "link",
                             arena_printf(r->a, "%s/support/%" PRId64, r->app->cfg->base_url, t->id), "provider",
                             r->app->cfg->provider.name);
    const char *subject, *text;
    bool ok = data && mail_render(r->app, r->a, "support_reply", lang, data, &subject, &text) &&
              outbox_enqueue_reply_to(r->db, to, support_reply_to(r, t), subject, text);
    json_decref(data);
    return ok;
}
