/* rf_export.c - the bank refunds' part of a credit-transfer export: the
 * withdrawals feature writes one pain.001 file per currency (wd_export.c) and
 * asks here for the approved bank refunds to add to it, then tells each one
 * it left, in its own transaction. */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <time.h>

#include "app.h"

int rf_export_waiting(http_request *r, const char *code, rf_credit_transfer *out, int max)
{
    assert(db_in_tx(r->db) && max > 0);
    db_stmt *s = db_prepare(r->db,
        "SELECT id, amount_minor, creditor_name, creditor_iban FROM refund_requests WHERE status = 'approved'"
        " AND source = 'bank_transfer' AND currency = $1 AND export_id IS NULL ORDER BY id LIMIT $2");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_bind_int64(s, 2, max);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        const char *ref = arena_printf(r->a, "SALDO-R-%" PRId64, id);
        out[n++] = (rf_credit_transfer){
            .id = id,
            .amount_minor = db_col_int64(s, 1),
            .end_to_end_id = ref,
            .creditor_name = arena_strdup(r->a, db_col_text(s, 2)),
            .creditor_iban = arena_strdup(r->a, db_col_text(s, 3)),
            .remittance = arena_printf(r->a, "%s refund", ref),
        };
    }
    db_done(s);
    return st == DB_DONE ? n : -1;
}

bool rf_export_done(http_request *r, const rf_credit_transfer *t, int64_t export_id)
{
    assert(db_in_tx(r->db) && export_id > 0);
    rf_row f;
    int64_t transfer_id;
    if (rf_get(r, 0, t->id, &f) != 1)
        return false;
    db_stmt *s = db_prepare(r->db,
        "UPDATE refund_requests SET status = 'paid', export_id = $1, updated_at = $2"
        " WHERE id = $3 AND status = 'approved' AND export_id IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, export_id);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, t->id);
    if (db_exec1(s) != DB_DONE || db_changes(r->db) != 1)
        return false; /* decided meanwhile: the caller rolls back */
    const char *bank = arena_printf(r->a, "bank:%s", r->app->cfg->provider.iban);
    return rf_payout(r, &f, bank, &transfer_id) && rf_audit(r, &f, "refund.paid", NULL, NULL) &&
           rf_mail(r, &f, "refund_paid");
}
