/* rf_steps.c - the steps every change of a refund is made of: the guarded
 * status change, the release and the payout of its money, the audit entries.
 * All inside the caller's write transaction. */
#include "feature/refunds/rf_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"

int64_t rf_taken(http_request *r, const char *source, int64_t source_id)
{
    db_stmt *s = db_prepare(r->db, "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM refund_requests"
                                   " WHERE source = $1 AND source_id = $2 AND status IN ('requested', 'approved', 'paid')");
    if (!s)
        return -1;
    db_bind_text(s, 1, source);
    db_bind_int64(s, 2, source_id);
    int64_t sum = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return sum;
}

rf_result rf_set_status(http_request *r, const rf_row *f, const char *from, const char *to)
{
    assert(db_in_tx(r->db));
    db_stmt *s = db_prepare(r->db,
        "UPDATE refund_requests SET status = $1, updated_at = $2, staff_id = CASE WHEN CAST($3 AS BIGINT) = 0"
        " THEN staff_id ELSE $3 END WHERE id = $4 AND status = $5");
    if (!s)
        return RF_STORE_ERROR;
    db_bind_text(s, 1, to);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, r->staff_id);
    db_bind_int64(s, 4, f->id);
    db_bind_text(s, 5, from);
    if (db_exec1(s) != DB_DONE)
        return RF_STORE_ERROR;
    return db_changes(r->db) == 1 ? RF_OK : RF_WRONG_STATUS;
}

bool rf_release(http_request *r, const rf_row *f)
{
    int64_t rev;
    const char *key = arena_printf(r->a, "refund:%" PRId64 ":release", f->id);
    if (ledger_reverse(r->db, f->hold_transfer_id, key, &rev) != LEDGER_OK)
        return false; /* the payable account may go negative: only a store error can fail */
    db_stmt *s = db_prepare(r->db, "UPDATE refund_requests SET release_transfer_id = $1 WHERE id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, rev);
    db_bind_int64(s, 2, f->id);
    return db_exec1(s) == DB_DONE;
}

bool rf_payout(http_request *r, const rf_row *f, const char *to_code, int64_t *transfer_id)
{
    int64_t payable, out;
    if (ledger_system_account(r->db, "refunds_payable", f->currency, &payable) != LEDGER_OK ||
        ledger_system_account(r->db, to_code, f->currency, &out) != LEDGER_OK)
        return false;
    ledger_transfer t = {
        .debit_account_id = payable,
        .credit_account_id = out,
        .amount_minor = f->amount_minor,
        .currency = f->currency,
        .kind = "refund_payout",
        .reference = arena_printf(r->a, "refund:%" PRId64, f->id),
        .idempotency_key = arena_printf(r->a, "refund:%" PRId64 ":payout", f->id),
    };
    if (ledger_post(r->db, &t, transfer_id) != LEDGER_OK)
        return false;
    db_stmt *s = db_prepare(r->db, "UPDATE refund_requests SET payout_transfer_id = $1 WHERE id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, *transfer_id);
    db_bind_int64(s, 2, f->id);
    return db_exec1(s) == DB_DONE;
}

bool rf_audit(http_request *r, const rf_row *f, const char *action, const char *key, const char *text)
{
    json_t *detail = json_pack("{s:I, s:o, s:s, s:s, s:I}", "refund_id", (json_int_t)f->id, "amount",
                               jout_money(money_make(f->amount_minor, currency_find(f->currency)), "en"),
                               "method", f->method, "source", f->source, "source_id", (json_int_t)f->source_id);
    if (key)
        json_object_set_new(detail, key, json_string(text));
    char *s = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    assert(s); /* out of memory */
    bool ok = org_audit_record(r->db, f->org_id, r->staff_id ? 0 : r->user_id, action, s,
                               r->staff_id ? NULL : r->client_ip) &&
              (!r->staff_id || staff_audit(r->db, r->staff_id, action, "org", f->org_id, s, r->client_ip));
    free(s);
    return ok;
}
