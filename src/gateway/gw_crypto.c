/* gw_crypto.c - the sandbox's crypto payments: a deterministic address and
 * amount in the asset for each payment, and network confirmations that
 * advance with time (the worker) or through the sandbox call. */
#include "gateway/gw.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "lib/log.h"

/* Sandbox rate: 1 BTC = 50 000 major units of any currency, so one minor
 * unit of a 2-digit currency is 2000 / 100 = 20 satoshi. */
enum { GW_SATS_PER_MAJOR_UNIT = 2000 };

void gw_crypto_quote(const gw_payment *p, char *address, size_t address_size, char *amount, size_t amount_size)
{
    unsigned char h[19];
    crypto_generichash(h, sizeof h, (const unsigned char *)p->id, strlen(p->id), NULL, 0);
    char hex[sizeof h * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(address, address_size, "tb1q%s", hex);
    const currency *c = currency_find(p->currency);
    assert(c && p->amount_minor > 0 && p->amount_minor <= GW_AMOUNT_MINOR_MAX);
    int64_t div = 1;
    for (int i = 0; i < c->exponent; i++)
        div *= 10;
    int64_t sats = (p->amount_minor * GW_SATS_PER_MAJOR_UNIT + div - 1) / div; /* rounded up: never short */
    snprintf(amount, amount_size, "%lld.%08lld", (long long)(sats / 100000000), (long long)(sats % 100000000));
}

static bool set_confirmations(db *d, const char *id, int64_t confirmations)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_payments SET confirmations = $1, next_confirm_at = $2, updated = $3"
                               " WHERE id = $4");
    if (!s)
        return false;
    int64_t now = gw_now_s();
    db_bind_int64(s, 1, confirmations);
    db_bind_int64(s, 2, now + gw_cfg.confirmation_interval_s);
    db_bind_int64(s, 3, now);
    db_bind_text(s, 4, id);
    return db_exec1(s) == DB_DONE;
}

/* The customer sent the coins: the payment waits for confirmations. */
bool gw_crypto_broadcast(db *d, arena *a, const gw_payment *p)
{
    assert(db_in_tx(d) && !strcmp(p->method, "crypto") && !strcmp(p->status, "requires_action"));
    return set_confirmations(d, p->id, 0) && gw_payment_set_status(d, a, p->id, "processing", NULL);
}

bool gw_crypto_confirm(db *d, arena *a, const gw_payment *p)
{
    assert(db_in_tx(d) && !strcmp(p->method, "crypto"));
    int64_t have = p->confirmations;
    if (!strcmp(p->status, "requires_action")) {
        if (!gw_crypto_broadcast(d, a, p))
            return false;
        have = 0;
    }
    assert(have < gw_cfg.confirmations);
    if (!set_confirmations(d, p->id, have + 1))
        return false;
    return have + 1 < gw_cfg.confirmations || gw_payment_set_status(d, a, p->id, "succeeded", NULL);
}

/* The next processing crypto payment whose confirmation is due, into id. */
static bool next_due(db *d, char *id, size_t size)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM gw_payments WHERE method = 'crypto' AND status = 'processing'"
                               " AND next_confirm_at <= $1 ORDER BY next_confirm_at LIMIT 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, gw_now_s());
    bool found = db_step(s) == DB_ROW;
    if (found)
        snprintf(id, size, "%s", db_col_text(s, 0));
    db_done(s);
    return found;
}

void gw_crypto_tick(db *d)
{
    char id[GW_ID_CHARS + 1];
    for (int i = 0; i < 100 && next_due(d, id, sizeof id); i++) {
        arena *a = arena_new();
        gw_payment p;
        bool ok = db_begin(d, DB_TX_WRITE) == DB_OK && gw_payment_get(d, a, id, &p) &&
                  !strcmp(p.status, "processing") && gw_crypto_confirm(d, a, &p) && db_commit(d) == DB_OK;
        if (!ok) {
            db_rollback(d);
            log_error("gateway_crypto", "payment=%s error=\"%s\"", id, db_errmsg(d));
        }
        arena_free(a);
        if (!ok)
            return;
    }
}
