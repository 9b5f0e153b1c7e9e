/* invoices_archive.h - every document of an organization mailed to its
 * billing address, PDFs attached: the last step of deleting an organization
 * (its documents are kept for the law, but the customer keeps a copy). */
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

#endif
