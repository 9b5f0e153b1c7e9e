/* ledger.h - the double-entry ledger: every change of a balance is a transfer.
 *
 * A transfer moves amount_minor of one currency from a debit account to a credit
 * account; an account's balance is its credits minus its debits. Customer wallets
 * (one per organization and currency) never go below zero; system accounts
 * (revenue, adjustments, gateway clearing, ...) may, so the balances of one
 * currency always sum to zero. Transfers are immutable: a correction is a new
 * transfer that reverses an old one. Every transfer carries a unique idempotency
 * key: posting the same transfer twice returns the first one and moves nothing. */
#ifndef SALDO_LEDGER_H
#define SALDO_LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "store/db.h"

/* The largest single transfer (10^15 minor units): a limit, not a business rule. */
#define LEDGER_AMOUNT_MAX INT64_C(1000000000000000)
#define LEDGER_KEY_MAX 256 /* room for a caller's prefix before a 200-byte API key */

typedef enum {
    LEDGER_OK,
    LEDGER_REPLAYED,           /* same key, same transfer: *out_id is the first one */
    LEDGER_INSUFFICIENT_FUNDS, /* the debit account may not go below zero */
    LEDGER_KEY_CONFLICT,       /* same key, different transfer */
    LEDGER_INVALID,            /* bad amount, same account twice, currency mismatch */
    LEDGER_NOT_FOUND,          /* unknown account or transfer */
    LEDGER_ALREADY_REVERSED,
    LEDGER_STORE_ERROR,
    LEDGER_RESULT_COUNT
} ledger_result;

typedef struct ledger_transfer {
    int64_t debit_account_id;
    int64_t credit_account_id;
    int64_t amount_minor;      /* > 0 and <= LEDGER_AMOUNT_MAX */
    const char *currency;      /* ISO 4217 code; both accounts must hold it */
    const char *kind;          /* topup, purchase, refund, adjustment, reversal, ... */
    const char *reference;     /* what caused it, e.g. "order:12"; may be "" */
    const char *idempotency_key;
    int64_t reverses_id;       /* 0, or the transfer this one reverses */
} ledger_transfer;

const char *ledger_result_str(ledger_result r);

/* Posts t inside the caller's write transaction. On anything but LEDGER_OK or
 * LEDGER_REPLAYED nothing was written by this call, and the caller decides
 * whether to roll back its transaction. */
ledger_result ledger_post(db *d, const ledger_transfer *t, int64_t *out_id);

/* ledger_post in a transaction of its own, committed durably. */
ledger_result ledger_post_tx(db *d, const ledger_transfer *t, int64_t *out_id);

/* Posts the reversal of transfer_id (accounts swapped, same amount) inside the
 * caller's write transaction. The reversal may fail for lack of funds. */
ledger_result ledger_reverse(db *d, int64_t transfer_id, const char *idempotency_key,
                             int64_t *out_id);

/* The wallet of an organization in a currency; created (inside the caller's
 * write transaction) when create is true and it does not exist yet. */
ledger_result ledger_wallet(db *d, int64_t org_id, const char *currency, bool create,
                            int64_t *out_id);

/* A system account by code ("revenue", "adjustments", "gateway:sandbox", ...),
 * created when missing (call inside a write transaction). */
ledger_result ledger_system_account(db *d, const char *code, const char *currency,
                                    int64_t *out_id);

/* Balance of an account; LEDGER_NOT_FOUND for an unknown id. */
ledger_result ledger_balance(db *d, int64_t account_id, int64_t *out_minor);

/* Recomputes every balance from the transfers and checks that wallets are not
 * negative, that each transfer's accounts hold its currency, that reversals
 * mirror what they reverse and that the balances of each currency sum to zero.
 * Writes one line per problem and a summary to out. Returns the number of
 * problems (0 = the ledger holds), or -1 if the store could not be read. */
int ledger_verify(db *d, FILE *out);

#endif
