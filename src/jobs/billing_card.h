/* billing_card.h - the saved card in the billing run: before each batch of
 * services, the automatic renewals due now that the balance cannot pay are
 * charged to the organization's default card for exactly the shortfall, so
 * that the batch then renews them from the balance.
 *
 * The gateway is never called inside an open write transaction: the batch is
 * read (and the shortfalls worked out) in a transaction that writes nothing
 * and is rolled back, then each charge commits its payment row, calls the
 * gateway and applies the outcome (payment_sync credits the wallet) in
 * transactions of its own; the batch's write transaction comes after. Each
 * charge's key is "renewal-card:<service>:<expires_at>": two runs, or a run
 * retried, charge a card once per renewal. */
#ifndef SALDO_BILLING_CARD_H
#define SALDO_BILLING_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/services/services.h"
#include "jobs/billing_run.h"
#include "store/db.h"

enum { BILLING_CARD_KEY_MAX = 64 };

/* Whether s renews automatically in a run at o->at (auto-renew on, inside the renewal window). */
bool billing_renews_now(const billing_run_opts *o, const service *s);

/* Charges the cards for the batch service_due_batch(after_id, until, max)
 * will read; batch is scratch memory for max services. False on a store
 * error (nothing is half done: a charge is idempotent by its key). */
bool billing_card_charge_batch(db *d, const billing_run_opts *o, int64_t after_id, int64_t until, service *batch,
                               int max);

/* Inside the batch: 1 when the card charge for s's current expiry was
 * declined (the failure mail says so), 0 not (none, or not declined), -1 on a
 * store error. */
int billing_card_declined(db *d, const service *s);

#endif
