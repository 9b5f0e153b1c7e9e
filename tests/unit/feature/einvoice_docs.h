/* einvoice_docs.h - documents built in C for the e-invoice tests: the
 * Italian provider's invoice to an Italian company, which each test then
 * changes (buyer, lines, scheme), with totals computed by vat_totals as the
 * invoices feature computes them. */
#ifndef SALDO_TEST_EINVOICE_DOCS_H
#define SALDO_TEST_EINVOICE_DOCS_H

#include <stdint.h>

#include "feature/invoices/document.h"

enum { TLINES_MAX = 8 };

/* The lines of the document being built (tfinish points the document at them). */
extern doc_line tlines[TLINES_MAX];

/* Sets line i; its net is quantity x unit - discount. */
void tline(size_t i, const char *text, int64_t quantity, int64_t unit, int64_t discount, int rate_bp);
/* Gives d the first n lines and their totals per rate. */
void tfinish(document *d, size_t n);
void taddress(doc_address *a, const char *street, const char *cap, const char *city, const char *prov,
              const char *country);
/* Invoice 2026/<id> of Saldo Hosting S.r.l. (IT12345670017, Roma) to Rossi &
 * Figli S.p.A. (IT01234567890, Milano), paid, EUR, two lines at 22%. */
document tbase(int64_t id);

#endif
