/* bank_queue.c - reading the staff queue of statement entries nobody's
 * reference matched (see bank.h); staff decide on them in the back office. */
#include "feature/bank/bank.h"

#include <assert.h>

int bank_queue(db *d, arena *a, bank_queued *out, size_t max)
{
    assert(max > 0 && max <= BANK_QUEUE_PAGE_MAX);
    db_stmt *s = db_prepare(d, "SELECT id, credit, currency, amount_minor, booking_date, remittance, debtor_name,"
                               " debtor_iban, account_iban, statement_id FROM bank_entries"
                               " WHERE status = 'unmatched' ORDER BY id LIMIT $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, (int64_t)max);
    size_t n = 0;
    db_status rc;
    while (n < max && (rc = db_step(s)) == DB_ROW)
        out[n++] = (bank_queued){
            .id = db_col_int64(s, 0),
            .credit = db_col_int64(s, 1) == 1,
            .currency = arena_strdup(a, db_col_text(s, 2)),
            .amount_minor = db_col_int64(s, 3),
            .booking_date = arena_strdup(a, db_col_text(s, 4)),
            .remittance = arena_strdup(a, db_col_text(s, 5)),
            .debtor_name = arena_strdup(a, db_col_text(s, 6)),
            .debtor_iban = arena_strdup(a, db_col_text(s, 7)),
            .account_iban = arena_strdup(a, db_col_text(s, 8)),
            .statement_id = arena_strdup(a, db_col_text(s, 9)),
        };
    db_done(s);
    return n < max && rc != DB_DONE ? -1 : (int)n;
}
