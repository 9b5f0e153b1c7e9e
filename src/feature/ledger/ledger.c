/* ledger.c - posting, reversing and accounts of the ledger (see ledger.h).
 *
 * Order inside ledger_post: look up the idempotency key (a replay writes
 * nothing), check both accounts, debit with a guarded UPDATE that refuses to
 * take a wallet below zero, credit, then insert the immutable transfer row.
 * Callers hold a write transaction, so the check and the posting are atomic. */
#include "feature/ledger/ledger.h"

#include <assert.h>
#include <string.h>
#include <time.h>

static const char *const result_names[LEDGER_RESULT_COUNT] = {
    "ok", "replayed", "insufficient_funds", "idempotency_conflict",
    "invalid", "not_found", "already_reversed", "store_error",
};

const char *ledger_result_str(ledger_result r)
{
    assert(r >= 0 && r < LEDGER_RESULT_COUNT);
    return result_names[r];
}

static bool currency_code_ok(const char *c)
{
    return c && strlen(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' &&
           c[2] >= 'A' && c[2] <= 'Z';
}

static bool transfer_shape_ok(const ledger_transfer *t)
{
    return t->amount_minor > 0 && t->amount_minor <= LEDGER_AMOUNT_MAX &&
           t->debit_account_id > 0 && t->credit_account_id > 0 &&
           t->debit_account_id != t->credit_account_id && currency_code_ok(t->currency) &&
           t->kind && *t->kind && t->idempotency_key && *t->idempotency_key &&
           strlen(t->idempotency_key) <= LEDGER_KEY_MAX && t->reverses_id >= 0;
}

/* A replay must describe the very same transfer as the first post. */
static ledger_result check_replay(db *d, const ledger_transfer *t, int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, debit_account_id, credit_account_id, amount_minor, currency, kind,"
        " COALESCE(reverses_id, 0) FROM ledger_transfers WHERE idempotency_key = $1");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_text(s, 1, t->idempotency_key);
    db_status st = db_step(s);
    ledger_result r = LEDGER_OK;
    if (st == DB_ROW) {
        bool same = db_col_int64(s, 1) == t->debit_account_id &&
                    db_col_int64(s, 2) == t->credit_account_id &&
                    db_col_int64(s, 3) == t->amount_minor &&
                    !strcmp(db_col_text(s, 4), t->currency) && !strcmp(db_col_text(s, 5), t->kind) &&
                    db_col_int64(s, 6) == t->reverses_id;
        *out_id = db_col_int64(s, 0);
        r = same ? LEDGER_REPLAYED : LEDGER_KEY_CONFLICT;
    } else if (st != DB_DONE) {
        r = LEDGER_STORE_ERROR;
    }
    db_done(s);
    return r;
}

static ledger_result account_currency_is(db *d, int64_t id, const char *currency)
{
    db_stmt *s = db_prepare(d, "SELECT currency FROM ledger_accounts WHERE id = $1");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    ledger_result r = st == DB_ROW ? (strcmp(db_col_text(s, 0), currency) ? LEDGER_INVALID : LEDGER_OK)
                      : st == DB_DONE ? LEDGER_NOT_FOUND : LEDGER_STORE_ERROR;
    db_done(s);
    return r;
}

static ledger_result move_balances(db *d, const ledger_transfer *t)
{
    db_stmt *s = db_prepare(d,
        "UPDATE ledger_accounts SET balance_minor = balance_minor - $1"
        " WHERE id = $2 AND (may_go_negative = 1 OR balance_minor >= $1)");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, t->amount_minor);
    db_bind_int64(s, 2, t->debit_account_id);
    if (db_exec1(s) != DB_DONE)
        return LEDGER_STORE_ERROR;
    if (db_changes(d) != 1)
        return LEDGER_INSUFFICIENT_FUNDS;
    s = db_prepare(d, "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE id = $2");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, t->amount_minor);
    db_bind_int64(s, 2, t->credit_account_id);
    if (db_exec1(s) != DB_DONE || db_changes(d) != 1)
        return LEDGER_STORE_ERROR;
    return LEDGER_OK;
}

static ledger_result insert_transfer(db *d, const ledger_transfer *t, int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id,"
        " amount_minor, currency, kind, reference, reverses_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_text(s, 1, t->idempotency_key);
    db_bind_int64(s, 2, t->debit_account_id);
    db_bind_int64(s, 3, t->credit_account_id);
    db_bind_int64(s, 4, t->amount_minor);
    db_bind_text(s, 5, t->currency);
    db_bind_text(s, 6, t->kind);
    db_bind_text(s, 7, t->reference ? t->reference : "");
    if (t->reverses_id)
        db_bind_int64(s, 8, t->reverses_id);
    else
        db_bind_null(s, 8);
    db_bind_int64(s, 9, (int64_t)time(NULL));
    db_status st = db_step(s);
    ledger_result r = LEDGER_STORE_ERROR;
    if (st == DB_ROW) {
        *out_id = db_col_int64(s, 0);
        r = LEDGER_OK;
    } else if (st == DB_CONSTRAINT && t->reverses_id) {
        r = LEDGER_ALREADY_REVERSED;
    }
    db_done(s);
    return r;
}

/* Undoes move_balances when the insert fails, so the call writes nothing. */
static void unmove_balances(db *d, const ledger_transfer *t)
{
    db_stmt *s = db_prepare(d,
        "UPDATE ledger_accounts SET balance_minor = balance_minor + $1 WHERE id = $2");
    db_stmt *c;
    if (!s)
        return;
    db_bind_int64(s, 1, t->amount_minor);
    db_bind_int64(s, 2, t->debit_account_id);
    db_exec1(s);
    c = db_prepare(d, "UPDATE ledger_accounts SET balance_minor = balance_minor - $1 WHERE id = $2");
    if (!c)
        return;
    db_bind_int64(c, 1, t->amount_minor);
    db_bind_int64(c, 2, t->credit_account_id);
    db_exec1(c);
}

ledger_result ledger_post(db *d, const ledger_transfer *t, int64_t *out_id)
{
    assert(d && t && out_id);
    assert(db_in_tx(d));
    if (!transfer_shape_ok(t))
        return LEDGER_INVALID;
    ledger_result r = check_replay(d, t, out_id);
    if (r != LEDGER_OK)
        return r;
    if ((r = account_currency_is(d, t->debit_account_id, t->currency)) != LEDGER_OK ||
        (r = account_currency_is(d, t->credit_account_id, t->currency)) != LEDGER_OK)
        return r;
    if ((r = move_balances(d, t)) != LEDGER_OK)
        return r;
    r = insert_transfer(d, t, out_id);
    if (r != LEDGER_OK)
        unmove_balances(d, t);
    assert(r != LEDGER_OK || *out_id > 0);
    return r;
}

ledger_result ledger_post_tx(db *d, const ledger_transfer *t, int64_t *out_id)
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return LEDGER_STORE_ERROR;
    ledger_result r = ledger_post(d, t, out_id);
    if (r == LEDGER_OK) {
        if (db_commit(d) != DB_OK)
            r = LEDGER_STORE_ERROR;
    } else {
        db_rollback(d);
    }
    return r;
}
