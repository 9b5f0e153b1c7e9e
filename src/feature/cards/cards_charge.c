/* cards_charge.c - charging an organization's default card off-session (the
 * billing run, when a renewal finds the balance short): a top-up like any
 * other (payments.h), created at the gateway with the card's token, which the
 * gateway decides at once, and applied by payment_sync. The payment row is
 * committed before the gateway is called and the gateway's Idempotency-Key
 * is derived from it, so a repeated call (a second run, a crash in between)
 * charges the card once; the card is recorded with the row
 * (payment_method_charges), so a retry charges that card even when the
 * default changed meanwhile. */
#include "feature/cards/cards.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/payments/payments.h"

/* Records that payment_id charges card_id, unless a charge of it was recorded
 * before; then reads which card it charges (the first one recorded) into
 * *out. Inside the caller's write transaction. 1, 0 (none recorded, or that
 * card is unknown), -1 store error. */
static int charged_card(db *d, int64_t payment_id, int64_t card_id, saved_card *out)
{
    db_stmt *s;
    if (card_id) {
        if (!(s = db_prepare(d, "INSERT INTO payment_method_charges (payment_id, payment_method_id) VALUES ($1, $2)"
                                " ON CONFLICT (payment_id) DO NOTHING")))
            return -1;
        db_bind_int64(s, 1, payment_id);
        db_bind_int64(s, 2, card_id);
        if (db_exec1(s) != DB_DONE)
            return -1;
    }
    if (!(s = db_prepare(d, "SELECT payment_method_id FROM payment_method_charges WHERE payment_id = $1")))
        return -1;
    db_bind_int64(s, 1, payment_id);
    db_status rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    if (rc != DB_ROW)
        return rc == DB_DONE ? 0 : -1;
    return cards_get_any(d, id, out);
}

/* The row of the charge under key, opened when new (in the name of who saved
 * the default card c, or as it was when it exists: in), and the card it
 * charges into *card. 1, 0 (no card to charge), -1 store error. */
static int open_row(db *d, const payment *in, const saved_card *c, payment *out, saved_card *card)
{
    bool created;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return -1;
    int found = payment_open(d, in, out, &created) ? charged_card(d, out->id, created ? c->id : 0, card) : -1;
    if (found < 0 || db_commit(d) != DB_OK) {
        db_rollback(d);
        return -1;
    }
    return found;
}

/* Creates the charge at the gateway (the same one on every retry) and records its id. */
static gateway_result charge_at_gateway(db *d, const app *ap, const saved_card *c, payment *p)
{
    const gateway *g = gateway_get(ap->cfg);
    char customer[32], return_url[CONFIG_URL_MAX + 16], key[48];
    snprintf(customer, sizeof customer, "org_%" PRId64, p->org_id);
    snprintf(return_url, sizeof return_url, "%s/billing", ap->cfg->base_url);
    snprintf(key, sizeof key, "saldo-payment-%" PRId64, p->id);
    gateway_create in = {.method = "card", .currency = p->amount.cur->code, .amount_minor = p->amount.minor,
                         .customer = customer, .return_url = return_url, .idempotency_key = key,
                         .payment_method = c->token};
    gateway_payment gp;
    gateway_result gr = g ? g->create_payment(ap->cfg, &in, &gp) : GATEWAY_UNAVAILABLE;
    if (gr == GATEWAY_OK && (!payment_set_gateway(d, p->id, &gp) || payment_get(d, p->id, p) != 1))
        return GATEWAY_UNAVAILABLE;
    return gr;
}

static card_charge_result outcome(const payment *p)
{
    if (!strcmp(p->status, "succeeded"))
        return CARD_CHARGE_PAID;
    return strcmp(p->status, "pending") ? CARD_CHARGE_DECLINED : CARD_CHARGE_PENDING;
}

/* The default card of org_id when it may be charged amount now: 1, 0, -1. */
static int chargeable_default(db *d, const app *ap, int64_t org_id, money amount, saved_card *out)
{
    char country[3];
    int found = cards_default(d, org_id, out);
    if (found <= 0)
        return found;
    payment_org_country(d, ap, org_id, country);
    return !cards_expired(out, (int64_t)time(NULL)) &&
           payment_method_enabled(payment_method_find("card"), amount.cur->code, country);
}

card_charge_result cards_charge_default(db *d, const app *ap, int64_t org_id, money amount, const char *idem_key,
                                        payment *out)
{
    assert(!db_in_tx(d) && amount.cur && amount.minor > 0 && idem_key[0]);
    int found = payment_by_key(d, org_id, idem_key, out);
    if (found < 0)
        return CARD_CHARGE_STORE_ERROR;
    if (found && (strcmp(out->method, "card") || strcmp(out->status, "pending")))
        return strcmp(out->method, "card") ? CARD_CHARGE_NO_CARD : outcome(out); /* decided before */
    payment in = found ? *out : (payment){.org_id = org_id, .amount = amount};
    saved_card c = {0}, card;
    int usable = found ? 0 : chargeable_default(d, ap, org_id, amount, &c);
    if (usable < 0)
        return CARD_CHARGE_STORE_ERROR;
    if (!found && !usable)
        return CARD_CHARGE_NO_CARD; /* none, expired, or cards do not pay in this currency */
    if (!found) {
        in.user_id = c.user_id;
        snprintf(in.method, sizeof in.method, "card");
        snprintf(in.idem_key, sizeof in.idem_key, "%s", idem_key);
    }
    int charged = open_row(d, &in, &c, out, &card);
    if (charged <= 0 || !db_settle(d)) /* the gateway learns of no payment that could vanish */
        return charged == 0 ? CARD_CHARGE_NO_CARD : CARD_CHARGE_STORE_ERROR;
    if (!out->gateway_id[0] && charge_at_gateway(d, ap, &card, out) != GATEWAY_OK)
        return CARD_CHARGE_PENDING; /* refused or unreachable: the next run retries the same card, same key */
    if (payment_sync(d, ap, out, NULL, NULL) == SYNC_STORE_ERROR)
        return CARD_CHARGE_STORE_ERROR;
    return outcome(out);
}
