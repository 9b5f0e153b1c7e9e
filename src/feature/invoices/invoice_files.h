/* invoice_files.h - an issued document as a file: its PDF (what "Get
 * invoice" downloads and what its mail carries) and its e-invoice (FatturaPA
 * or UBL, feature/invoices/einvoice.h). Shared by the API, the pages and the
 * outbox worker, which makes a document's PDF when it sends the mail. */
#ifndef SALDO_INVOICE_FILES_H
#define SALDO_INVOICE_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "mail/outbox.h"

struct app;

/* The outbox kind of a document's PDF; ref is the document's id. */
#define INVOICE_FILE_PDF "document_pdf"

typedef enum { INVOICE_FILE_PDF_EXT, INVOICE_FILE_XML_EXT } invoice_file_kind;

/* Why a file could not be sent: the HTTP status, the error code and the
 * English reason. 404 not_found (no such document of the organization) or
 * no_einvoice (the document gets none), 422 einvoice_refused (the data the
 * format needs is missing), 500 store_error or render_error. */
typedef struct invoice_file_fail {
    int status;
    const char *code, *why;
} invoice_file_fail;

/* Answers the PDF or the e-invoice of document id of org_id as a download
 * (Content-Disposition: attachment); false, having answered nothing, with *f. */
bool invoice_file_send(http_request *r, int64_t org_id, int64_t id, invoice_file_kind kind, invoice_file_fail *f);

/* The renderer the outbox worker of `saldo serve` makes documents' PDFs with. */
outbox_renderer invoice_file_renderer(const struct app *ap);

#endif
