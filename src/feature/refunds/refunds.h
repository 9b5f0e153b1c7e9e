/* refunds.h - sending unused balance back through the method of an earlier
 * payment, with staff approval (the sibling of withdrawals.h).
 *
 * A refund request names one payment of the organization: a succeeded gateway
 * top-up (card, wallet, PayPal) or a bank-transfer credit read from a
 * statement. Its amount is checked in the write transaction: more than zero,
 * at most what is left of the payment (its amount minus the refunds of it
 * requested, approved or paid), at most the wallet's balance (what was spent
 * on services is not there). The amount leaves the wallet at once for the
 * system account "refunds_payable" (a "refund" transfer), so it cannot be
 * spent twice; a cancel (customer, while requested), a rejection (staff) or a
 * gateway refusal reverses that transfer.
 *
 * Approved gateway refunds are sent with POST /v1/refunds (Idempotency-Key
 * "refund:<id>") outside any transaction, then marked paid with the move
 * refunds_payable -> "gateway:<name>"; when the gateway does not answer the
 * refund stays approved and a retry finishes it exactly once. Approved bank
 * refunds join the next credit-transfer export (wd_export.c) together with
 * the bank withdrawals: the creditor is the debtor of the original transfer
 * and the money moves refunds_payable -> "bank:<provider IBAN>".
 *
 * Crypto payments are never refundable: the gateway cannot send coins back.
 *
 * Functions taking http_request run inside the caller's write transaction
 * unless said otherwise; on anything but RF_OK nothing was written by them and
 * the caller rolls back. */
#ifndef SALDO_REFUNDS_H
#define SALDO_REFUNDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "http/http.h"
#include "http/router.h"

enum {
    RF_REASON_MAX = 500,
    RF_LIST_MAX = 200,      /* rows a list answers, newest first */
    RF_EXPORT_MAX = 1000,   /* bank refunds one export takes */
};

typedef enum {
    RF_OK,
    RF_NO_SUCH_PAYMENT,     /* not a payment of the organization that can be refunded */
    RF_CRYPTO,              /* coins cannot be sent back */
    RF_NOT_EUR,             /* bank refunds are SEPA credit transfers: EUR only */
    RF_NO_DEBTOR,           /* the bank credit does not say who sent it */
    RF_CURRENCY_MISMATCH,   /* the amount is not in the payment's currency */
    RF_TOO_LARGE,           /* more than what is left of the payment */
    RF_INSUFFICIENT_FUNDS,  /* more than the balance (the rest was spent) */
    RF_KEY_CONFLICT,        /* the ledger key was used for another transfer */
    RF_NOT_FOUND,
    RF_WRONG_STATUS,
    RF_GATEWAY_UNAVAILABLE, /* approved, the gateway did not answer: retry */
    RF_STORE_ERROR,
} rf_result;

/* The payment a refund names: source "payment" (a gateway top-up, the id of
 * GET .../payments) or "bank_transfer" (a statement credit). */
typedef struct rf_request_in {
    int64_t org_id;
    const char *source;
    int64_t source_id;
    money amount;
    const char *reason;     /* 0..RF_REASON_MAX bytes */
    const char *key;        /* the request's Idempotency-Key */
} rf_request_in;

/* Holds the amount and records a requested refund of r->user_id. */
rf_result rf_request(http_request *r, const rf_request_in *in, int64_t *out_id);
/* The customer's cancel of a requested refund of org_id. */
rf_result rf_cancel(http_request *r, int64_t org_id, int64_t id);
/* Staff: reject a requested refund with a reason (gives the money back). */
rf_result rf_reject(http_request *r, int64_t id, const char *reason);
/* Staff, NOT in a transaction: approves a requested refund and, for a
 * gateway one, sends it; on an approved gateway refund (retry: retry_only)
 * sends it again with the same key. RF_GATEWAY_UNAVAILABLE leaves it approved. */
rf_result rf_approve(http_request *r, int64_t id, bool retry_only);

/* A refund as JSON (org_id 0 = any organization, for staff); NULL when not
 * found (*store_error tells a failed read). */
json_t *rf_json(http_request *r, int64_t org_id, int64_t id, bool *store_error);
/* {"refund_requests": [...]} of org_id (0 = all), with status (NULL = any). */
json_t *rf_list_json(http_request *r, int64_t org_id, const char *status);
/* {"payments": [...]}: the payments of org_id a refund may name, with what is
 * left of each. NULL on a store error. */
json_t *rf_refundable_json(http_request *r, int64_t org_id);

extern const char *const rf_statuses[]; /* NULL-terminated */

/* ---- the credit-transfer export (called by wd_export.c) ---- */

/* An approved bank refund waiting for an export; strings in the arena. */
typedef struct rf_credit_transfer {
    int64_t id, amount_minor;
    const char *end_to_end_id, *creditor_name, *creditor_iban, *remittance;
} rf_credit_transfer;

/* The approved, not exported bank refunds in currency code, oldest first, at
 * most max: their number, -1 on a store error. */
int rf_export_waiting(http_request *r, const char *code, rf_credit_transfer *out, int max);
/* Marks t paid in export_id and moves its money to "bank:<provider IBAN>";
 * false when it was decided meanwhile or on a store error (roll back). */
bool rf_export_done(http_request *r, const rf_credit_transfer *t, int64_t export_id);

void refunds_routes(router *rt);

#endif
