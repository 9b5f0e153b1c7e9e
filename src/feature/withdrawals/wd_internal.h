/* wd_internal.h - what the files of src/feature/withdrawals share. */
#ifndef SALDO_WD_INTERNAL_H
#define SALDO_WD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/http.h"
#include "http/router.h"

/* One row of withdrawals; strings in the request arena. */
typedef struct wd_row {
    int64_t id, org_id, user_id, amount_minor, hold_transfer_id, export_id, created_at, updated_at;
    const char *currency, *method, *iban, *holder, *paypal_email, *note, *status, *reason, *paypal_txn;
} wd_row;

/* Reads id (of org_id; 0 = any): 1 found, 0 not, -1 store error. */
int wd_get(http_request *r, int64_t org_id, int64_t id, wd_row *out);
/* The row as the API shows it. */
json_t *wd_row_json(http_request *r, const wd_row *w);
/* Writes action to the organization's audit log and, when staff act, to the
 * staff audit log; the detail holds the withdrawal's id, amount and method,
 * plus key: text when key is not NULL ("reason", "paypal_transaction"). */
bool wd_audit(http_request *r, const wd_row *w, const char *action, const char *key, const char *text);
/* Queues mail template name about w to the billing notification address. */
bool wd_mail(http_request *r, const wd_row *w, const char *name);
/* Posts withdrawals_payable -> the system account to_code for w. */
bool wd_payout(http_request *r, const wd_row *w, const char *to_code, int64_t *transfer_id);

/* The staff routes (withdrawals_staff_api.c). */
void withdrawals_staff_routes(router *rt);

#endif
