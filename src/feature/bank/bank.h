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

#include "feature/bank/camt053.h"
#include "store/db.h"

struct app;

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

#endif
