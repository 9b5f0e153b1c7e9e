/* cards_setup.c - "Add a card" without a payment: a card verification at the
 * gateway (docs/GATEWAY-SANDBOX.md, Card verifications). It is recorded in
 * payment_method_setups when started; its outcome is always read from the
 * gateway (the return page and the webhook only name it), and the card is
 * recorded once, by its token, in the name of the member who started it. */
#include "feature/cards/cards.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/orgs/org_audit.h"

static bool insert_setup(db *d, card_setup *s)
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *st = db_prepare(d, "INSERT INTO payment_method_setups (org_id, user_id, gateway_id, redirect_url,"
                                " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    if (!st)
        return db_rollback(d), false;
    db_bind_int64(st, 1, s->org_id);
    db_bind_int64(st, 2, s->user_id);
    db_bind_text(st, 3, s->gateway_id);
    db_bind_text(st, 4, s->redirect_url);
    db_bind_int64(st, 5, (int64_t)time(NULL));
    bool ok = db_step(st) == DB_ROW;
    if (ok)
        s->id = db_col_int64(st, 0);
    db_done(st);
    if (!ok || db_commit(d) != DB_OK)
        return db_rollback(d), false;
    return true;
}

card_setup_result cards_setup_start(db *d, const app *ap, int64_t org_id, int64_t user_id, card_setup *out)
{
    const gateway *g = gateway_get(ap->cfg);
    char customer[32], return_url[CONFIG_URL_MAX + 64], key[64], hex[33];
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(customer, sizeof customer, "org_%" PRId64, org_id);
    snprintf(return_url, sizeof return_url, "%s/billing/payment-methods/return", ap->cfg->base_url);
    snprintf(key, sizeof key, "saldo-setup-%s", hex); /* one verification per request */
    gateway_setup gs;
    if (!g || g->create_setup(ap->cfg, customer, return_url, key, &gs) != GATEWAY_OK || !gs.redirect_url[0])
        return CARD_SETUP_UNAVAILABLE;
    *out = (card_setup){.org_id = org_id, .user_id = user_id};
    snprintf(out->gateway_id, sizeof out->gateway_id, "%s", gs.id);
    snprintf(out->redirect_url, sizeof out->redirect_url, "%s", gs.redirect_url);
    return insert_setup(d, out) ? CARD_SETUP_STARTED : CARD_SETUP_STORE_ERROR;
}

static int read_setup(db_stmt *st, card_setup *out)
{
    if (!st)
        return -1;
    db_status rc = db_step(st);
    if (rc == DB_ROW) {
        *out = (card_setup){.id = db_col_int64(st, 0), .org_id = db_col_int64(st, 1), .user_id = db_col_int64(st, 2)};
        snprintf(out->gateway_id, sizeof out->gateway_id, "%s", db_col_text(st, 3));
        snprintf(out->redirect_url, sizeof out->redirect_url, "%s", db_col_text(st, 4));
    }
    db_done(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int cards_setup_get(db *d, int64_t org_id, int64_t id, card_setup *out)
{
    db_stmt *st = db_prepare(d, "SELECT id, org_id, user_id, gateway_id, redirect_url FROM payment_method_setups"
                                " WHERE id = $1 AND org_id = $2");
    if (st) {
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, org_id);
    }
    return read_setup(st, out);
}

static int setup_by_gateway_id(db *d, const char *gateway_id, card_setup *out)
{
    db_stmt *st = db_prepare(d, "SELECT id, org_id, user_id, gateway_id, redirect_url FROM payment_method_setups"
                                " WHERE gateway_id = $1");
    if (st)
        db_bind_text(st, 1, gateway_id);
    return read_setup(st, out);
}

/* Records the verified card of s (once per token) with its audit entry. */
static bool record(db *d, const card_setup *s, const gateway_card *c, saved_card *out)
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    int before = cards_by_token(d, c->token, out), after = before;
    bool ok = before >= 0 && (before == 1 || cards_record(d, s->org_id, s->user_id, c, (int64_t)time(NULL)));
    if (ok && before == 0)
        ok = (after = cards_by_token(d, c->token, out)) >= 0;
    if (ok && before == 0 && after == 1) /* new (after == 0: recorded and removed before) */
        ok = org_audit_record_json(d, s->org_id, s->user_id, "payment_method.added",
                                   json_pack("{s:I, s:s, s:s}", "payment_method_id", (json_int_t)out->id, "brand",
                                             out->brand, "last4", out->last4), NULL);
    if (after == 0)
        *out = (saved_card){0};
    if (!ok || db_commit(d) != DB_OK)
        return db_rollback(d), false;
    return true;
}

card_setup_result cards_setup_finish(db *d, const saldo_config *cfg, const char *gateway_id, int64_t org_id,
                                     saved_card *card, char *failure_code)
{
    card_setup s;
    gateway_setup gs;
    char customer[32];
    failure_code[0] = '\0';
    int found = setup_by_gateway_id(d, gateway_id, &s);
    if (found < 0)
        return CARD_SETUP_STORE_ERROR;
    if (!found || (org_id && s.org_id != org_id))
        return CARD_SETUP_NOT_FOUND;
    const gateway *g = gateway_get(cfg);
    if (!g || g->get_setup(cfg, s.gateway_id, &gs) != GATEWAY_OK)
        return CARD_SETUP_UNAVAILABLE;
    snprintf(customer, sizeof customer, "org_%" PRId64, s.org_id);
    if (strcmp(gs.id, s.gateway_id) || strcmp(gs.customer, customer))
        return CARD_SETUP_NOT_FOUND; /* never record what does not match */
    if (gs.status == GW_FAILED) {
        snprintf(failure_code, GATEWAY_CODE_MAX + 1, "%s", gs.failure_code);
        return CARD_SETUP_FAILED;
    }
    if (gs.status != GW_SUCCEEDED || !gs.card.token[0] || !gs.card.brand[0])
        return CARD_SETUP_STARTED;
    return record(d, &s, &gs.card, card) ? CARD_SETUP_ADDED : CARD_SETUP_STORE_ERROR;
}
