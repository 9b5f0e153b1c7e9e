/* gw_idem.c - Idempotency-Key on the gateway's creating calls: the first
 * answer for (key, scope) is stored with a hash of the body in the same
 * transaction as the work, and replayed for a retry with the same body. */
#include "gateway/gw.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { GW_IDEM_KEY_MAX = 255 };

static void body_hash(const http_request *r, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)r->body, r->body_len, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void gw_store_failed(http_request *r)
{
    db_rollback(r->db);
    http_error(r, 500, "store_error", "the gateway's store failed", NULL);
}

static void replay(http_request *r, int status, const char *body)
{
    json_t *j = json_loads(body, 0, NULL);
    assert(j);
    http_add_header(r, "Idempotent-Replayed", "true");
    http_json(r, status, j);
}

bool gw_idem_begin(http_request *r, const char *scope, gw_idem *k)
{
    k->key = http_header(r, "Idempotency-Key");
    k->scope = scope;
    if (!k->key || !*k->key || strlen(k->key) > GW_IDEM_KEY_MAX) {
        http_error(r, 400, "idempotency_key_required", "an Idempotency-Key header of 1 to 255 characters is required",
                   "Idempotency-Key");
        return false;
    }
    body_hash(r, k->hash);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK) {
        gw_store_failed(r);
        return false;
    }
    db_stmt *s = db_prepare(r->db, "SELECT request_hash, status, body FROM gw_idempotency WHERE key = $1 AND scope = $2");
    if (!s) {
        gw_store_failed(r);
        return false;
    }
    db_bind_text(s, 1, k->key);
    db_bind_text(s, 2, scope);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return true;
    }
    bool same = !strcmp(db_col_text(s, 0), k->hash);
    int status = (int)db_col_int64(s, 1);
    const char *body = arena_strdup(r->a, db_col_text(s, 2));
    db_done(s);
    db_rollback(r->db);
    if (same)
        replay(r, status, body);
    else
        http_error(r, 422, "idempotency_key_reused", "this Idempotency-Key was used with a different request",
                   "Idempotency-Key");
    return false;
}

void gw_idem_finish(http_request *r, const gw_idem *k, int status, json_t *body)
{
    assert(db_in_tx(r->db) && body);
    char *text = json_dumps(body, JSON_COMPACT);
    db_stmt *s = db_prepare(r->db, "INSERT INTO gw_idempotency (key, scope, request_hash, status, body, created)"
                                   " VALUES ($1, $2, $3, $4, $5, $6)");
    bool ok = s && text;
    if (ok) {
        db_bind_text(s, 1, k->key);
        db_bind_text(s, 2, k->scope);
        db_bind_text(s, 3, k->hash);
        db_bind_int64(s, 4, status);
        db_bind_text(s, 5, text);
        db_bind_int64(s, 6, gw_now_s());
        ok = db_exec1(s) == DB_DONE && db_commit(r->db) == DB_OK;
    }
    free(text);
    if (!ok) {
        json_decref(body);
        gw_store_failed(r);
        return;
    }
    http_json(r, status, body);
}
