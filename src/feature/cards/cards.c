/* cards.c - the payment_methods table (see cards.h): recording a card the
 * gateway saved, reading, the default, removal, and the gateway's word that a
 * card was deleted there. */
#include "feature/cards/cards.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/zone.h"
#include "feature/orgs/org_audit.h"

#define CARD_COLUMNS                                                                                   \
    "SELECT id, org_id, user_id, token, brand, last4, exp_month, exp_year, is_default, created_at" \
    " FROM payment_methods"

static void text_col(db_stmt *s, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", db_col_text(s, col) ? db_col_text(s, col) : "");
}

static void read_row(db_stmt *s, saved_card *out)
{
    *out = (saved_card){.id = db_col_int64(s, 0), .org_id = db_col_int64(s, 1), .user_id = db_col_int64(s, 2),
                        .exp_month = (int)db_col_int64(s, 6), .exp_year = (int)db_col_int64(s, 7),
                        .is_default = db_col_int64(s, 8) != 0, .created_at = db_col_int64(s, 9)};
    text_col(s, 3, out->token, sizeof out->token);
    text_col(s, 4, out->brand, sizeof out->brand);
    text_col(s, 5, out->last4, sizeof out->last4);
}

static int read_one(db_stmt *s, saved_card *out)
{
    if (!s)
        return -1;
    db_status rc = db_step(s);
    if (rc == DB_ROW)
        read_row(s, out);
    db_done(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

bool cards_record(db *d, int64_t org_id, int64_t user_id, const gateway_card *c, int64_t now)
{
    assert(db_in_tx(d) && org_id > 0 && user_id > 0 && c->token[0] && c->brand[0]);
    assert(strlen(c->last4) == 4 && c->exp_month >= 1 && c->exp_month <= 12);
    db_stmt *s = db_prepare(d,
        "INSERT INTO payment_methods (org_id, user_id, token, brand, last4, exp_month, exp_year, is_default,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN EXISTS (SELECT 1 FROM payment_methods p"
        " WHERE p.org_id = $1 AND p.is_default = 1) THEN 0 ELSE 1 END, $8) ON CONFLICT (token) DO NOTHING");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    db_bind_text(s, 3, c->token);
    db_bind_text(s, 4, c->brand);
    db_bind_text(s, 5, c->last4);
    db_bind_int64(s, 6, c->exp_month);
    db_bind_int64(s, 7, c->exp_year);
    db_bind_int64(s, 8, now);
    return db_exec1(s) == DB_DONE;
}

int cards_get(db *d, int64_t org_id, int64_t id, saved_card *out)
{
    db_stmt *s = db_prepare(d, CARD_COLUMNS " WHERE id = $1 AND org_id = $2 AND deleted_at IS NULL");
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, org_id);
    }
    return read_one(s, out);
}

int cards_get_any(db *d, int64_t id, saved_card *out)
{
    db_stmt *s = db_prepare(d, CARD_COLUMNS " WHERE id = $1");
    if (s)
        db_bind_int64(s, 1, id);
    return read_one(s, out);
}

int cards_by_token(db *d, const char *token, saved_card *out)
{
    db_stmt *s = db_prepare(d, CARD_COLUMNS " WHERE token = $1 AND deleted_at IS NULL");
    if (s)
        db_bind_text(s, 1, token);
    return read_one(s, out);
}

int cards_default(db *d, int64_t org_id, saved_card *out)
{
    db_stmt *s = db_prepare(d, CARD_COLUMNS " WHERE org_id = $1 AND is_default = 1");
    if (s)
        db_bind_int64(s, 1, org_id);
    return read_one(s, out);
}

