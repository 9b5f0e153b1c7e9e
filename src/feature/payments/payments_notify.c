/* payments_notify.c - telling an organization its top-up arrived, or that a
 * payment for an order or renewals arrived but they could no longer be done
 * (the money stays as balance): a mail to
 * the billing notification address (in the first administrator's language)
 * and an in-app notification for its billing members (notifications.h),
 * queued in the crediting transaction. */
#include "feature/payments/payments.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/notifications/notifications.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"
#include "lib/arena.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

/* The received mail, or with refused the one saying the purpose could not be done. */
static bool mail_received(db *d, const app *ap, const payment *p, bool refused)
{
    char to[FIELD_EMAIL_MAX + 1], lang[3] = "en", name[ORG_NAME_MAX + 1], amount[MONEY_FORMAT_BYTES_MAX];
    int found = notify_address(d, p->org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0; /* nobody to tell */
    int64_t admin = org_first_admin(d, p->org_id);
    if (admin < 0 || (admin > 0 && !auth_user_language(d, admin, lang)) ||
        !org_name(d, p->org_id, name, sizeof name) ||
        money_format(p->amount, lang, amount, sizeof amount) != MONEY_OK)
        return false;
    arena *a = arena_new();
    json_t *data = json_pack("{s:s, s:s, s:I, s:s, s:s, s:b, s:b}", "amount", amount, "org", name,
                             "payment_id", (json_int_t)p->id, "billing_link",
                             arena_printf(a, "%s/billing", ap->cfg->base_url), "provider", ap->cfg->provider.name,
                             "order", !strcmp(p->purpose, "order"), "renewals", !strcmp(p->purpose, "renewals"));
    const char *subject, *body;
    const char *template = refused ? "payment_refused" : "payment_received";
    bool ok = data && mail_render(ap, a, template, lang, data, &subject, &body) &&
              outbox_enqueue(d, to, subject, body);
    json_decref(data);
    arena_free(a);
    return ok;
}

/* kind: "payment.received", or "payment.purpose_refused" (with purpose and reason). */
static bool notification_of(db *d, const payment *p, const char *kind)
{
    json_t *detail = json_pack("{s:I, s:{s:s, s:I}, s:s, s:s}", "payment_id", (json_int_t)p->id, "amount", "currency",
                               p->amount.cur->code, "minor", (json_int_t)p->amount.minor, "method", p->method,
                               "purpose", p->purpose);
    if (detail && p->purpose_error[0])
        json_object_set_new(detail, "reason", json_string(p->purpose_error));
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    bool ok = text && notification_add(d, p->org_id, kind, NOTIFICATION_BILLING, p->id, text);
    free(text);
    return ok;
}

bool payment_notify(db *d, const app *ap, const payment *p)
{
    assert(db_in_tx(d));
    return notification_of(d, p, "payment.received") && mail_received(d, ap, p, false);
}

bool payment_notify_refused(db *d, const app *ap, const payment *p)
{
    assert(db_in_tx(d) && strcmp(p->purpose, "topup"));
    return notification_of(d, p, "payment.purpose_refused") && mail_received(d, ap, p, true);
}
