/* ledger_verify.c - `saldo ledger verify`: recompute everything from the transfers. */
#include "feature/ledger/ledger.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

static int check_accounts(db *d, FILE *out, int64_t *accounts)
{
    db_stmt *s = db_prepare(d,
        "SELECT a.id, a.code, COALESCE(a.org_id, 0), a.currency, a.balance_minor, a.may_go_negative,"
        " COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE credit_account_id = a.id), 0)"
        " - COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE debit_account_id = a.id), 0)"
        " FROM ledger_accounts a ORDER BY a.id");
    if (!s)
        return -1;
    int problems = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0), stored = db_col_int64(s, 4), computed = db_col_int64(s, 6);
        const char *code = db_col_text(s, 1), *cur = db_col_text(s, 3);
        int64_t org = db_col_int64(s, 2);
        (*accounts)++;
        if (stored != computed) {
            fprintf(out, "account %" PRId64 " (%s org %" PRId64 " %s): stored balance %" PRId64
                    " but transfers give %" PRId64 "\n", id, code, org, cur, stored, computed);
            problems++;
        }
        if (!db_col_int64(s, 5) && computed < 0) {
            fprintf(out, "account %" PRId64 " (%s org %" PRId64 " %s): negative balance %" PRId64 "\n",
                    id, code, org, cur, computed);
            problems++;
        }
    }
    db_done(s);
    return st == DB_DONE ? problems : -1;
}

static int check_transfers(db *d, FILE *out, int64_t *transfers)
{
    db_stmt *s = db_prepare(d,
        "SELECT t.id, t.currency, da.currency, ca.currency, t.amount_minor,"
        " COALESCE(r.id, 0), r.debit_account_id = t.credit_account_id"
        "   AND r.credit_account_id = t.debit_account_id AND r.amount_minor = t.amount_minor"
        " FROM ledger_transfers t"
        " JOIN ledger_accounts da ON da.id = t.debit_account_id"
        " JOIN ledger_accounts ca ON ca.id = t.credit_account_id"
        " LEFT JOIN ledger_transfers r ON r.id = t.reverses_id ORDER BY t.id");
    if (!s)
        return -1;
    int problems = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        (*transfers)++;
        if (strcmp(db_col_text(s, 1), db_col_text(s, 2)) || strcmp(db_col_text(s, 1), db_col_text(s, 3))) {
            fprintf(out, "transfer %" PRId64 ": currency %s differs from its accounts' (%s, %s)\n", id,
                    db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3));
            problems++;
        }
        if (db_col_int64(s, 5) && !db_col_int64(s, 6)) {
            fprintf(out, "transfer %" PRId64 ": does not mirror the transfer %" PRId64 " it reverses\n",
                    id, db_col_int64(s, 5));
            problems++;
        }
    }
    db_done(s);
    return st == DB_DONE ? problems : -1;
}

static int check_currencies(db *d, FILE *out, int64_t *currencies)
{
    db_stmt *s = db_prepare(d,
        "SELECT currency, SUM(balance_minor) FROM ledger_accounts GROUP BY currency ORDER BY currency");
    if (!s)
        return -1;
    int problems = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        (*currencies)++;
        if (db_col_int64(s, 1) != 0) {
            fprintf(out, "currency %s: balances sum to %" PRId64 ", not 0 (debits differ from credits)\n",
                    db_col_text(s, 0), db_col_int64(s, 1));
            problems++;
        }
    }
    db_done(s);
    return st == DB_DONE ? problems : -1;
}

int ledger_verify(db *d, FILE *out)
{
    assert(d && out);
    if (db_begin(d, DB_TX_READ) != DB_OK)
        return -1;
    int64_t accounts = 0, transfers = 0, currencies = 0;
    int a = check_accounts(d, out, &accounts);
    int t = a < 0 ? -1 : check_transfers(d, out, &transfers);
    int c = t < 0 ? -1 : check_currencies(d, out, &currencies);
    db_rollback(d);
    if (a < 0 || t < 0 || c < 0) {
        fprintf(out, "ledger: cannot read the store: %s\n", db_errmsg(d));
        return -1;
    }
    int problems = a + t + c;
    fprintf(out, "ledger: %" PRId64 " accounts, %" PRId64 " transfers, %" PRId64 " currencies: %s\n",
            accounts, transfers, currencies, problems ? "PROBLEMS FOUND" : "ok");
    return problems;
}
