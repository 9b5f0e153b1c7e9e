/* doc_fixture.h - issued documents built in C for the PDF tests and the
 * invoice benchmark: a seller, a buyer, n lines at 22% (or 0% for receipts),
 * totals computed with vat_totals, as the invoices feature freezes them. */
#ifndef SALDO_DOC_FIXTURE_H
#define SALDO_DOC_FIXTURE_H

#include <stddef.h>

#include "feature/invoices/document.h"

/* Fills *doc (language "it" or "en") with n lines in lines[n]. */
void doc_fixture(document *doc, doc_line *lines, size_t n, doc_kind kind, const char *language);

#endif
