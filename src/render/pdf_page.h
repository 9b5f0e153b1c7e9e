/* pdf_page.h - the drawing primitives of pdf_document.c, kept apart from its
 * layout: the page geometry, pango layouts reused for every text, money,
 * dates and rates in the document's language, the logo, the EPC QR code,
 * page breaks and footers. Internal to src/render.
 *
 * Every text is shaped once: pages are drawn into cairo recording surfaces
 * and replayed into the PDF at the end, when the page count is known for the
 * "Page N of M" footers; a block whose height decides a page break is drawn
 * into a recording of its own, then placed where it fits. Replayed
 * recordings stay vector graphics and text in the PDF. */
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
/* A PNG logo's largest resolution in its box, in pixels per inch. */
#define PDF_LOGO_DPI 144.0
/* The EPC QR code's side, quiet zone included. */
#define PDF_QR_SIDE 110.0

/* _("text"): text in the document's language. Needs `const char *lang` in scope. */
#define _(msgid) i18n_text(lang, "" msgid "")

typedef struct pdf {
    const document *doc;
    const char *lang;                  /* "it" or "en" */
    const currency *cur;
    buf *out;
    cairo_surface_t *surface, *logo;   /* the PDF; the logo or NULL */
    cairo_t *pdf_cr;                   /* draws on the PDF itself (footers) */
    cairo_t *cr;                       /* draws on the current page or block recording */
    cairo_t *page_cr;                  /* the current page's, while a block is drawn */
    cairo_surface_t **pages;           /* the recordings of the finished pages */
    int page_count, page_cap;
    PangoContext *context;
    PangoLayout *layout, *cell;        /* any text; a measured text waiting to be shown */
    const PangoFontDescription *font;  /* the layout's current font */
    PangoFontDescription *regular, *bold, *small, *heading, *title;
    double line_h;                     /* height of one line in the regular and bold fonts */
    qr_matrix qr;                      /* pro-formas with bank details; width 0 otherwise */
} pdf;

/* Sets p up to write doc's PDF into out; false (nothing to release) when the
 * currency is unknown, the logo is not pdf_logo_ok or cairo fails. */
bool pdf_begin(pdf *p, const document *doc, const pdf_assets *assets, buf *out);
/* Replays the pages into the file with their footers, finishes it and
 * releases everything; false when cairo failed. */
bool pdf_end(pdf *p);

/* Draws text laid out in a box of width w at (x, y); returns its height. */
double pdf_text(pdf *p, const char *text, double x, double y, double w, PangoAlignment align,
                const PangoFontDescription *font);
/* Lays text out (left-aligned, width w) without drawing it; returns its
 * height. pdf_show_measured draws it later, until the next pdf_measure. */
double pdf_measure(pdf *p, const char *text, double w, const PangoFontDescription *font);
void pdf_show_measured(pdf *p, double x, double y);
/* The lines of an address; returns their height. */
double pdf_address(pdf *p, const doc_address *a, double x, double y, double w);
/* The logo scaled into PDF_LOGO_W x PDF_LOGO_H, right-aligned at x + PDF_LOGO_W;
 * returns the height used (0 without a logo). */
double pdf_logo(pdf *p, double x, double y);
/* The EPC QR code with its caption; returns the height used (0 without one). */
double pdf_epc_qr(pdf *p, double x, double y);

/* Drawing goes to a block recording from pdf_block_begin to pdf_block_end,
 * which returns it; pdf_block_place draws it on the page with its top at y
 * and releases it. Blocks do not nest. */
void pdf_block_begin(pdf *p);
cairo_surface_t *pdf_block_end(pdf *p);
void pdf_block_place(pdf *p, cairo_surface_t *block, double y);
void pdf_fill_rect(pdf *p, double x, double y, double w, double h, double gray);
void pdf_hline(pdf *p, double x, double y, double w, double gray);

/* Ends the page and starts the next; returns its top. */
double pdf_next_page(pdf *p);

/* Formatting in the document's language; each returns out. */
const char *pdf_money(pdf *p, int64_t minor, char out[MONEY_FORMAT_BYTES_MAX]);
const char *pdf_date(pdf *p, const char *iso, char out[16]);
const char *pdf_rate(pdf *p, int rate_bp, char out[16]);
/* An IBAN in groups of four; out holds at least 2 * DOC_IBAN_MAX bytes. */
const char *pdf_iban(const char *iban, char *out);

#endif
