/* pdf_page.h - the drawing primitives of pdf_document.c, kept apart from its
 * layout: the page geometry, one pango layout reused for every text, money,
 * dates and rates in the document's language, the logo, the EPC QR code,
 * page breaks and footers. Internal to src/render. */
#ifndef SALDO_PDF_PAGE_H
#define SALDO_PDF_PAGE_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "render/pdf_document.h"
#include "render/qr.h"

/* A4 in points, and the frame the content lives in. */
#define PDF_PAGE_W 595.276
#define PDF_PAGE_H 841.89
#define PDF_MARGIN 42.0
#define PDF_BODY_W (PDF_PAGE_W - 2 * PDF_MARGIN)
#define PDF_BODY_BOTTOM (PDF_PAGE_H - 60.0)
/* The box the logo is scaled into, at the top right. */
#define PDF_LOGO_W 150.0
#define PDF_LOGO_H 60.0
/* The EPC QR code's side, quiet zone included. */
#define PDF_QR_SIDE 110.0

/* _("text"): text in the document's language. Needs `const char *lang` in scope. */
#define _(msgid) i18n_text(lang, "" msgid "")

typedef struct pdf {
    const document *doc;
    const char *lang;                  /* "it" or "en" */
    const currency *cur;
    buf *out;
    cairo_surface_t *surface, *logo;
    cairo_t *cr;
    PangoContext *context;
    PangoLayout *layout;
    const PangoFontDescription *font;  /* the layout's current font */
    PangoFontDescription *regular, *bold, *small, *heading, *title;
    qr_matrix qr;                      /* pro-formas with bank details; width 0 otherwise */
    double *row_h;                     /* heights of the line rows (measuring pass) */
    double closing_h;                  /* height of the closing block (measuring pass) */
    int page, pages;
} pdf;

/* Sets p up to write doc's PDF into out; false (nothing to release) when the
 * currency is unknown, the logo is not pdf_logo_ok or cairo fails. */
bool pdf_begin(pdf *p, const document *doc, const pdf_assets *assets, buf *out);
/* Finishes the file and releases everything; false when cairo failed. */
bool pdf_end(pdf *p);

/* Lays text out in a box of width w at (x, y), drawing it when draw; returns
 * its height. */
double pdf_text(pdf *p, const char *text, double x, double y, double w, PangoAlignment align,
                const PangoFontDescription *font, bool draw);
/* The lines of an address; returns their height. */
double pdf_address(pdf *p, const doc_address *a, double x, double y, double w, bool draw);
/* The logo scaled into PDF_LOGO_W x PDF_LOGO_H, right-aligned at x + PDF_LOGO_W;
 * returns the height used (0 without a logo). */
double pdf_logo(pdf *p, double x, double y, bool draw);
/* The EPC QR code with its caption; returns the height used (0 without one). */
double pdf_epc_qr(pdf *p, double x, double y, bool draw);
void pdf_fill_rect(pdf *p, double x, double y, double w, double h, double gray);
void pdf_hline(pdf *p, double x, double y, double w, double gray);

/* Ends the page (footer when draw) and starts the next; returns its top. */
double pdf_next_page(pdf *p, bool draw);
/* The footer: the seller and "Page N of M". */
void pdf_footer(pdf *p);

/* Formatting in the document's language; each returns out. */
const char *pdf_money(pdf *p, int64_t minor, char out[MONEY_FORMAT_BYTES_MAX]);
const char *pdf_date(pdf *p, const char *iso, char out[16]);
const char *pdf_rate(pdf *p, int rate_bp, char out[16]);
/* An IBAN in groups of four; out holds at least 2 * DOC_IBAN_MAX bytes. */
const char *pdf_iban(const char *iban, char *out);

#endif
