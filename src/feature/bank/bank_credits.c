/* bank_credits.c - the statement credits that went to an organization's
 * wallet, with their debtor, for the refunds feature (a bank refund goes back
 * to the account the transfer came from). */
#include "feature/bank/bank.h"

#include <assert.h>

#define BANK_CREDIT_COLUMNS                                                                                    \
    "SELECT id, org_id, imported_at, amount_minor, currency, booking_date, debtor_name, debtor_iban"          \
    " FROM bank_entries WHERE status = 'credited' AND credit = 1 AND org_id = $1"

static void read_credit(db_stmt *s, arena *a, bank_credit *out)
{
    *out = (bank_credit){
        .id = db_col_int64(s, 0),
        .org_id = db_col_int64(s, 1),
        .imported_at = db_col_int64(s, 2),
        .amount_minor = db_col_int64(s, 3),
        .currency = arena_strdup(a, db_col_text(s, 4)),
        .booking_date = arena_strdup(a, db_col_text(s, 5)),
        .debtor_name = arena_strdup(a, db_col_text(s, 6)),
        .debtor_iban = arena_strdup(a, db_col_text(s, 7)),
    };
}

int bank_credit_get(db *d, arena *a, int64_t org_id, int64_t entry_id, bank_credit *out)
{
    assert(org_id > 0);
    db_stmt *s = db_prepare(d, BANK_CREDIT_COLUMNS " AND id = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, entry_id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        read_credit(s, a, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int bank_credits_of(db *d, arena *a, int64_t org_id, bank_credit *out, size_t max)
{
    assert(org_id > 0 && max > 0 && max <= BANK_CREDITS_MAX);
    db_stmt *s = db_prepare(d, BANK_CREDIT_COLUMNS " ORDER BY id DESC LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, (int64_t)max);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW)
        read_credit(s, a, &out[n++]);
    db_done(s);
    return st == DB_DONE ? n : -1;
}
