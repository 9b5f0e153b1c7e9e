/* idempotency.c - see idempotency.h. */
#include "http/idempotency.h"

#include "http/json_out.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool idem_start(http_request *r, const char *scope, idem *out)
{
    const char *key = http_header(r, "Idempotency-Key");
    if (!key || !*key || strlen(key) > IDEM_KEY_MAX) {
        http_error(r, 400, "idempotency_key_required",
                   "send an Idempotency-Key header (1-200 characters) with requests that move money", NULL);
        return false;
    }
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->method, strlen(r->method) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->path, strlen(r->path) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->body, r->body_len);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out->request_hash, sizeof out->request_hash, h, sizeof h);
    out->scope = scope;
    out->key = arena_strdup(r->a, key);
    return true;
}

/* Claims the key in the open transaction: true when the row is new (ours);
 * else the key was used before (or by a request that finished meanwhile). */
static db_status claim(http_request *r, const idem *k, bool *claimed)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO idempotency_keys (scope, key, request_hash, status, response, created_at)"
        " VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (scope, key) DO NOTHING");
    if (!s)
        return DB_ERROR;
    db_bind_text(s, 1, k->scope);
    db_bind_text(s, 2, k->key);
    db_bind_text(s, 3, k->request_hash);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    db_status st = db_exec1(s);
    *claimed = st == DB_DONE && db_changes(r->db) == 1;
    return st;
}

/* The key was claimed before, by a request now finished: its answer again
 * (a replay) or 409 (another request with the same key). Ends the
 * transaction; false: answered. */
static bool answer_used_key(http_request *r, const idem *k)
{
    db_stmt *s = db_prepare(r->db, "SELECT request_hash, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2");
    if (s) {
        db_bind_text(s, 1, k->scope);
        db_bind_text(s, 2, k->key);
    }
    if (!s || db_step(s) != DB_ROW || db_col_int64(s, 1) == 0) { /* 0: claimed, never answered */
        db_done(s);
        db_rollback(r->db);
        http_error(r, 500, "store_error", "cannot check the idempotency key", NULL);
        return false;
    }
    bool same = !strcmp(db_col_text(s, 0), k->request_hash);
    int status = (int)db_col_int64(s, 1);
    const char *resp = arena_strdup(r->a, db_col_text(s, 2));
    db_done(s);
    db_rollback(r->db);
    if (!same) {
        http_error(r, 409, "idempotency_conflict",
                   "this Idempotency-Key was used with a different request", NULL);
        return false;
    }
    http_add_header(r, "Idempotent-Replayed", "true");
    http_text(r, status, "application/json", resp, strlen(resp));
    return false;
}

bool idem_begin(http_request *r, const idem *k)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK) {
        http_error(r, 500, "store_error", "cannot start the transaction", NULL);
        return false;
    }
    bool claimed;
    db_status st = claim(r, k, &claimed);
    if (st == DB_DONE)
        return claimed || answer_used_key(r, k);
    db_rollback(r->db);
    http_error(r, 500, "store_error", "cannot check the idempotency key", NULL);
    return false;
}

bool idem_save_and_answer(http_request *r, const idem *k, int status, json_t *body)
{
    buf answer;
    buf_init(&answer, 0);
    json_out(&answer, body);
    json_decref(body);
    const char *text = buf_cstr(&answer);
    db_stmt *s = db_prepare(r->db, "UPDATE idempotency_keys SET status = $1, response = $2 WHERE scope = $3 AND key = $4");
    bool ok = s != NULL;
    if (ok) {
        db_bind_int64(s, 1, status);
        db_bind_text(s, 2, text);
        db_bind_text(s, 3, k->scope);
        db_bind_text(s, 4, k->key);
        ok = db_exec1(s) == DB_DONE && db_changes(r->db) == 1 && db_commit(r->db) == DB_OK;
    }
    if (ok)
        http_text(r, status, "application/json", text, strlen(text));
    else {
        db_rollback(r->db);
        http_error(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    }
    buf_free(&answer);
    return ok;
}
