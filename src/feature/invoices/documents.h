/* documents.h - issued documents in the store (tables documents,
 * document_lines, document_totals, document_counters; migration 0017):
 * issuing one with the next gapless number of its series inside the caller's
 * write transaction, reading it back exactly as it was frozen, the only
 * status changes allowed, and the numbering format (docs/INVOICES.md). */
#ifndef SALDO_DOCUMENTS_H
#define SALDO_DOCUMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/invoices/document.h"
#include "store/db.h"

enum {
    DOC_LINES_MAX = 200, /* lines on one document: an order of many services */
};

/* What issued a document, stored with it. key makes an event issue at most
 * once ("order:12", "payment:7", "bank_entry:3"); NULL when the caller has
 * no such event (a staff credit note, a pro-forma on request). Ids are 0
 * when none. credits_id is the invoice a credit note credits (required for
 * credit notes, 0 for the others). */
typedef struct doc_source {
    const char *key;
    int64_t order_id, renewal_id, payment_id;
    int64_t credits_id;
    /* The caller set doc->totals (same rates and nets as the lines; only the
     * VAT may differ from vat_totals by the rounding rest): credit notes,
     * whose last credit of a rate takes exactly the VAT left at that rate. */
    bool keep_totals;
    /* The caller knows no document has key yet (its event was written in
     * this transaction: a renewal row just inserted), so the lookup is
     * skipped; the unique source_key stays the guard. */
    bool key_new;
} doc_source;

typedef enum docs_result {
    DOCS_OK,
    DOCS_ALREADY_ISSUED, /* a document with that source key exists: nothing written */
    DOCS_INVALID,        /* the lines or the totals do not add up (a bug of the caller) */
    DOCS_STORE_ERROR,
    DOCS_RESULT_COUNT
} docs_result;

/* The numbering series of a kind: "proforma", "invoice" (invoices and credit
 * notes share it), "receipt". */
const char *doc_series(doc_kind kind);
/* The printed number of the seq-th document of kind in year: "2026/000123",
 * "NC-2026/000124", "PF-2026/000045", "RC-2026/000012". */
void doc_number_format(doc_kind kind, int year, int64_t seq, char out[DOC_NUMBER_MAX + 1]);

/* Issues doc for org_id inside the caller's write transaction (asserted):
 * computes the totals per rate from the lines (vat_totals: VAT rounded half
 * up once per rate; src->keep_totals: checks the caller's instead) and the
 * document's net, VAT and gross, takes the next
 * number of its series in the year of issue_date, and writes the document,
 * its lines and totals. On DOCS_OK doc->id, number, totals and amounts are
 * set. Every other field is the caller's, stored as given. On any other
 * result the caller rolls back (the number taken goes back with it). */
docs_result documents_issue(db *d, int64_t org_id, const doc_source *src, int64_t now, document *doc);

/* Reads document id as it was issued, with its lines into lines[cap] (out->
 * lines points there). org_id 0 reads any organization's (staff). False
 * when not found (or another organization's), or on a store error (then
 * *store_error is set when given). */
bool documents_get(db *d, int64_t org_id, int64_t id, document *out, doc_line *lines, size_t cap, bool *store_error);

/* The organization a document belongs to, its source ids; false when none. */
bool documents_owner(db *d, int64_t id, int64_t *org_id, doc_source *src);

/* The document issued for a source key, or 0 when none (or a store error:
 * *store_error set). */
int64_t documents_by_source(db *d, const char *key, bool *store_error);

/* The allowed status changes, inside the caller's write transaction: an
 * unpaid pro-forma becomes paid (paid_date "YYYY-MM-DD" and method given) or
 * cancelled; a paid invoice becomes cancelled when fully credited. False
 * when id is not in a state that allows it (nothing written), or on a store
 * error. */
bool documents_set_status(db *d, int64_t id, doc_status status, const char *paid_date, const char *method);

#endif
