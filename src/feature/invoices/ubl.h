/* ubl.h - the EN 16931 e-invoice of an issued invoice or credit note in
 * UBL 2.1 syntax (an Invoice, or a CreditNote for a credit note), for EU
 * business buyers outside the seller's country: the parties with their VAT
 * IDs, the VAT breakdown per rate with its category (S standard, AE reverse
 * charge with the exemption reason, O not subject), the totals and the lines.
 * Everything comes from the frozen document. Pure: no I/O. docs/EINVOICES.md
 * maps every element to the document. */
#ifndef SALDO_UBL_H
#define SALDO_UBL_H

#include <stdbool.h>
#include <stddef.h>

#include "feature/invoices/document.h"
#include "lib/buf.h"

enum { UBL_FILE_NAME_SIZE = DOC_NUMBER_MAX + 24 }; /* "credit_note_" + number + ".xml" */

/* Appends the UBL document of doc (an invoice or a credit note) to out and
 * writes its file name ("invoice_2026-000123.xml", the number with every
 * character but letters and digits as '-') into file_name. Returns false
 * with *why (a static English sentence) when the document cannot be one: a
 * pro-forma or a receipt, a 0% line without reverse charge or a sale not
 * subject to VAT, reverse charge without both VAT IDs, a seller without a
 * VAT ID (not subject: nor a fiscal code), a currency with more than 2
 * decimals, a party without a name, city or country; or when out or
 * file_name is too small. out may then hold a part. An unpaid document gets
 * its due date (an Invoice) and payment terms (EN 16931 BR-CO-25). */
bool ubl_write(const document *doc, buf *out, char *file_name, size_t size, const char **why);

#endif
