/* ledger_accounts.c - finding and creating ledger accounts, balances, reversals. */
#include "feature/ledger/ledger.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Looks an account up by (code, org, currency); 0 org means a system account. */
static ledger_result find_account(db *d, const char *code, int64_t org_id, const char *currency,
                                  int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT id FROM ledger_accounts WHERE code = $1 AND currency = $2"
        " AND COALESCE(org_id, 0) = $3");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_text(s, 1, code);
    db_bind_text(s, 2, currency);
    db_bind_int64(s, 3, org_id);
    db_status st = db_step(s);
    ledger_result r = st == DB_ROW ? LEDGER_OK : st == DB_DONE ? LEDGER_NOT_FOUND : LEDGER_STORE_ERROR;
    if (st == DB_ROW)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return r;
}

/* Creates the account, or finds the one a concurrent transaction has just
 * created: the insert does nothing on the unique (code, currency, org) index
 * (after waiting for that transaction on PostgreSQL), so neither store ever
 * fails the caller's transaction with a constraint error. */
static ledger_result create_account(db *d, const char *code, int64_t org_id, const char *currency,
                                    int64_t *out_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d,
        "INSERT INTO ledger_accounts (code, org_id, currency, may_go_negative, created_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_text(s, 1, code);
    if (org_id)
        db_bind_int64(s, 2, org_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, currency);
    db_bind_int64(s, 4, org_id ? 0 : 1);
    db_bind_int64(s, 5, (int64_t)time(NULL));
    db_status st = db_step(s);
    ledger_result r = st == DB_ROW ? LEDGER_OK : st == DB_CONSTRAINT ? LEDGER_INVALID : LEDGER_STORE_ERROR;
    if (st == DB_ROW)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return st == DB_DONE ? find_account(d, code, org_id, currency, out_id) : r;
}

static bool currency_ok(const char *c)
{
    return c && strlen(c) == 3 && strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
}

ledger_result ledger_wallet(db *d, int64_t org_id, const char *currency, bool create, int64_t *out_id)
{
    if (org_id <= 0 || !currency_ok(currency))
        return LEDGER_INVALID;
    ledger_result r = find_account(d, "wallet", org_id, currency, out_id);
    if (r == LEDGER_NOT_FOUND && create)
        r = create_account(d, "wallet", org_id, currency, out_id);
    return r;
}

ledger_result ledger_system_account(db *d, const char *code, const char *currency, int64_t *out_id)
{
    if (!code || !*code || !strcmp(code, "wallet") || !currency_ok(currency))
        return LEDGER_INVALID;
    ledger_result r = find_account(d, code, 0, currency, out_id);
    if (r == LEDGER_NOT_FOUND)
        r = create_account(d, code, 0, currency, out_id);
    return r;
}

ledger_result ledger_balance(db *d, int64_t account_id, int64_t *out_minor)
{
    db_stmt *s = db_prepare(d, "SELECT balance_minor FROM ledger_accounts WHERE id = $1");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, account_id);
    db_status st = db_step(s);
    ledger_result r = st == DB_ROW ? LEDGER_OK : st == DB_DONE ? LEDGER_NOT_FOUND : LEDGER_STORE_ERROR;
    if (st == DB_ROW)
        *out_minor = db_col_int64(s, 0);
    db_done(s);
    return r;
}

ledger_result ledger_reverse(db *d, int64_t transfer_id, const char *idempotency_key, int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT t.debit_account_id, t.credit_account_id, t.amount_minor, t.currency, t.reverses_id,"
        " r.idempotency_key FROM ledger_transfers t"
        " LEFT JOIN ledger_transfers r ON r.reverses_id = t.id WHERE t.id = $1");
    if (!s)
        return LEDGER_STORE_ERROR;
    db_bind_int64(s, 1, transfer_id);
    db_status st = db_step(s);
    if (st != DB_ROW) {
        db_done(s);
        return st == DB_DONE ? LEDGER_NOT_FOUND : LEDGER_STORE_ERROR;
    }
    char currency[4] = {0};
    char reference[40];
    snprintf(currency, sizeof currency, "%s", db_col_text(s, 3));
    snprintf(reference, sizeof reference, "transfer:%lld", (long long)transfer_id);
    ledger_transfer t = {
        .debit_account_id = db_col_int64(s, 1),
        .credit_account_id = db_col_int64(s, 0),
        .amount_minor = db_col_int64(s, 2),
        .currency = currency,
        .kind = "reversal",
        .reference = reference,
        .idempotency_key = idempotency_key,
        .reverses_id = transfer_id,
    };
    bool is_reversal = !db_col_is_null(s, 4);
    /* Reversed already, by another request than this one (a replay is fine). */
    bool reversed = !db_col_is_null(s, 5) && strcmp(db_col_text(s, 5), idempotency_key ? idempotency_key : "");
    db_done(s);
    if (is_reversal)
        return LEDGER_INVALID;
    if (reversed)
        return LEDGER_ALREADY_REVERSED;
    return ledger_post(d, &t, out_id);
}
