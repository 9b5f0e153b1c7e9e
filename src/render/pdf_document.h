/* pdf_document.h - an issued billing document (feature/invoices/document.h)
 * as an A4 PDF, in memory: what "Get invoice" downloads and what the final
 * invoice's email carries as its attachment.
 *
 * cairo draws, pango lays the text out, so the text stays text (pdftotext
 * extracts it) and any UTF-8 name renders. The document's language ("it" or
 * "en") picks the translations (render/i18n.h) and the money and date
 * formats. Long documents flow onto following pages, the lines table header
 * repeated, "Page N of M" in every footer. Pro-formas carry the bank details
 * and the EPC payment QR code. */
#ifndef SALDO_PDF_DOCUMENT_H
#define SALDO_PDF_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/invoices/document.h"
#include "lib/buf.h"

/* Sides of the largest logo image accepted, in pixels. */
enum { PDF_LOGO_SIDE_MAX = 4096 };

typedef struct pdf_assets {
    const uint8_t *logo; /* the provider's logo, PNG or JPEG bytes; NULL for none */
    size_t logo_len;
} pdf_assets;

/* True when data is a PNG or JPEG (judged by content, core/image_sniff.h) of
 * at most PDF_LOGO_SIDE_MAX pixels a side, that pdf_document can draw. */
bool pdf_logo_ok(const uint8_t *data, size_t len);

/* Reads the logo file at path (config key provider.logo, checked at start)
 * into out (limit 1 MB); false when it cannot be read or is not pdf_logo_ok. */
bool pdf_logo_load(const char *path, buf *out);

/* Appends the PDF of doc to out. assets may be NULL. False, with out holding
 * a partial file the caller discards, when the document's currency is
 * unknown, the logo is not pdf_logo_ok, or cairo fails (out of memory, out's
 * limit reached). */
bool pdf_document(const document *doc, const pdf_assets *assets, buf *out);

#endif
