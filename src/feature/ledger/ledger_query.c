/* ledger_query.c - see ledger_query.h. */
#include "feature/ledger/ledger_query.h"

#include <assert.h>
#include <stdio.h>

int ledger_org_wallets(db *d, int64_t org_id, ledger_wallet_row *rows, size_t max)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, currency, balance_minor FROM ledger_accounts"
        " WHERE org_id = $1 AND code = 'wallet' ORDER BY currency");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    size_t n = 0;
    db_status st;
    while (n < max && (st = db_step(s)) == DB_ROW) {
        rows[n].account_id = db_col_int64(s, 0);
        snprintf(rows[n].currency, sizeof rows[n].currency, "%s", db_col_text(s, 1));
        rows[n].balance_minor = db_col_int64(s, 2);
        assert(rows[n].balance_minor >= 0);
        n++;
    }
    db_done(s);
    return (int)n;
}

int ledger_org_lines(db *d, int64_t org_id, int64_t before_id, size_t limit, ledger_line *rows)
{
    assert(limit <= LEDGER_PAGE_MAX);
    db_stmt *s = db_prepare(d,
        "SELECT id, created_at, currency, amount, kind, reference FROM ("
        " SELECT t.id, t.created_at, t.currency, t.amount_minor AS amount, t.kind, t.reference"
        "  FROM ledger_transfers t WHERE t.id < $1 AND t.credit_account_id IN"
        "  (SELECT id FROM ledger_accounts WHERE org_id = $2 AND code = 'wallet')"
        " UNION ALL"
        " SELECT t.id, t.created_at, t.currency, -t.amount_minor, t.kind, t.reference"
        "  FROM ledger_transfers t WHERE t.id < $1 AND t.debit_account_id IN"
        "  (SELECT id FROM ledger_accounts WHERE org_id = $2 AND code = 'wallet')"
        ") AS lines ORDER BY id DESC LIMIT $3");
    if (!s)
        return -1;
    db_bind_int64(s, 1, before_id > 0 ? before_id : INT64_MAX);
    db_bind_int64(s, 2, org_id);
    db_bind_int64(s, 3, (int64_t)limit);
    size_t n = 0;
    db_status st;
    while (n < limit && (st = db_step(s)) == DB_ROW) {
        ledger_line *l = &rows[n++];
        l->transfer_id = db_col_int64(s, 0);
        l->created_at = db_col_int64(s, 1);
        snprintf(l->currency, sizeof l->currency, "%s", db_col_text(s, 2));
        l->amount_minor = db_col_int64(s, 3);
        snprintf(l->kind, sizeof l->kind, "%s", db_col_text(s, 4));
        snprintf(l->reference, sizeof l->reference, "%s", db_col_text(s, 5));
    }
    db_done(s);
    return (int)n;
}
