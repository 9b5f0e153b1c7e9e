/* withdrawals.c - the life of a withdrawal: request (hold the money), cancel,
 * approve, reject, paid. Each step is one state change checked against the
 * current status, its ledger transfer, its audit entries and its mail, all in
 * the caller's transaction. The export lives in wd_export.c, reading in
 * wd_read.c. */
#include "feature/withdrawals/withdrawals.h"
#include "feature/withdrawals/wd_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"

/* Posts wallet -> withdrawals_payable for in. */
static wd_result hold(http_request *r, const wd_request_in *in, int64_t *transfer_id)
{
    int64_t wallet, payable;
    const char *cur = in->amount.cur->code;
    ledger_result lr = ledger_wallet(r->db, in->org_id, cur, false, &wallet);
    if (lr == LEDGER_NOT_FOUND)
        return WD_NO_WALLET;
    if (lr != LEDGER_OK || ledger_system_account(r->db, "withdrawals_payable", cur, &payable) != LEDGER_OK)
        return WD_STORE_ERROR;
    ledger_transfer t = {
        .debit_account_id = wallet,
        .credit_account_id = payable,
        .amount_minor = in->amount.minor,
        .currency = cur,
        .kind = "withdrawal",
        .reference = "",
        .idempotency_key = arena_printf(r->a, "withdrawal:user:%" PRId64 ":org:%" PRId64 ":%s", r->user_id,
                                        in->org_id, in->key),
    };
    switch (ledger_post(r->db, &t, transfer_id)) {
    case LEDGER_OK:
        return WD_OK;
    case LEDGER_INSUFFICIENT_FUNDS:
        return WD_INSUFFICIENT_FUNDS;
    case LEDGER_REPLAYED: /* idem_begin answers replays first: the key was used elsewhere */
    case LEDGER_KEY_CONFLICT:
        return WD_KEY_CONFLICT;
    default:
        return WD_STORE_ERROR;
    }
}

