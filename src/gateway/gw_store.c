/* gw_store.c - the gateway's own SQLite store: schema, ids, payments as
 * objects, events and their delivery queue, saved methods. Never saldo's
 * database: the command refuses anything but its own file. */
#include "gateway/gw.h"
#include "gateway/gw_card.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

gw_config gw_cfg;

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS gw_payments ("
    " id TEXT PRIMARY KEY, method TEXT NOT NULL, customer TEXT NOT NULL, return_url TEXT NOT NULL,"
    " currency TEXT NOT NULL, amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),"
    " refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),"
    " status TEXT NOT NULL, failure_code TEXT, save_method INTEGER NOT NULL, payment_method TEXT,"
    " wallet TEXT, otp TEXT, tries_3ds INTEGER NOT NULL DEFAULT 0, confirmations INTEGER NOT NULL DEFAULT 0,"
    " next_confirm_at INTEGER, card TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS gw_methods ("
    " id TEXT PRIMARY KEY, customer TEXT NOT NULL, brand TEXT NOT NULL, last4 TEXT NOT NULL,"
    " exp_month INTEGER NOT NULL, exp_year INTEGER NOT NULL, behavior TEXT NOT NULL, wallet TEXT,"
    " created INTEGER NOT NULL, deleted INTEGER) STRICT;"
    "CREATE INDEX IF NOT EXISTS gw_methods_customer ON gw_methods (customer, created);"
    "CREATE TABLE IF NOT EXISTS gw_refunds ("
    " id TEXT PRIMARY KEY, payment_id TEXT NOT NULL REFERENCES gw_payments (id), currency TEXT NOT NULL,"
    " amount_minor INTEGER NOT NULL CHECK (amount_minor > 0), status TEXT NOT NULL, created INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS gw_events ("
    " seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, created INTEGER NOT NULL,"
    " data TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS gw_deliveries ("
    " id INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL REFERENCES gw_events (seq),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at_ms INTEGER NOT NULL, delivered_at INTEGER,"
    " last_status INTEGER) STRICT;"
    "CREATE INDEX IF NOT EXISTS gw_deliveries_due ON gw_deliveries (delivered_at, next_at_ms);"
    "CREATE TABLE IF NOT EXISTS gw_setups ("
    " id TEXT PRIMARY KEY, customer TEXT NOT NULL, return_url TEXT NOT NULL, status TEXT NOT NULL,"
    " failure_code TEXT, payment_method TEXT, card TEXT, otp TEXT, tries_3ds INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL, updated INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS gw_idempotency ("
    " key TEXT NOT NULL, scope TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,"
    " body TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY (key, scope)) STRICT;";

bool gw_store_init(db *d, char *err, size_t err_size)
{
    if (db_exec_script(d, schema) != DB_OK) {
        snprintf(err, err_size, "cannot create the gateway's tables: %s", db_errmsg(d));
        return false;
    }
    return true;
}

void gw_id_new(const char *prefix, char *out)
{
    assert(strlen(prefix) <= 3);
    unsigned char raw[12];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(out, GW_ID_CHARS + 1, "%s_%s", prefix, hex);
}

int64_t gw_now_s(void)
{
    return (int64_t)time(NULL);
}

int64_t gw_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *dup_col(arena *a, db_stmt *s, int col)
{
    const char *t = db_col_text(s, col);
    return t ? arena_strdup(a, t) : NULL;
}

bool gw_payment_get(db *d, arena *a, const char *id, gw_payment *out)
{
    db_stmt *s = db_prepare(d, "SELECT id, method, customer, return_url, status, failure_code, payment_method,"
                               " wallet, currency, amount_minor, refunded_minor, created, tries_3ds, confirmations,"
                               " save_method, otp, card FROM gw_payments WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        *out = (gw_payment){.id = dup_col(a, s, 0), .method = dup_col(a, s, 1), .customer = dup_col(a, s, 2),
                            .return_url = dup_col(a, s, 3), .status = dup_col(a, s, 4),
                            .failure_code = dup_col(a, s, 5), .payment_method = dup_col(a, s, 6),
                            .wallet = dup_col(a, s, 7), .currency = dup_col(a, s, 8),
                            .amount_minor = db_col_int64(s, 9), .refunded_minor = db_col_int64(s, 10),
                            .created = db_col_int64(s, 11), .tries_3ds = db_col_int64(s, 12),
                            .confirmations = db_col_int64(s, 13), .save_method = db_col_int64(s, 14) != 0,
                            .otp = dup_col(a, s, 15), .card = dup_col(a, s, 16)};
        assert(out->amount_minor > 0 && out->refunded_minor <= out->amount_minor);
    }
    db_done(s);
    return found;
}

static json_t *money_json(const char *code, int64_t minor)
{
    return json_pack("{s:s, s:I}", "currency", code, "minor", (json_int_t)minor);
}

