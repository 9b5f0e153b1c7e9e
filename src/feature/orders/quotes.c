/* quotes.c - FX quotes: before paying an order in one currency from a wallet
 * in another, the customer is shown the rate, its source and date and the
 * converted amount, and that rate holds for ORDER_QUOTE_TTL_S. Checkout
 * debits exactly the quoted amount. The rate is the cross of the newest
 * stored ECB rates (fx_cross, half-even at 12 decimals) and the conversion is
 * rounded half-even: neither in the provider's favour nor the customer's. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/fx.h"
#include "feature/fx/fx_store.h"
#include "http/json_in.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

/* The older of two rate dates ("" is EUR's own, which has none). */
static const char *older_date(const char *a, const char *b)
{
    if (!*a)
        return b;
    if (!*b)
        return a;
    return strcmp(a, b) <= 0 ? a : b;
}

static bool quote_insert(db *d, fx_quote *q)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO fx_quotes (org_id, from_currency, to_currency, rate_units, rate_source, rate_date,"
        " amount_minor, converted_minor, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, q->org_id);
    db_bind_text(s, 2, q->from);
    db_bind_text(s, 3, q->to);
    db_bind_int64(s, 4, q->rate_units);
    db_bind_text(s, 5, q->source);
    db_bind_text(s, 6, q->date);
    db_bind_int64(s, 7, q->amount_minor);
    db_bind_int64(s, 8, q->converted_minor);
    db_bind_int64(s, 9, q->created_at);
    db_bind_int64(s, 10, q->expires_at);
    bool ok = db_step(s) == DB_ROW;
    q->id = ok ? db_col_int64(s, 0) : 0;
    db_done(s);
    return ok;
}

bool quote_create(http_request *r, int64_t org_id, money amount, const currency *from, fx_quote *out,
                  order_fail *fail)
{
    assert(org_id > 0 && amount.cur && from);
    if (amount.cur == from)
        return order_refuse(fail, 422, "same_currency", N_("The wallet is in the order's currency: no conversion is needed."),
                            "wallet_currency");
    if (amount.minor <= 0)
        return order_refuse(fail, 422, "invalid_field", N_("amount: must be more than zero"), "amount");
    fx_rate to_rate, from_rate, rate;
    char to_date[11], from_date[11], to_src[16], from_src[16];
    if (!fx_store_latest(r->db, amount.cur, &to_rate, to_date, to_src) ||
        !fx_store_latest(r->db, from, &from_rate, from_date, from_src))
        return order_refuse(fail, 422, "no_rate", N_("There is no exchange rate for these currencies yet."),
                            "wallet_currency");
    money converted;
    /* 1 unit of the order's currency = rate units of the wallet's. */
    if (fx_cross(to_rate, from_rate, &rate) != MONEY_OK ||
        fx_convert(amount, rate, from, ROUND_HALF_EVEN, &converted) != MONEY_OK || converted.minor <= 0)
        return order_refuse(fail, 422, "invalid_field", N_("amount: cannot be converted"), "amount");
    int64_t now = (int64_t)time(NULL);
    *out = (fx_quote){.org_id = org_id, .rate_units = rate.units, .amount_minor = amount.minor,
                      .converted_minor = converted.minor, .created_at = now, .expires_at = now + ORDER_QUOTE_TTL_S};
    snprintf(out->from, sizeof out->from, "%s", from->code);
    snprintf(out->to, sizeof out->to, "%s", amount.cur->code);
    snprintf(out->source, sizeof out->source, "%s", strcmp(to_src, "identity") ? to_src : from_src);
    snprintf(out->date, sizeof out->date, "%s", older_date(to_date, from_date));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return order_refuse(fail, 500, "store_error", N_("The quote could not be saved."), NULL);
    if (!quote_insert(r->db, out) || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return order_refuse(fail, 500, "store_error", N_("The quote could not be saved."), NULL);
    }
    return true;
}

int quote_get(db *d, int64_t org_id, int64_t id, fx_quote *out)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, org_id, from_currency, to_currency, rate_units, rate_source, rate_date, amount_minor,"
        " converted_minor, created_at, expires_at, COALESCE(used_at, 0) FROM fx_quotes WHERE id = $1 AND org_id = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        *out = (fx_quote){.id = db_col_int64(s, 0), .org_id = db_col_int64(s, 1), .rate_units = db_col_int64(s, 4),
                          .amount_minor = db_col_int64(s, 7), .converted_minor = db_col_int64(s, 8),
                          .created_at = db_col_int64(s, 9), .expires_at = db_col_int64(s, 10),
                          .used_at = db_col_int64(s, 11)};
        snprintf(out->from, sizeof out->from, "%s", db_col_text(s, 2));
        snprintf(out->to, sizeof out->to, "%s", db_col_text(s, 3));
        snprintf(out->source, sizeof out->source, "%s", db_col_text(s, 5));
        snprintf(out->date, sizeof out->date, "%s", db_col_text(s, 6));
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

bool quote_use(db *d, int64_t id, int64_t now)
{
    assert(db_in_tx(d) && id > 0);
    db_stmt *s = db_prepare(d, "UPDATE fx_quotes SET used_at = $1 WHERE id = $2 AND used_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

json_t *quote_json(http_request *r, const fx_quote *q)
{
    const currency *from = currency_find(q->from), *to = currency_find(q->to);
    assert(from && to);
    char rate[FX_RATE_FORMAT_BYTES_MAX];
    if (fx_rate_format((fx_rate){q->rate_units}, rate, sizeof rate) != MONEY_OK)
        rate[0] = '\0';
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)q->id,
                     "wallet_currency", q->from, "currency", q->to, "rate", rate, "source", q->source, "date", q->date,
                     "amount", jout_money(money_make(q->amount_minor, to), r->lang),
                     "converted", jout_money(money_make(q->converted_minor, from), r->lang),
                     "created_at", jout_time(q->created_at), "expires_at", jout_time(q->expires_at));
}
