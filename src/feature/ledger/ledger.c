/* ledger.c - posting transfers (see ledger.h).
 *
 * ledger_post is three statements in the common case: a guarded UPDATE debits
 * (only an account of the transfer's currency, and never a wallet below zero),
 * an UPDATE credits (same currency check), and the immutable transfer row goes
 * in with ON CONFLICT (idempotency_key) DO NOTHING. When any of them changes
 * nothing, what moved is given back and a few more queries find the precise
 * reason (replay, key conflict, unknown account, wrong currency, funds), so the
 * caller sees the same results as if everything had been checked up front.
 * Callers hold a write transaction, so the check and the posting are atomic
 * and nobody sees a balance moved and given back. */
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

/* The slow path, taken only once the fast path has changed nothing (or has
 * been undone): why t cannot be posted, in the order the contract ranks the
 * reasons. A replay wins over everything; then an unknown or wrong-currency
 * debit account, the same for the credit account; what is left is that the
 * debit account may not go below zero. */
static ledger_result diagnose(db *d, const ledger_transfer *t, int64_t *out_id)
{
    ledger_result r = check_replay(d, t, out_id);
    if (r != LEDGER_OK)
        return r;
    if ((r = account_currency_is(d, t->debit_account_id, t->currency)) != LEDGER_OK ||
        (r = account_currency_is(d, t->credit_account_id, t->currency)) != LEDGER_OK)
        return r;
    return LEDGER_INSUFFICIENT_FUNDS;
}

/* Adds delta to the balance of account id if it holds currency and, for a
 * negative delta, if it may go negative or holds at least -delta. Sets
 * *changed to whether the row was updated. */
static bool add_to_balance(db *d, int64_t id, const char *currency, int64_t delta, bool *changed)
{
    assert(delta != 0 && delta >= -LEDGER_AMOUNT_MAX && delta <= LEDGER_AMOUNT_MAX);
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d,
        "UPDATE ledger_accounts SET balance_minor = balance_minor + CAST($1 AS BIGINT) WHERE id = $2 AND currency = $3"
        " AND (CAST($1 AS BIGINT) >= 0 OR may_go_negative = 1 OR balance_minor >= -CAST($1 AS BIGINT))");
    if (!s)
        return false;
    db_bind_int64(s, 1, delta);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, currency);
    if (db_exec1(s) != DB_DONE)
        return false;
    *changed = db_changes(d) == 1;
    return true;
}

/* Gives back what the fast path moved: the credit first (when credited), then
 * the debit. Neither can be refused: each restores a balance that held. */
static bool undo_balances(db *d, const ledger_transfer *t, bool credited)
{
    bool changed = false;
    if (credited && (!add_to_balance(d, t->credit_account_id, t->currency, -t->amount_minor, &changed) ||
                     !changed))
        return false;
    return add_to_balance(d, t->debit_account_id, t->currency, t->amount_minor, &changed) && changed;
}

/* Inserts the transfer row unless its key exists already. LEDGER_OK with
 * *out_id set; LEDGER_REPLAYED when the key exists (the caller finds out how);
 * LEDGER_ALREADY_REVERSED when another transfer reversed reverses_id first.
 *
 * The new id comes from db_changes + db_last_id rather than RETURNING: on
 * SQLite a RETURNING clause builds a temporary table on every execution, about
 * 4 us of a 10 us posting on the bench machine (see docs/PERFORMANCE.md). */
static ledger_result insert_transfer(db *d, const ledger_transfer *t, int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO ledger_transfers (idempotency_key, debit_account_id, credit_account_id,"
        " amount_minor, currency, kind, reference, reverses_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (idempotency_key) DO NOTHING");
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
    db_status st = db_exec1(s);
    if (st == DB_DONE && db_changes(d) == 1) {
        *out_id = db_last_id(d);
        assert(*out_id > 0);
        return LEDGER_OK;
    }
    if (st == DB_DONE)
        return LEDGER_REPLAYED;
    return st == DB_CONSTRAINT && t->reverses_id ? LEDGER_ALREADY_REVERSED : LEDGER_STORE_ERROR;
}

/* The common case in three statements: debit with a guard (right currency,
 * enough funds unless the account may go negative), credit (right currency),
 * insert the transfer unless its key exists. Anything unusual is undone and
 * handed to diagnose(), so every outcome is the one the contract names and
 * only LEDGER_OK leaves a trace. */
/* A reversal of a transfer already reversed is found before anything is
 * written: on PostgreSQL a failed statement would abort the caller's whole
 * transaction, so the UNIQUE constraint on reverses_id is only the backstop
 * for two reversals racing. A replay (same key, same transfer) ranks first. */
static ledger_result reversal_taken(db *d, const ledger_transfer *t, int64_t *out_id)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM ledger_transfers WHERE reverses_id = $1");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, t->reverses_id);
    db_status st = db_step(s);
    db_done(s);
    if (st == DB_DONE)
        return LEDGER_OK;
    if (st != DB_ROW)
        return LEDGER_STORE_ERROR;
    ledger_result replay = check_replay(d, t, out_id);
    return replay == LEDGER_OK ? LEDGER_ALREADY_REVERSED : replay;
}

ledger_result ledger_post(db *d, const ledger_transfer *t, int64_t *out_id)
{
    assert(d && t && out_id);
    assert(db_in_tx(d));
    if (!transfer_shape_ok(t))
        return LEDGER_INVALID;
    if (t->reverses_id) {
        ledger_result taken = reversal_taken(d, t, out_id);
        if (taken != LEDGER_OK)
            return taken;
    }
    bool debited = false, credited = false;
    if (!add_to_balance(d, t->debit_account_id, t->currency, -t->amount_minor, &debited))
        return LEDGER_STORE_ERROR;
    if (!debited)
        return diagnose(d, t, out_id); /* nothing was written */
    if (!add_to_balance(d, t->credit_account_id, t->currency, t->amount_minor, &credited)) {
        undo_balances(d, t, false);
        return LEDGER_STORE_ERROR;
    }
    /* Not credited: the credit account is unknown or holds another currency. */
    ledger_result r = credited ? insert_transfer(d, t, out_id) : LEDGER_NOT_FOUND;
    if (r == LEDGER_OK) {
        assert(*out_id > 0);
        return LEDGER_OK;
    }
    /* A replay, or a refusal: give back what moved, then say which. */
    if (!undo_balances(d, t, credited))
        return LEDGER_STORE_ERROR;
    if (r == LEDGER_STORE_ERROR)
        return r;
    if (r == LEDGER_ALREADY_REVERSED) {
        /* The key may exist too (a replayed reversal): the replay ranks first. */
        ledger_result replay = check_replay(d, t, out_id);
        return replay == LEDGER_OK ? LEDGER_ALREADY_REVERSED : replay;
    }
    return diagnose(d, t, out_id);
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
