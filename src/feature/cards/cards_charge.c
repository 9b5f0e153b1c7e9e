/* cards_charge.c - charging an organization's default card off-session (the
 * billing run, when a renewal finds the balance short): a top-up like any
 * other (payments.h), created at the gateway with the card's token, which the
 * gateway decides at once, and applied by payment_sync. The payment row is
 * committed before the gateway is called and the gateway's Idempotency-Key
 * is derived from it, so a repeated call (a second run, a crash in between)
 * charges the card once. */
#include "feature/cards/cards.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/payments/payments.h"

/* The row of the charge under key, opened when new; false on a store error. */
static bool open_row(db *d, const saved_card *c, money amount, const char *key, payment *out)
{
    payment in = {.org_id = c->org_id, .user_id = c->user_id, .amount = amount};
    bool created;
    snprintf(in.method, sizeof in.method, "card");
    snprintf(in.idem_key, sizeof in.idem_key, "%s", key);
    if (db_begin(d, DB_TX_WRITE) != DB_OK || !payment_open(d, &in, out, &created) || db_commit(d) != DB_OK) {
        db_rollback(d);
        return false;
    }
    return true;
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

card_charge_result cards_charge_default(db *d, const app *ap, int64_t org_id, money amount, const char *idem_key,
                                        payment *out)
{
    assert(!db_in_tx(d) && amount.cur && amount.minor > 0 && idem_key[0]);
    int found = payment_by_key(d, org_id, idem_key, out);
    if (found < 0)
        return CARD_CHARGE_STORE_ERROR;
    if (found && (strcmp(out->method, "card") || strcmp(out->status, "pending")))
        return strcmp(out->method, "card") ? CARD_CHARGE_NO_CARD : outcome(out); /* decided before */
    saved_card c;
    found = cards_default(d, org_id, &c);
    if (found < 0)
        return CARD_CHARGE_STORE_ERROR;
    char country[3];
    payment_org_country(d, ap, org_id, country);
    if (!found || cards_expired(&c, (int64_t)time(NULL)) ||
        !payment_method_enabled(payment_method_find("card"), amount.cur->code, country))
        return CARD_CHARGE_NO_CARD; /* none, expired, or cards do not pay in this currency */
    if (!open_row(d, &c, amount, idem_key, out))
        return CARD_CHARGE_STORE_ERROR;
    if (!out->gateway_id[0] && charge_at_gateway(d, ap, &c, out) != GATEWAY_OK) {
        /* Refused (the card is gone at the gateway) or unreachable: pending; the next run retries it. */
        return CARD_CHARGE_PENDING;
    }
    payment_sync_result res = payment_sync(d, ap, out, NULL, NULL);
    if (res == SYNC_STORE_ERROR)
        return CARD_CHARGE_STORE_ERROR;
    return outcome(out);
}
