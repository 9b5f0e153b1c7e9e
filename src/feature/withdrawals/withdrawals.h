/* withdrawals.h - paying out part of a wallet to the customer's bank account
 * (IBAN) or PayPal address, with staff approval.
 *
 * The amount leaves the wallet at once into the system account
 * "withdrawals_payable" (a "withdrawal" transfer), so it cannot be spent twice;
 * a cancel (customer, while pending) or a rejection (staff) reverses that
 * transfer. Approved bank withdrawals wait for a credit-transfer export (one
 * pain.001 file per currency), which moves the money on to "bank:<provider
 * IBAN>"; approved PayPal ones are marked paid by staff, which moves it to
 * "paypal". Every step writes the staff and organization audit logs and mails
 * the billing notification address where the brief asks for it.
 *
 * The functions below run inside the caller's write transaction; on anything
 * but WD_OK nothing was written by them and the caller rolls back. */
#ifndef SALDO_WITHDRAWALS_H
#define SALDO_WITHDRAWALS_H

#include <jansson.h>
#include <stdint.h>

#include "core/iban.h"
#include "core/money.h"
#include "http/http.h"
#include "http/router.h"

enum {
    WD_HOLDER_MAX = 70,   /* the creditor name a pain.001 file can carry */
    WD_NOTE_MAX = 140,    /* the remittance text a pain.001 file can carry */
    WD_REASON_MAX = 500,
    WD_PAYPAL_TXN_MAX = 64,
    WD_LIST_MAX = 200,    /* rows a list answers, newest first */
};

typedef enum {
    WD_OK,
    WD_NO_WALLET,          /* the organization has no wallet in that currency */
    WD_BANK_NOT_EUR,       /* bank withdrawals are SEPA credit transfers: EUR only */
    WD_INSUFFICIENT_FUNDS,
    WD_KEY_CONFLICT,       /* the ledger key was used for another transfer */
    WD_NOT_FOUND,
    WD_WRONG_STATUS,       /* e.g. cancel of an approved withdrawal */
    WD_NOTHING_TO_EXPORT,
    WD_STORE_ERROR,
    WD_RESULT_COUNT
} wd_result;

typedef struct wd_request_in {
    int64_t org_id;
    money amount;             /* > 0, <= LEDGER_AMOUNT_MAX */
    const char *method;       /* "bank" or "paypal" */
    char iban[IBAN_SIZE];     /* normalized; "" for paypal */
    const char *holder;       /* bank: 1..WD_HOLDER_MAX bytes; "" for paypal */
    const char *paypal_email; /* paypal: checked, lowercased; "" for bank */
    const char *note;         /* 0..WD_NOTE_MAX bytes */
    const char *key;          /* the request's Idempotency-Key */
} wd_request_in;

/* Holds the amount and records a pending withdrawal of r->user_id. */
wd_result wd_request(http_request *r, const wd_request_in *in, int64_t *out_id);
/* The customer's cancel of a pending withdrawal of org_id. */
wd_result wd_cancel(http_request *r, int64_t org_id, int64_t id);
/* Staff (r->staff_id): approve, or reject with a reason (reverses the hold). */
wd_result wd_approve(http_request *r, int64_t id);
wd_result wd_reject(http_request *r, int64_t id, const char *reason);
/* Staff: an approved PayPal withdrawal was paid with PayPal transaction txn. */
wd_result wd_paid(http_request *r, int64_t id, const char *txn);
/* Staff: one pain.001 file for every approved, not yet exported bank
 * withdrawal in currency code (EUR), and every approved bank refund
 * (refunds.h); marks them exported (refunds: paid) and moves their money to
 * "bank:<provider IBAN>". */
wd_result wd_export(http_request *r, const char *code, int64_t *export_id);

/* A withdrawal as JSON (org_id 0 = any organization, for staff); NULL when not
 * found (*store_error tells a failed read). */
json_t *wd_json(http_request *r, int64_t org_id, int64_t id, bool *store_error);
/* {"withdrawals": [...]} of org_id (0 = all), with status (NULL = any). */
json_t *wd_list_json(http_request *r, int64_t org_id, const char *status);
/* {"exports": [{"id", "msg_id", "currency", "count", "total", "created_at"}]}. */
json_t *wd_exports_json(http_request *r);
/* The XML of an export, in the arena; NULL when unknown. */
const char *wd_export_xml(http_request *r, int64_t export_id);

extern const char *const wd_statuses[]; /* NULL-terminated */

void withdrawals_routes(router *rt);

#endif
