/* bank.h - bank transfers: statement import, matching and the staff queue.
 *
 * A camt.053 statement (camt053.h) is imported in one write transaction: each
 * booked entry is recorded once (bank_entries, keyed by the statement's
 * account, the statement id and the bank's entry reference), and each credit
 * whose remittance text carries an organization's reference (bank_ref.h) is
 * a ledger transfer "bank:<account IBAN>" -> that organization's wallet, kind
 * "topup", with the organization's audit entry "payment.received" and a mail
 * to its billing address. Debits and credits without a match wait in the
 * staff queue, where staff assign them to an organization or ignore them.
 * Used by `saldo import-statement` and the staff pages. */
#ifndef SALDO_BANK_H
#define SALDO_BANK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/currency.h"
#include "feature/bank/bank_ref.h"
#include "feature/bank/camt053.h"
#include "http/router.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "store/db.h"

struct app;

/* What a customer needs to pay by bank transfer. */
typedef struct bank_instructions {
    const char *beneficiary;          /* the provider's name */
    const char *iban;                 /* normalized */
    char iban_formatted[IBAN_FORMATTED_SIZE];
    const char *bic;
    char reference[BANK_REF_SIZE];
    char reference_formatted[BANK_REF_FORMATTED_SIZE];
    const currency *cur;
    bool sepa;                        /* EUR: a SEPA credit transfer; else SWIFT */
    const char *settlement;           /* "1-3 business days" (English; pages translate) */
} bank_instructions;

/* Fills *out for org_id paying in cur, and appends the EPC QR payload to
 * epc (with amount_cents when > 0) when cur is EUR. False when the payload
 * cannot be built from the configuration (a bad BIC or name). */
bool bank_instructions_get(const saldo_config *cfg, int64_t org_id, const currency *cur, int64_t amount_cents,
                           bank_instructions *out, buf *epc);

void bank_routes(router *rt);

typedef struct bank_import_counts {
    int entries;     /* every entry of the document */
    int credited;    /* new entries credited to a wallet */
    int duplicates;  /* entries imported before: nothing done */
    int unmatched;   /* new entries put in the staff queue */
    int not_booked;  /* pending or information entries: skipped */
} bank_import_counts;

/* Imports doc in a transaction of its own; staff_id is who uploaded it (0 for
 * the command line), audited with ip. False on a store error, with nothing
 * imported (db_errmsg says why). */
bool bank_import(db *d, const struct app *ap, const camt_doc *doc, int64_t staff_id, const char *ip,
                 bank_import_counts *out);

typedef enum {
    BANK_OK,
    BANK_NOT_FOUND,     /* no such entry */
    BANK_NOT_PENDING,   /* the entry is not in the queue any more */
    BANK_NOT_CREDIT,    /* a debit cannot credit a wallet */
    BANK_NO_ORG,        /* no such organization */
    BANK_STORE_ERROR,
} bank_result;

/* Staff: credits queued entry_id to org_id (its own transaction, audited). */
bank_result bank_assign(db *d, const struct app *ap, int64_t entry_id, int64_t org_id, int64_t staff_id,
                        const char *ip);
/* Staff: takes queued entry_id out of the queue with a note (1..500 bytes). */
bank_result bank_ignore(db *d, int64_t entry_id, const char *note, int64_t staff_id, const char *ip);

#define BANK_NOTE_MAX 500
#define BANK_QUEUE_PAGE_MAX 100

/* An entry waiting in the staff queue; strings live in the caller's arena. */
typedef struct bank_queued {
    int64_t id;
    bool credit;
    const char *currency;
    int64_t amount_minor;
    const char *booking_date, *remittance, *debtor_name, *debtor_iban, *account_iban, *statement_id;
} bank_queued;

/* The oldest max (<= BANK_QUEUE_PAGE_MAX) entries of the queue into out:
 * their number, or -1 on a store error. */
int bank_queue(db *d, arena *a, bank_queued *out, size_t max);

/* A booked credit of a statement that went to an organization's wallet (for
 * refunds: the debtor is where the money goes back). Strings in the arena. */
typedef struct bank_credit {
    int64_t id, org_id, imported_at, amount_minor;
    const char *currency, *booking_date, *debtor_name, *debtor_iban;
} bank_credit;

#define BANK_CREDITS_MAX 100

/* Credited entry entry_id of org_id: 1 found, 0 not (or another
 * organization's, or not a credit), -1 store error (bank_credits.c). */
int bank_credit_get(db *d, arena *a, int64_t org_id, int64_t entry_id, bank_credit *out);
/* The newest max (<= BANK_CREDITS_MAX) credited entries of org_id into out:
 * their number, -1 on a store error. */
int bank_credits_of(db *d, arena *a, int64_t org_id, bank_credit *out, size_t max);

#endif
