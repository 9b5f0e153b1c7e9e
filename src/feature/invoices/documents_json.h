/* documents_json.h - documents as the API and the pages show them: the
 * filters of a list (status, kind, dates, search), the list rows, and one
 * document whole (lines, totals per rate, the VAT evidence). */
#ifndef SALDO_DOCUMENTS_JSON_H
#define SALDO_DOCUMENTS_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "feature/invoices/document.h"
#include "store/db.h"

enum {
    DOCS_LIST_MAX = 200, /* rows of one list: newest first; narrow with the filters */
    DOCS_QUERY_MAX = 64, /* a search text */
};

typedef struct doc_filter {
    char status[12], kind[12]; /* "" = any, else doc_status_name / doc_kind_name */
    char from[11], to[11];     /* issue dates, inclusive; "" = open */
    char q[DOCS_QUERY_MAX + 1]; /* part of the number (staff: or of the buyer's name); "" = all */
} doc_filter;

/* Reads the filter from the query values (NULL or "" = absent). False with
 * *field and *message (English) on a bad value. */
bool doc_filter_parse(const char *status, const char *kind, const char *from, const char *to, const char *q,
                      doc_filter *out, const char **field, const char **message);

/* {"documents": [row...]} of org_id's documents (0: every organization's,
 * each row with its "org_id") that pass f, newest first, at most
 * DOCS_LIST_MAX. A row: {"id", "org_id", "kind", "status", "number",
 * "issue_date", "buyer_name", "net", "vat", "gross"}. lang formats the
 * money's display. NULL on a store error. */
json_t *documents_list_json(db *d, int64_t org_id, const doc_filter *f, const char *lang);

/* The whole document: every field of document.h, money as Money objects. */
json_t *document_json(const document *doc, const char *lang);

#endif