static bool insert_row(http_request *r, const wd_request_in *in, int64_t transfer_id, int64_t *out_id)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO withdrawals (org_id, user_id, currency, amount_minor, method, iban, holder, paypal_email,"
        " note, status, hold_transfer_id, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $11) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, in->org_id);
    db_bind_int64(s, 2, r->user_id);
    db_bind_text(s, 3, in->amount.cur->code);
    db_bind_int64(s, 4, in->amount.minor);
    db_bind_text(s, 5, in->method);
    db_bind_text(s, 6, in->iban);
    db_bind_text(s, 7, in->holder);
    db_bind_text(s, 8, in->paypal_email);
    db_bind_text(s, 9, in->note);
    db_bind_int64(s, 10, transfer_id);
    db_bind_int64(s, 11, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

wd_result wd_request(http_request *r, const wd_request_in *in, int64_t *out_id)
{
    assert(db_in_tx(r->db) && r->user_id > 0 && in->org_id > 0 && in->amount.minor > 0);
    assert(strcmp(in->method, "bank") == 0 ? *in->iban && *in->holder : *in->paypal_email != '\0');
    if (!strcmp(in->method, "bank") && strcmp(in->amount.cur->code, "EUR"))
        return WD_BANK_NOT_EUR; /* the export could never pay it */
    int64_t transfer_id;
    wd_result res = hold(r, in, &transfer_id);
    if (res != WD_OK)
        return res;
    if (!insert_row(r, in, transfer_id, out_id))
        return WD_STORE_ERROR;
    wd_row w;
    if (wd_get(r, in->org_id, *out_id, &w) != 1 || !wd_audit(r, &w, "withdrawal.requested", NULL, NULL) ||
        !wd_mail(r, &w, "withdrawal_requested"))
        return WD_STORE_ERROR;
    return WD_OK;
}

/* Moves w from status from to to: WD_WRONG_STATUS when it was not in from any
 * more (decided meanwhile by someone else). */
static wd_result set_status(http_request *r, const wd_row *w, const char *from, const char *to)
{
    db_stmt *s = db_prepare(r->db,
        "UPDATE withdrawals SET status = $1, updated_at = $2, decided_by = CASE WHEN CAST($3 AS BIGINT) = 0"
        " THEN decided_by ELSE $3 END WHERE id = $4 AND status = $5");
    if (!s)
        return WD_STORE_ERROR;
    db_bind_text(s, 1, to);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, r->staff_id);
    db_bind_int64(s, 4, w->id);
    db_bind_text(s, 5, from);
    if (db_exec1(s) != DB_DONE)
        return WD_STORE_ERROR;
    return db_changes(r->db) == 1 ? WD_OK : WD_WRONG_STATUS;
}

/* Reverses the hold of w and records the reversal. */
static wd_result release(http_request *r, const wd_row *w)
{
    int64_t rev;
    const char *key = arena_printf(r->a, "withdrawal:%" PRId64 ":release", w->id);
    if (ledger_reverse(r->db, w->hold_transfer_id, key, &rev) != LEDGER_OK)
        return WD_STORE_ERROR; /* the payable account may go negative: only a store error can fail */
    db_stmt *s = db_prepare(r->db, "UPDATE withdrawals SET release_transfer_id = $1 WHERE id = $2");
    if (!s)
        return WD_STORE_ERROR;
    db_bind_int64(s, 1, rev);
    db_bind_int64(s, 2, w->id);
    return db_exec1(s) == DB_DONE ? WD_OK : WD_STORE_ERROR;
}

/* Reads id (of org_id, 0 = any) and checks it is in status want. */
static wd_result load(http_request *r, int64_t org_id, int64_t id, const char *want, wd_row *w)
{
    int found = wd_get(r, org_id, id, w);
    if (found < 0)
        return WD_STORE_ERROR;
    if (found == 0)
        return WD_NOT_FOUND;
    return strcmp(w->status, want) == 0 ? WD_OK : WD_WRONG_STATUS;
}

wd_result wd_cancel(http_request *r, int64_t org_id, int64_t id)
{
    assert(db_in_tx(r->db) && org_id > 0 && r->user_id > 0);
    wd_row w;
    wd_result res = load(r, org_id, id, "pending", &w);
    if (res != WD_OK)
        return res;
    if ((res = set_status(r, &w, "pending", "cancelled")) != WD_OK || (res = release(r, &w)) != WD_OK)
        return res;
    return wd_audit(r, &w, "withdrawal.cancelled", NULL, NULL) ? WD_OK : WD_STORE_ERROR;
}

wd_result wd_approve(http_request *r, int64_t id)
{
    assert(db_in_tx(r->db) && r->staff_id > 0);
    wd_row w;
    wd_result res = load(r, 0, id, "pending", &w);
    if (res != WD_OK)
        return res;
    if ((res = set_status(r, &w, "pending", "approved")) != WD_OK)
        return res;
    if (!wd_audit(r, &w, "withdrawal.approved", NULL, NULL) || !wd_mail(r, &w, "withdrawal_approved"))
        return WD_STORE_ERROR;
    return WD_OK;
}

wd_result wd_reject(http_request *r, int64_t id, const char *reason)
{
    assert(db_in_tx(r->db) && r->staff_id > 0 && *reason);
    wd_row w;
    wd_result res = load(r, 0, id, "pending", &w);
    if (res != WD_OK)
        return res;
    if ((res = set_status(r, &w, "pending", "rejected")) != WD_OK)
        return res;
    db_stmt *s = db_prepare(r->db, "UPDATE withdrawals SET reason = $1 WHERE id = $2");
    if (!s)
        return WD_STORE_ERROR;
    db_bind_text(s, 1, reason);
    db_bind_int64(s, 2, w.id);
    if (db_exec1(s) != DB_DONE || (res = release(r, &w)) != WD_OK)
        return res == WD_OK ? WD_STORE_ERROR : res;
    w.reason = reason;
    if (!wd_audit(r, &w, "withdrawal.rejected", "reason", reason) || !wd_mail(r, &w, "withdrawal_rejected"))
        return WD_STORE_ERROR;
    return WD_OK;
}

wd_result wd_paid(http_request *r, int64_t id, const char *txn)
{
    assert(db_in_tx(r->db) && r->staff_id > 0 && *txn);
    wd_row w;
    wd_result res = load(r, 0, id, "approved", &w);
    if (res != WD_OK)
        return res;
    if (strcmp(w.method, "paypal") != 0)
        return WD_WRONG_STATUS; /* bank withdrawals leave through an export */
    int64_t transfer_id;
    if ((res = set_status(r, &w, "approved", "paid")) != WD_OK)
        return res;
    if (!wd_payout(r, &w, "paypal", &transfer_id))
        return WD_STORE_ERROR;
    db_stmt *s = db_prepare(r->db, "UPDATE withdrawals SET paypal_txn = $1, payout_transfer_id = $2 WHERE id = $3");
    if (!s)
        return WD_STORE_ERROR;
    db_bind_text(s, 1, txn);
    db_bind_int64(s, 2, transfer_id);
    db_bind_int64(s, 3, w.id);
    if (db_exec1(s) != DB_DONE)
        return WD_STORE_ERROR;
    return wd_audit(r, &w, "withdrawal.paid", "paypal_transaction", txn) ? WD_OK : WD_STORE_ERROR;
}

bool wd_payout(http_request *r, const wd_row *w, const char *to_code, int64_t *transfer_id)
{
    int64_t payable, out;
    if (ledger_system_account(r->db, "withdrawals_payable", w->currency, &payable) != LEDGER_OK ||
        ledger_system_account(r->db, to_code, w->currency, &out) != LEDGER_OK)
        return false;
    ledger_transfer t = {
        .debit_account_id = payable,
        .credit_account_id = out,
        .amount_minor = w->amount_minor,
        .currency = w->currency,
        .kind = "withdrawal_payout",
        .reference = arena_printf(r->a, "withdrawal:%" PRId64, w->id),
        .idempotency_key = arena_printf(r->a, "withdrawal:%" PRId64 ":payout", w->id),
    };
    return ledger_post(r->db, &t, transfer_id) == LEDGER_OK;
}

bool wd_audit(http_request *r, const wd_row *w, const char *action, const char *key, const char *text)
{
    json_t *detail = json_pack("{s:I, s:o, s:s}", "withdrawal_id", (json_int_t)w->id, "amount",
                               jout_money(money_make(w->amount_minor, currency_find(w->currency)), "en"),
                               "method", w->method);
    if (key)
        json_object_set_new(detail, key, json_string(text));
    char *s = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    assert(s); /* out of memory */
    bool ok = org_audit_record(r->db, w->org_id, r->staff_id ? 0 : r->user_id, action, s,
                               r->staff_id ? NULL : r->client_ip) &&
              (!r->staff_id || staff_audit(r->db, r->staff_id, action, "org", w->org_id, s, r->client_ip));
    free(s);
    return ok;
}
