/* payments_notify.c - telling an organization its top-up arrived, or that a
 * payment for an order or renewals arrived but they could no longer be done
 * (the money stays as balance): a mail to
 * the billing notification address (in the first administrator's language)
 * and an in-app notification, queued in the crediting transaction; and the
 * notifications as the layout's count and the /notifications page read them. */
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
static bool notification_add(db *d, const payment *p, const char *kind)
{
    json_t *detail = json_pack("{s:I, s:{s:s, s:I}, s:s, s:s}", "payment_id", (json_int_t)p->id, "amount", "currency",
                               p->amount.cur->code, "minor", (json_int_t)p->amount.minor, "method", p->method,
                               "purpose", p->purpose);
    if (detail && p->purpose_error[0])
        json_object_set_new(detail, "reason", json_string(p->purpose_error));
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    db_stmt *s = text ? db_prepare(d, "INSERT INTO notifications (org_id, kind, detail, created_at)"
                                      " VALUES ($1, $2, $3, $4)") : NULL;
    bool ok = false;
    if (s) {
        db_bind_int64(s, 1, p->org_id);
        db_bind_text(s, 2, kind);
        db_bind_text(s, 3, text);
        db_bind_int64(s, 4, (int64_t)time(NULL));
        ok = db_exec1(s) == DB_DONE;
    }
    free(text);
    return ok;
}

bool payment_notify(db *d, const app *ap, const payment *p)
{
    assert(db_in_tx(d));
    return notification_add(d, p, "payment.received") && mail_received(d, ap, p, false);
}

bool payment_notify_refused(db *d, const app *ap, const payment *p)
{
    assert(db_in_tx(d) && strcmp(p->purpose, "topup"));
    return notification_add(d, p, "payment.purpose_refused") && mail_received(d, ap, p, true);
}

/* The newest notification of org_id that user_id has read (0: none). */
#define LAST_READ "COALESCE((SELECT last_read_id FROM notification_reads WHERE org_id = $1 AND user_id = $2), 0)"

int payment_notifications_unread(db *d, int64_t org_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "SELECT count(*) FROM notifications WHERE org_id = $1 AND id > " LAST_READ);
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    int n = db_step(s) == DB_ROW ? (int)db_col_int64(s, 0) : -1;
    db_done(s);
    return n;
}

json_t *payment_notifications_json(db *d, int64_t org_id, int64_t user_id, const char *lang)
{
    db_stmt *s = db_prepare(d, "SELECT id, kind, detail, created_at, id > " LAST_READ " FROM notifications"
                               " WHERE org_id = $1 ORDER BY id DESC LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, NOTIFICATIONS_PAGE_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *detail = json_loads(db_col_text(s, 2), 0, NULL);
        json_t *amount = json_object_get(detail, "amount");
        const currency *cur = currency_find(json_string_value(json_object_get(amount, "currency")));
        if (!cur) {
            json_decref(detail);
            continue; /* not a payment notification this version knows */
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:O, s:o, s:o, s:b}", "id", (json_int_t)db_col_int64(s, 0),
            "kind", db_col_text(s, 1), "method", json_object_get(detail, "method"), "amount",
            jout_money(money_make(json_integer_value(json_object_get(amount, "minor")), cur), lang),
            "created_at", jout_time(db_col_int64(s, 3)), "unread", db_col_int64(s, 4) != 0));
        json_decref(detail);
    }
    db_done(s);
    return list;
}

bool payment_notifications_read(db *d, int64_t org_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO notification_reads (org_id, user_id, last_read_id)"
        " SELECT $1, $2, MAX(id) FROM notifications WHERE org_id = $1 HAVING MAX(id) IS NOT NULL"
        " ON CONFLICT (org_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id"
        " WHERE excluded.last_read_id > notification_reads.last_read_id");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE;
}
