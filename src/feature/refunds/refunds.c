/* refunds.c - the request of a refund (what may be refunded, the hold), the
 * customer's cancel and the staff's rejection. Approval and sending live in
 * rf_approve.c, the shared steps (status, release, payout, audit) in
 * rf_steps.c, reading in rf_read.c. */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/iban.h"
#include "feature/bank/bank.h"
#include "feature/ledger/ledger.h"
#include "feature/payments/payments.h"

/* What a request names, resolved. */
typedef struct rf_source {
    const char *method;
    money amount;
    const char *gateway_payment_id; /* "" for a bank transfer */
    char creditor_iban[IBAN_SIZE];  /* "" for a gateway payment */
    const char *creditor_name;
} rf_source;

static rf_result gateway_source(http_request *r, const rf_request_in *in, rf_source *out)
{
    payment *p = arena_alloc(r->a, sizeof *p);
    int found = payment_get(r->db, in->source_id, p);
    if (found < 0)
        return RF_STORE_ERROR;
    if (found == 0 || p->org_id != in->org_id || strcmp(p->status, "succeeded") ||
        !strcmp(p->method, "bank_transfer") || !p->gateway_id[0])
        return RF_NO_SUCH_PAYMENT;
    if (!strcmp(p->method, "crypto"))
        return RF_CRYPTO;
    *out = (rf_source){.method = arena_strdup(r->a, p->method), .amount = p->amount,
                       .gateway_payment_id = p->gateway_id, .creditor_name = ""};
    return RF_OK;
}

static rf_result bank_source(http_request *r, const rf_request_in *in, rf_source *out)
{
    bank_credit c;
    const char *why;
    int found = bank_credit_get(r->db, r->a, in->org_id, in->source_id, &c);
    if (found <= 0)
        return found < 0 ? RF_STORE_ERROR : RF_NO_SUCH_PAYMENT;
    if (strcmp(c.currency, "EUR"))
        return RF_NOT_EUR; /* the export could never pay it */
    *out = (rf_source){.method = "bank_transfer", .amount = money_make(c.amount_minor, currency_find(c.currency)),
                       .gateway_payment_id = "", .creditor_name = c.debtor_name};
    if (!*c.debtor_name || !iban_validate(c.debtor_iban, out->creditor_iban, sizeof out->creditor_iban, &why))
        return RF_NO_DEBTOR;
    return RF_OK;
}

/* Posts wallet -> refunds_payable for in. In PostgreSQL this also locks the
 * wallet's row until the commit, so the sum of the refunds of the payment
 * read after it cannot change under us (every refund of a payment debits the
 * same wallet); SQLite has one writer at a time. */
static rf_result hold(http_request *r, const rf_request_in *in, int64_t *transfer_id)
{
    int64_t wallet, payable;
    const char *cur = in->amount.cur->code;
    ledger_result lr = ledger_wallet(r->db, in->org_id, cur, false, &wallet);
    if (lr == LEDGER_NOT_FOUND)
        return RF_INSUFFICIENT_FUNDS;
    if (lr != LEDGER_OK || ledger_system_account(r->db, "refunds_payable", cur, &payable) != LEDGER_OK)
        return RF_STORE_ERROR;
    ledger_transfer t = {
        .debit_account_id = wallet,
        .credit_account_id = payable,
        .amount_minor = in->amount.minor,
        .currency = cur,
        .kind = "refund",
        .reference = arena_printf(r->a, "%s:%" PRId64, in->source, in->source_id),
        .idempotency_key = arena_printf(r->a, "refund:user:%" PRId64 ":org:%" PRId64 ":%s", r->user_id, in->org_id,
                                        in->key),
    };
    switch (ledger_post(r->db, &t, transfer_id)) {
    case LEDGER_OK:
        return RF_OK;
    case LEDGER_INSUFFICIENT_FUNDS:
        return RF_INSUFFICIENT_FUNDS;
    case LEDGER_REPLAYED: /* idem_begin answers replays first: the key was used elsewhere */
    case LEDGER_KEY_CONFLICT:
        return RF_KEY_CONFLICT;
    default:
        return RF_STORE_ERROR;
    }
}

