/* invoices.h - issuing documents when money moves: the seller and buyer
 * blocks and the VAT evidence frozen at issue (document_frame), the receipt
 * of a payment on account (a top-up: no VAT), and the "new document" mail to
 * the organization's billing address. Called inside the write transaction
 * that moves the money, so a document exists exactly when its money moved
 * (docs/INVOICES.md). */
#ifndef SALDO_INVOICES_H
#define SALDO_INVOICES_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/addresses/addresses.h"
#include "feature/invoices/documents.h"
#include "feature/orgs/orgs.h"
#include "store/db.h"

struct app;

/* Fills doc's kind, status, dates, language, currency, seller (the provider
 * of the configuration), buyer (org_id's profile and default billing
 * address, as they are now) and VAT evidence and decision on date
 * ("YYYY-MM-DD"); the lines are the caller's. An organization without a
 * billing address is a consumer in the provider's country (docs/INVOICES.md).
 * *decision is the VAT decision of an electronic service on that date. False
 * on a store error or a decision vat_decide refuses. */
bool document_frame(db *d, const struct app *ap, int64_t org_id, doc_kind kind, const char *date,
                    const char *currency_code, document *doc, vat_decision *decision);

/* document_frame for a buyer already read, without the VAT decision: p is
 * the organization's profile and a its billing address (NULL when it has
 * none). Fills all but doc->vat's scheme and mention, which the caller
 * decided (a sale: sale_tax). False on a store error. */
bool document_frame_buyer(db *d, const struct app *ap, const org_profile *p, const address *a, doc_kind kind,
                          const char *date, const char *currency_code, document *doc);

/* Issues the receipt of a payment on account of amount_minor to org_id's
 * prepaid balance: one line at 0% ("payment on account": VAT is charged
 * when the balance buys a service), paid by method, and queues its mail.
 * key is the event ("payment:12", "bank_entry:3"): a second call for the
 * same key issues nothing and succeeds. payment_id 0 when none. Inside the
 * caller's write transaction; false on a store error (roll back). */
bool invoices_receipt(db *d, const struct app *ap, int64_t org_id, const char *currency_code, int64_t amount_minor,
                      const char *method, const char *key, int64_t payment_id);

/* Queues the "new document" mail of the issued doc to org_id's billing
 * notification address, in the organization's language, with the link to
 * the document's page. Nobody to tell is success. */
bool invoices_mail(db *d, const struct app *ap, int64_t org_id, const document *doc);

/* invoices_mail to the address to, the organization's billing notification
 * address the caller read (notify_address) in the same transaction. */
bool invoices_mail_to(db *d, const struct app *ap, const char *to, const document *doc);

#endif
