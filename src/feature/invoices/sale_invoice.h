/* sale_invoice.h - the final invoice of a sale paid (an order, a renewal, a
 * To pay selection): issued inside the write transaction that takes the
 * money; and the pro-forma of what is to be paid, with the VAT decided by sale_tax, numbered in the invoice series,
 * paid, then mailed (invoices_mail). docs/INVOICES.md. */
#ifndef SALDO_SALE_INVOICE_H
#define SALDO_SALE_INVOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/invoices/documents.h"
#include "feature/invoices/sale_tax.h"
#include "store/db.h"

struct app;

/* Issues org_id's invoice in currency_code of the n net lines (their rate is set to the
 * decision's) paid today by method, with tax's evidence and decision frozen,
 * for src (its key makes a second call issue nothing and succeed), and
 * queues its mail. The invoice's totals must be tax's (asserted: the caller
 * charged what the invoice says). *doc_id is the invoice (0 when it was
 * issued before). Inside the caller's write transaction; false on a store
 * error (roll back). */
bool invoices_sale(db *d, const struct app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                   doc_line *lines, size_t n, const char *method, const doc_source *src, int64_t *doc_id);

/* The frame of org_id's invoices in currency_code taxed by tax, paid today
 * by method: document_frame's seller, buyer, language and VAT, with tax's
 * evidence and decision frozen. A caller issuing many invoices to one
 * organization with one tax decision (the billing run: per organization per
 * batch) frames once and issues each with invoices_sale_framed. Inside the
 * caller's write transaction; false on a store error. */
bool invoices_sale_frame(db *d, const struct app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                         const char *method, document *frame);

/* invoices_sale_frame from what sale_tax_decide_buyer read of the buyer for
 * tax in the same transaction: the profile, the billing address and the
 * VAT are not read again (the language is). */
bool invoices_sale_frame_buyer(db *d, const struct app *ap, const sale_tax *tax, const sale_buyer *buyer,
                               const char *currency_code, const char *method, document *frame);

/* Issues org_id's invoice of the n net lines from a copy of frame (taken by
 * invoices_sale_frame with the same tax), for src, without a mail: the
 * caller tells the customer (with invoices_mail, or its own mail). *out is
 * the issued invoice, out->id 0 when src's key issued one before. The totals
 * must be tax's (asserted). Inside the caller's write transaction; false on
 * a store error (roll back). */
bool invoices_sale_framed(db *d, int64_t org_id, const sale_tax *tax, const document *frame, doc_line *lines,
                          size_t n, const doc_source *src, document *out);

/* Issues org_id's pro-forma (unpaid, its own numbering) of the n net lines
 * with tax's VAT, due on due_date ("YYYY-MM-DD"), with the provider's IBAN
 * and BIC and the organization's RF reference (bank_ref.h) to pay it by
 * bank transfer, and queues its mail. src->key must be NULL (a pro-forma is
 * issued on request). Inside the caller's write transaction; false on a
 * store error. */
bool invoices_proforma(db *d, const struct app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                       doc_line *lines, size_t n, const char *due_date, const doc_source *src, int64_t *doc_id);

#endif