static bool insert_row(http_request *r, const rf_request_in *in, const rf_source *src, int64_t transfer_id,
                       int64_t *out_id)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO refund_requests (org_id, user_id, source, source_id, method, currency, amount_minor, reason,"
        " status, gateway_payment_id, creditor_iban, creditor_name, hold_transfer_id, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10, $11, $12, $13, $13) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, in->org_id);
    db_bind_int64(s, 2, r->user_id);
    db_bind_text(s, 3, in->source);
    db_bind_int64(s, 4, in->source_id);
    db_bind_text(s, 5, src->method);
    db_bind_text(s, 6, in->amount.cur->code);
    db_bind_int64(s, 7, in->amount.minor);
    db_bind_text(s, 8, in->reason);
    db_bind_text(s, 9, src->gateway_payment_id);
    db_bind_text(s, 10, src->creditor_iban);
    db_bind_text(s, 11, src->creditor_name);
    db_bind_int64(s, 12, transfer_id);
    db_bind_int64(s, 13, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

rf_result rf_request(http_request *r, const rf_request_in *in, int64_t *out_id)
{
    assert(db_in_tx(r->db) && r->user_id > 0 && in->org_id > 0 && in->amount.minor > 0 && in->key);
    rf_source src;
    rf_result res = !strcmp(in->source, "payment") ? gateway_source(r, in, &src) : bank_source(r, in, &src);
    if (res != RF_OK)
        return res;
    if (src.amount.cur != in->amount.cur)
        return RF_CURRENCY_MISMATCH;
    if (in->amount.minor > src.amount.minor)
        return RF_TOO_LARGE;
    int64_t transfer_id;
    if ((res = hold(r, in, &transfer_id)) != RF_OK)
        return res;
    int64_t taken = rf_taken(r, in->source, in->source_id); /* read after the hold: see hold() */
    if (taken < 0)
        return RF_STORE_ERROR;
    if (taken + in->amount.minor > src.amount.minor)
        return RF_TOO_LARGE;
    if (!insert_row(r, in, &src, transfer_id, out_id))
        return RF_STORE_ERROR;
    rf_row f;
    if (rf_get(r, in->org_id, *out_id, &f) != 1 || !rf_audit(r, &f, "refund.requested", NULL, NULL) ||
        !rf_mail(r, &f, "refund_requested"))
        return RF_STORE_ERROR;
    return RF_OK;
}

/* Reads id (of org_id, 0 = any) and checks it is in status want. */
static rf_result load(http_request *r, int64_t org_id, int64_t id, const char *want, rf_row *f)
{
    int found = rf_get(r, org_id, id, f);
    if (found < 0)
        return RF_STORE_ERROR;
    if (found == 0)
        return RF_NOT_FOUND;
    return strcmp(f->status, want) == 0 ? RF_OK : RF_WRONG_STATUS;
}

rf_result rf_cancel(http_request *r, int64_t org_id, int64_t id)
{
    assert(db_in_tx(r->db) && org_id > 0 && r->user_id > 0);
    rf_row f;
    rf_result res = load(r, org_id, id, "requested", &f);
    if (res != RF_OK)
        return res;
    if ((res = rf_set_status(r, &f, "requested", "cancelled")) != RF_OK)
        return res;
    return rf_release(r, &f) && rf_audit(r, &f, "refund.cancelled", NULL, NULL) && rf_mail(r, &f, "refund_cancelled")
               ? RF_OK
               : RF_STORE_ERROR;
}

rf_result rf_reject(http_request *r, int64_t id, const char *reason)
{
    assert(db_in_tx(r->db) && r->staff_id > 0 && *reason);
    rf_row f;
    rf_result res = load(r, 0, id, "requested", &f);
    if (res != RF_OK)
        return res;
    if ((res = rf_set_status(r, &f, "requested", "rejected")) != RF_OK)
        return res;
    db_stmt *s = db_prepare(r->db, "UPDATE refund_requests SET rejection_reason = $1 WHERE id = $2");
    if (!s)
        return RF_STORE_ERROR;
    db_bind_text(s, 1, reason);
    db_bind_int64(s, 2, f.id);
    if (db_exec1(s) != DB_DONE || !rf_release(r, &f))
        return RF_STORE_ERROR;
    f.rejection_reason = reason;
    return rf_audit(r, &f, "refund.rejected", "reason", reason) && rf_mail(r, &f, "refund_rejected")
               ? RF_OK
               : RF_STORE_ERROR;
}