static json_t *next_action(const gw_payment *p)
{
    if (!strcmp(p->method, "crypto") && !strcmp(p->status, "processing"))
        return json_pack("{s:s, s:I, s:I}", "type", "await_confirmations", "confirmations",
                         (json_int_t)p->confirmations, "confirmations_required", (json_int_t)gw_cfg.confirmations);
    if (strcmp(p->status, "requires_action"))
        return NULL;
    char url[512];
    snprintf(url, sizeof url, "%s/pay/%s", gw_cfg.public_url, p->id);
    return json_pack("{s:s, s:s}", "type", "redirect", "url", url);
}

json_t *gw_payment_json(const gw_payment *p)
{
    json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:b, s:I}", "id", p->id, "object", "payment",
                          "amount", money_json(p->currency, p->amount_minor), "amount_refunded",
                          money_json(p->currency, p->refunded_minor), "method", p->method, "customer", p->customer,
                          "status", p->status, "save_method", p->save_method, "created", (json_int_t)p->created);
    json_object_set_new(j, "return_url", json_string(p->return_url));
    json_object_set_new(j, "failure_code", p->failure_code ? json_string(p->failure_code) : json_null());
    json_object_set_new(j, "payment_method", p->payment_method ? json_string(p->payment_method) : json_null());
    json_object_set_new(j, "wallet", p->wallet ? json_string(p->wallet) : json_null());
    json_t *card = p->card ? json_loads(p->card, 0, NULL) : NULL;
    if (card)
        json_object_del(card, "behavior");
    json_object_set_new(j, "card", card ? card : json_null());
    json_t *na = next_action(p);
    json_object_set_new(j, "next_action", na ? na : json_null());
    json_t *url = na ? json_object_get(na, "url") : NULL;
    json_object_set_new(j, "redirect_url", url ? json_incref(url) : json_null());
    if (!strcmp(p->method, "crypto"))
        json_object_set_new(j, "confirmations", json_integer(p->confirmations));
    return j;
}

bool gw_payment_set_status(db *d, arena *a, const char *id, const char *status, const char *failure_code)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE gw_payments SET status = $1, failure_code = $2, updated = $3 WHERE id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, failure_code);
    db_bind_int64(s, 3, gw_now_s());
    db_bind_text(s, 4, id);
    gw_payment p;
    if (db_exec1(s) != DB_DONE || !gw_payment_get(d, a, id, &p))
        return false;
    char type[64];
    snprintf(type, sizeof type, "payment.%s", status);
    return gw_event_emit(d, type, gw_payment_json(&p));
}

static bool queue_delivery(db *d, int64_t seq)
{
    db_stmt *s = db_prepare(d, "INSERT INTO gw_deliveries (event_seq, next_at_ms) VALUES ($1, $2)");
    if (!s)
        return false;
    db_bind_int64(s, 1, seq);
    db_bind_int64(s, 2, gw_now_ms());
    return db_exec1(s) == DB_DONE;
}

bool gw_event_emit(db *d, const char *type, json_t *data)
{
    assert(db_in_tx(d) && data);
    char id[GW_ID_CHARS + 1];
    gw_id_new("evt", id);
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(data);
    db_stmt *s = db_prepare(d, "INSERT INTO gw_events (id, type, created, data) VALUES ($1, $2, $3, $4) RETURNING seq");
    if (!s || !text) {
        free(text);
        return false;
    }
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, type);
    db_bind_int64(s, 3, gw_now_s());
    db_bind_text(s, 4, text);
    free(text);
    int64_t seq = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return seq > 0 && queue_delivery(d, seq);
}

bool gw_event_requeue(db *d, const char *event_id)
{
    db_stmt *s = db_prepare(d, "SELECT seq FROM gw_events WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, event_id);
    int64_t seq = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return seq > 0 && queue_delivery(d, seq);
}

bool gw_method_save(db *d, const char *customer, const gw_card *c, const char *wallet, char *token_out)
{
    assert(db_in_tx(d) && c->exp_month >= 1 && c->exp_month <= 12);
    gw_id_new("pm", token_out);
    db_stmt *s = db_prepare(d, "INSERT INTO gw_methods (id, customer, brand, last4, exp_month, exp_year, behavior,"
                               " wallet, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    if (!s)
        return false;
    db_bind_text(s, 1, token_out);
    db_bind_text(s, 2, customer);
    db_bind_text(s, 3, c->brand);
    db_bind_text(s, 4, c->last4);
    db_bind_int64(s, 5, c->exp_month);
    db_bind_int64(s, 6, c->exp_year);
    db_bind_text(s, 7, gw_card_behavior_name(c->behavior));
    db_bind_text(s, 8, wallet);
    db_bind_int64(s, 9, gw_now_s());
    return db_exec1(s) == DB_DONE;
}

json_t *gw_method_json(db_stmt *s)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:I}", "id", db_col_text(s, 0), "object",
                          "payment_method", "brand", db_col_text(s, 1), "last4", db_col_text(s, 2), "exp_month",
                          (json_int_t)db_col_int64(s, 3), "exp_year", (json_int_t)db_col_int64(s, 4), "customer",
                          db_col_text(s, 6), "created", (json_int_t)db_col_int64(s, 7));
    json_object_set_new(j, "wallet", db_col_is_null(s, 5) ? json_null() : json_string(db_col_text(s, 5)));
    return j;
}

