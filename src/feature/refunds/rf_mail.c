/* rf_mail.c - the mails about a refund (requested, cancelled, approved,
 * rejected, paid, failed) to the organization's billing notification address, queued in the
 * outbox in the caller's transaction, in the first administrator's language
 * as the other mails about an organization. */
#include "feature/refunds/rf_internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "http/json_in.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

/* Where the money goes, as the mail names it. */
static const char *destination(http_request *r, const rf_row *f, const char *lang)
{
    bool it = !strcmp(lang, "it");
    if (!strcmp(f->method, "bank_transfer"))
        return arena_printf(r->a, "%s (%s)", f->creditor_iban, f->creditor_name);
    if (!strcmp(f->method, "card"))
        return it ? "la carta usata per il pagamento" : "the card used for the payment";
    if (!strcmp(f->method, "wallet"))
        return "Apple Pay / Google Pay";
    return "PayPal";
}

bool rf_mail(http_request *r, const rf_row *f, const char *name)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, f->org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0; /* nobody to tell: an organization without administrators */
    char lang[3];
    notify_language(r->db, f->org_id, lang); /* English when unreadable */
    json_t *amount = jout_money(money_make(f->amount_minor, currency_find(f->currency)), lang);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "reference",
                             arena_printf(r->a, "SALDO-R-%" PRId64, f->id), "amount",
                             json_string_value(json_object_get(amount, "display")), "destination",
                             destination(r, f, lang), "reason", f->rejection_reason, "link",
                             arena_printf(r->a, "%s/billing/refunds", r->app->cfg->base_url), "provider",
                             r->app->cfg->provider.name);
    json_decref(amount);
    const char *subject, *body;
    bool ok = data && mail_render(r->app, r->a, name, lang, data, &subject, &body) &&
              outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}
