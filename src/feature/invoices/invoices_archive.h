/* invoices_archive.h - what deleting an organization does to its documents:
 * they are kept for the law, its unpaid pro-formas are cancelled, and on
 * request every document is mailed to its billing address, PDFs attached. */
#ifndef SALDO_INVOICES_ARCHIVE_H
#define SALDO_INVOICES_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct app;

enum { INVOICES_ARCHIVE_DOCS_MAX = 10000 }; /* documents mailed at most */

/* Queues the organization's documents, oldest first, OUTBOX_FILES_MAX PDFs
 * to a mail (made when each mail is sent), to its billing notification
 * address, in the language of its newest document. *mails: how many (0 when
 * it has no document or nobody to tell). Inside the caller's write
 * transaction; false on a store error. */
bool invoices_mail_archive(db *d, const struct app *ap, int64_t org_id, int *mails);

/* An organization being deleted owes nothing by construction (a final
 * invoice is issued only once paid; its services have ended, which the
 * deletion's blockers ensure), so its unpaid pro-formas, requests for what
 * will no longer be paid, are cancelled. Inside the caller's write
 * transaction; false on a store error. */
bool invoices_cancel_proformas(db *d, int64_t org_id);

#endif
