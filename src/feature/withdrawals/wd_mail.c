/* wd_mail.c - the mails about a withdrawal (requested, approved, rejected) to
 * the organization's billing notification address, queued in the outbox in
 * the caller's transaction. The language is the first administrator's, as for
 * the other mails about an organization. */
#include "feature/withdrawals/wd_internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "http/json_in.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

bool wd_mail(http_request *r, const wd_row *w, const char *name)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, w->org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0; /* nobody to tell: an organization without administrators */
    char lang[3];
    notify_language(r->db, w->org_id, lang); /* English when unreadable */
    json_t *amount = jout_money(money_make(w->amount_minor, currency_find(w->currency)), lang);
    const char *dest = strcmp(w->method, "bank") == 0 ? arena_printf(r->a, "%s (%s)", w->iban, w->holder)
                                                     : w->paypal_email;
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reference",
                             arena_printf(r->a, "SALDO-W-%" PRId64, w->id), "amount",
                             json_string_value(json_object_get(amount, "display")), "destination", dest, "reason",
                             w->reason, "link", arena_printf(r->a, "%s/billing/withdrawals", r->app->cfg->base_url),
                             "provider", r->app->cfg->provider.name);
    json_decref(amount);
    const char *subject, *body;
    bool ok = data && mail_render(r->app, r->a, name, lang, data, &subject, &body) &&
              outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}
