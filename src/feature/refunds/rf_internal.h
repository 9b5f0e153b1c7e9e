/* rf_internal.h - what the files of src/feature/refunds share. */
#ifndef SALDO_RF_INTERNAL_H
#define SALDO_RF_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/refunds/refunds.h"
#include "http/http.h"
#include "http/router.h"

/* One row of refund_requests; strings in the request arena. */
typedef struct rf_row {
    int64_t id, org_id, user_id, source_id, amount_minor, hold_transfer_id, export_id, created_at, updated_at;
    const char *source, *method, *currency, *reason, *status, *gateway_payment_id, *creditor_iban, *creditor_name,
        *rejection_reason, *failure_code, *gateway_refund_id;
} rf_row;

/* Reads id (of org_id; 0 = any): 1 found, 0 not, -1 store error. */
int rf_get(http_request *r, int64_t org_id, int64_t id, rf_row *out);
/* The row as the API shows it. */
json_t *rf_row_json(http_request *r, const rf_row *f);
/* The sum of the refunds of (source, source_id) that hold or took money
 * (requested, approved, paid); -1 on a store error. */
int64_t rf_taken(http_request *r, const char *source, int64_t source_id);
/* Moves f from status from to to (guarded): RF_WRONG_STATUS when it was not
 * in from any more. */
rf_result rf_set_status(http_request *r, const rf_row *f, const char *from, const char *to);
/* Reverses the hold of f (the money goes back to the wallet). */
bool rf_release(http_request *r, const rf_row *f);
/* Posts refunds_payable -> the system account to_code for f. */
bool rf_payout(http_request *r, const rf_row *f, const char *to_code, int64_t *transfer_id);
/* Writes action to the organization's audit log and, when staff act, to the
 * staff audit log; plus key: text when key is not NULL. */
bool rf_audit(http_request *r, const rf_row *f, const char *action, const char *key, const char *text);
/* Queues mail template name about f to the billing notification address. */
bool rf_mail(http_request *r, const rf_row *f, const char *name);

/* The staff routes (refunds_staff_api.c). */
void refunds_staff_routes(router *rt);

#endif