int cards_list(db *d, int64_t org_id, saved_card *out, int max)
{
    db_stmt *s = db_prepare(d, CARD_COLUMNS " WHERE org_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, max);
    int n = 0;
    db_status rc;
    while ((rc = db_step(s)) == DB_ROW && n < max)
        read_row(s, &out[n++]);
    db_done(s);
    return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

bool cards_expired(const saved_card *c, int64_t now)
{
    struct tm tm;
    if (!zone_wall_tm(now, ZONE_PROVIDER, &tm)) /* the month in Italy, as the pages show dates */
        return true;
    int year = tm.tm_year + 1900, month = tm.tm_mon + 1;
    return c->exp_year < year || (c->exp_year == year && c->exp_month < month);
}

int cards_set_default(db *d, int64_t org_id, int64_t id)
{
    assert(db_in_tx(d));
    saved_card c;
    int found = cards_get(d, org_id, id, &c);
    if (found <= 0 || c.is_default)
        return found;
    db_stmt *s = db_prepare(d, "UPDATE payment_methods SET is_default = 0 WHERE org_id = $1 AND is_default = 1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    if (db_exec1(s) != DB_DONE || !(s = db_prepare(d, "UPDATE payment_methods SET is_default = 1 WHERE id = $1")))
        return -1;
    db_bind_int64(s, 1, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1 ? 1 : -1;
}

int cards_mark_removed(db *d, const saved_card *c, int64_t now)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE payment_methods SET deleted_at = $1, is_default = 0"
                               " WHERE id = $2 AND deleted_at IS NULL");
    if (!s)
        return -1;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, c->id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    if (db_changes(d) == 0)
        return 0;
    /* The newest remaining card becomes the default when there is none now. */
    s = db_prepare(d, "UPDATE payment_methods SET is_default = 1 WHERE id = (SELECT p.id FROM payment_methods p"
                      " WHERE p.org_id = $1 AND p.deleted_at IS NULL ORDER BY p.created_at DESC, p.id DESC LIMIT 1)"
                      " AND NOT EXISTS (SELECT 1 FROM payment_methods q WHERE q.org_id = $1 AND q.is_default = 1)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, c->org_id);
    return db_exec1(s) == DB_DONE ? 1 : -1;
}

static json_t *audit_detail(const saved_card *c)
{
    return json_pack("{s:I, s:s, s:s}", "payment_method_id", (json_int_t)c->id, "brand", c->brand, "last4", c->last4);
}

bool cards_make_default(db *d, const saved_card *c, int64_t user_id)
{
    bool ok = db_begin(d, DB_TX_WRITE) == DB_OK && cards_set_default(d, c->org_id, c->id) == 1 &&
              org_audit_record_json(d, c->org_id, user_id, "payment_method.default", audit_detail(c), NULL) &&
              db_commit(d) == DB_OK;
    if (!ok)
        db_rollback(d);
    return ok;
}

cards_remove_result cards_remove(db *d, const saldo_config *cfg, const saved_card *c, int64_t user_id)
{
    assert(!db_in_tx(d));
    const gateway *g = gateway_get(cfg);
    if (!g || g->delete_method(cfg, c->token) == GATEWAY_UNAVAILABLE)
        return CARDS_REMOVE_UNAVAILABLE; /* REFUSED: the gateway does not know it (any more) */
    bool ok = db_begin(d, DB_TX_WRITE) == DB_OK && cards_mark_removed(d, c, (int64_t)time(NULL)) >= 0 &&
              org_audit_record_json(d, c->org_id, user_id, "payment_method.removed", audit_detail(c), NULL) &&
              db_commit(d) == DB_OK;
    if (!ok)
        db_rollback(d);
    return ok ? CARDS_REMOVED : CARDS_REMOVE_STORE_ERROR;
}

json_t *cards_json(const saved_card *c, int64_t now)
{
    return json_pack("{s:I, s:s, s:s, s:i, s:i, s:b, s:b}", "id", (json_int_t)c->id, "brand", c->brand, "last4",
                     c->last4, "exp_month", c->exp_month, "exp_year", c->exp_year, "default", c->is_default,
                     "expired", cards_expired(c, now));
}

/* Whether the gateway still lists token among customer's methods: 1 yes, 0 no, -1 it could not be asked. */
static int still_saved(const saldo_config *cfg, const char *customer, const char *token)
{
    const gateway *g = gateway_get(cfg);
    gateway_card *list = calloc(GATEWAY_METHODS_MAX, sizeof *list);
    size_t n = 0;
    if (!list)
        abort();
    int r = g && g->list_methods(cfg, customer, list, GATEWAY_METHODS_MAX, &n) == GATEWAY_OK ? 0 : -1;
    for (size_t i = 0; r == 0 && i < n; i++)
        if (!strcmp(list[i].token, token))
            r = 1;
    free(list);
    return r;
}

cards_sync_result cards_gateway_deleted(db *d, const saldo_config *cfg, const char *token)
{
    saved_card c;
    int found = cards_by_token(d, token, &c);
    if (found <= 0)
        return found == 0 ? CARDS_SYNC_OK : CARDS_SYNC_STORE_ERROR;
    char customer[32];
    snprintf(customer, sizeof customer, "org_%" PRId64, c.org_id);
    int saved = still_saved(cfg, customer, token);
    if (saved)
        return saved < 0 ? CARDS_SYNC_UNAVAILABLE : CARDS_SYNC_OK; /* a forged or stale event: nothing to do */
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return CARDS_SYNC_STORE_ERROR;
    if (cards_mark_removed(d, &c, (int64_t)time(NULL)) < 0 || db_commit(d) != DB_OK) {
        db_rollback(d);
        return CARDS_SYNC_STORE_ERROR;
    }
    return CARDS_SYNC_OK;
}
