/* invoice_files.c - documents as PDF and e-invoice files (see invoice_files.h). */
#include "feature/invoices/invoice_files.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "feature/invoices/documents.h"
#include "feature/invoices/einvoice.h"
#include "lib/arena.h"
#include "render/pdf_document.h"

enum { PDF_BYTES_MAX = 8 * 1000 * 1000 };

/* "Fattura-2026-000123.pdf": the kind and the number with '/' as '-'. */
static void pdf_name(const document *doc, char *out, size_t size)
{
    static const char *const it[DOC_KIND_COUNT] = {"Proforma", "Fattura", "Nota-di-credito", "Ricevuta"};
    static const char *const en[DOC_KIND_COUNT] = {"Pro-forma", "Invoice", "Credit-note", "Receipt"};
    const char *kind = (!strcmp(doc->language, "it") ? it : en)[doc->kind];
    int n = snprintf(out, size, "%s-%s.pdf", kind, doc->number);
    for (int i = 0; i < n && (size_t)i < size; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_", out[i]))
            out[i] = '-';
}

static bool render_pdf(const app *ap, const document *doc, buf *out)
{
    pdf_assets assets = {(const uint8_t *)ap->logo.data, ap->logo.len};
    return pdf_document(doc, ap->logo.len ? &assets : NULL, out);
}

static bool load(db *d, int64_t org_id, int64_t id, arena *a, document *doc, bool *store_error)
{
    doc_line *lines = arena_alloc(a, sizeof *lines * DOC_LINES_MAX);
    return documents_get(d, org_id, id, doc, lines, DOC_LINES_MAX, store_error);
}

static bool refuse(invoice_file_fail *f, int status, const char *code, const char *why)
{
    *f = (invoice_file_fail){status, code, why};
    return false;
}

static void send_file(http_request *r, const char *type, const char *name, const buf *b)
{
    http_add_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"", name));
    http_add_header(r, "Cache-Control", "private, no-store");
    http_text(r, 200, type, b->data, b->len); /* copies b */
}

/* Writes doc's file of kind into out and answers it; false with why. */
static bool send_doc(http_request *r, const document *doc, invoice_file_kind kind, buf *out, invoice_file_fail *f)
{
    char name[EINVOICE_FILE_NAME_SIZE];
    if (kind == INVOICE_FILE_PDF_EXT) {
        pdf_name(doc, name, sizeof name);
        if (!render_pdf(r->app, doc, out))
            return refuse(f, 500, "render_error", "the PDF could not be made");
        return send_file(r, "application/pdf", name, out), true;
    }
    const char *reason = NULL;
    switch (einvoice_for(doc, r->app->cfg, out, name, sizeof name, &reason)) {
    case EINVOICE_NONE:
        return refuse(f, 404, "no_einvoice", reason ? reason : "this document gets no e-invoice");
    case EINVOICE_REFUSED:
        return refuse(f, 422, "einvoice_refused", reason ? reason : "the e-invoice cannot be written");
    default:
        return send_file(r, "application/xml", name, out), true;
    }
}

bool invoice_file_send(http_request *r, int64_t org_id, int64_t id, invoice_file_kind kind, invoice_file_fail *f)
{
    document doc;
    bool store_error = false;
    if (!load(r->db, org_id, id, r->a, &doc, &store_error))
        return store_error ? refuse(f, 500, "store_error", "the document could not be read")
                           : refuse(f, 404, "not_found", "no such document");
    buf out;
    buf_init(&out, PDF_BYTES_MAX);
    bool ok = send_doc(r, &doc, kind, &out, f);
    buf_free(&out);
    return ok;
}

static bool render_document(void *ctx, db *d, const char *kind, int64_t ref, buf *data, char *filename,
                            size_t filename_size, const char **content_type)
{
    const app *ap = ctx;
    int64_t org_id;
    doc_source src;
    if (strcmp(kind, INVOICE_FILE_PDF) || !documents_owner(d, ref, &org_id, &src))
        return false;
    arena *a = arena_new();
    document doc;
    bool store_error = false;
    bool ok = load(d, org_id, ref, a, &doc, &store_error) && render_pdf(ap, &doc, data);
    if (ok)
        pdf_name(&doc, filename, filename_size);
    arena_free(a);
    *content_type = "application/pdf";
    return ok;
}

outbox_renderer invoice_file_renderer(const app *ap)
{
    return (outbox_renderer){render_document, (void *)ap};
}
