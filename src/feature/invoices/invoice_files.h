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

/* Answers the PDF or the e-invoice of document id of org_id as a download
 * (Content-Disposition: attachment). False, having answered nothing, with
 * the HTTP *status and the English reason *why: 404 no such document (or it
 * gets no e-invoice), 422 its e-invoice cannot be written (the data missing),
 * 500 a store or rendering failure. */
bool invoice_file_send(http_request *r, int64_t org_id, int64_t id, invoice_file_kind kind, int *status,
                       const char **why);

/* The renderer the outbox worker of `saldo serve` makes documents' PDFs with. */
outbox_renderer invoice_file_renderer(const struct app *ap);

#endif
