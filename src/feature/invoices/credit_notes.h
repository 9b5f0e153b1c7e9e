/* credit_notes.h - staff credit an invoice, all its lines or some: a credit
 * note (numbered with the invoices) that refers to it and copies what it
 * credits, the credited gross back to the organization's wallet (revenue and
 * vat_payable -> wallet), the invoice cancelled once every line is credited,
 * audited, mailed. A line is credited at most once, so a credit never gives
 * back more than is left (docs/INVOICES.md). */
#ifndef SALDO_CREDIT_NOTES_H
#define SALDO_CREDIT_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "feature/invoices/documents.h"
#include "store/db.h"

struct app;

enum { CREDIT_REASON_MIN = 3, CREDIT_REASON_MAX = 500 };

typedef enum credit_result {
    CREDIT_OK,
    CREDIT_NOT_FOUND,    /* no such invoice (or not an invoice) */
    CREDIT_BAD_LINE,     /* a position not on the invoice, or given twice */
    CREDIT_ALREADY,      /* a line given was credited before */
    CREDIT_NOTHING_LEFT, /* every line is credited already */
    CREDIT_STORE_ERROR,
    CREDIT_RESULT_COUNT
} credit_result;

/* The staff's request: the invoice, the 0-based positions of the lines to
 * credit (n = 0: every line not credited yet), the reason (printed as the
 * note, CREDIT_REASON_MIN..MAX bytes), who and from where, the key of the
 * ledger transfers. */
typedef struct credit_in {
    int64_t invoice_id;
    const int64_t *positions;
    size_t n;
    const char *reason;
    int64_t staff_id;
    const char *ip;
    const char *key;
} credit_in;

/* credited[p] for each line position of invoice_id a credit note credited;
 * false on a store error. */
bool invoices_credited(db *d, int64_t invoice_id, bool credited[DOC_LINES_MAX]);

/* The VAT the credit notes of invoice $1 gave back at rate $2 (exported for
 * the plan test in tests/store/test_credit_notes.c). */
extern const char invoices_vat_credited_sql[];

/* Inside the caller's write transaction (roll back on anything but
 * CREDIT_OK). *out is the credit note issued, its lines in lines[DOC_LINES_MAX]. */
credit_result invoices_credit(db *d, const struct app *ap, const credit_in *in, document *out, doc_line *lines);

#endif
