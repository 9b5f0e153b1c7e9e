/* pdf_page.c - the drawing primitives of the document PDFs (see pdf_page.h). */
#include "render/pdf_page.h"

#include <assert.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/image_sniff.h"
#include "core/vat.h"
#include "feature/bank/epc_qr.h"
#include "render/i18n.h"

#define PDF_FONT "DejaVu Sans"

struct reader {
    const uint8_t *data;
    size_t left;
};

static cairo_status_t read_cb(void *closure, unsigned char *data, unsigned int len)
{
    struct reader *rd = closure;
    if (len > rd->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, rd->data, len);
    rd->data += len;
    rd->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

bool pdf_logo_ok(const uint8_t *data, size_t len)
{
    uint32_t w = 0, h = 0;
    return data && image_sniff(data, len, &w, &h) != IMAGE_NONE && w <= PDF_LOGO_SIDE_MAX &&
           h <= PDF_LOGO_SIDE_MAX;
}

bool pdf_logo_load(const char *path, buf *out)
{
    enum { LOGO_BYTES_MAX = 1000 * 1000 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    buf_reset(out);
    char chunk[16384];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && out->len + n <= LOGO_BYTES_MAX)
        buf_append(out, chunk, n);
    bool ok = !ferror(f) && n == 0 && pdf_logo_ok((const uint8_t *)out->data, out->len);
    fclose(f);
    return ok;
}

/* A PNG is decoded, flattened onto the white page and scaled down to at
 * most PDF_LOGO_DPI in its box: every document embeds it again, compressed,
 * so fewer pixels and no alpha mask make each document much cheaper. A JPEG
 * is embedded as it is (cairo's PDF backend writes the JPEG data of a
 * surface carrying it as mime data). */
static cairo_surface_t *png_logo(const pdf_assets *a)
{
    struct reader rd = {a->logo, a->logo_len};
    cairo_surface_t *png = cairo_image_surface_create_from_png_stream(read_cb, &rd);
    if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
        return png;
    double w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    double max_w = PDF_LOGO_W * PDF_LOGO_DPI / 72, max_h = PDF_LOGO_H * PDF_LOGO_DPI / 72;
    double scale = max_w / w < max_h / h ? max_w / w : max_h / h;
    if (scale > 1)
        scale = 1;
    int sw = (int)(w * scale + 0.5), sh = (int)(h * scale + 0.5);
    cairo_surface_t *flat = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw > 0 ? sw : 1, sh > 0 ? sh : 1);
    cairo_t *cr = cairo_create(flat);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, png, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(png);
    return flat;
}

static cairo_surface_t *logo_surface(const pdf_assets *a)
{
    uint32_t w = 0, h = 0;
    image_kind kind = image_sniff(a->logo, a->logo_len, &w, &h);
    cairo_surface_t *s;
    if (kind == IMAGE_PNG) {
        s = png_logo(a);
    } else {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
        if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
            cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, a->logo, a->logo_len, NULL, NULL);
    }
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* The EPC payload of a pro-forma as a QR matrix; left empty when the bank
 * details do not make a valid payload. */
static void epc_matrix(pdf *p)
{
    const document *d = p->doc;
    if (d->kind != DOC_PROFORMA || !d->iban[0])
        return;
    char name[EPC_NAME_MAX + 1];
    buf_copy_utf8(name, sizeof name, d->seller.name);
    bool euro = strcmp(d->currency, "EUR") == 0 && d->gross_minor > 0 && d->gross_minor <= EPC_AMOUNT_MAX;
    epc_payment e = {d->bic, name, d->iban, euro ? d->gross_minor : 0, d->reference};
    buf payload;
    buf_init(&payload, 0);
    if (epc_payload(&e, &payload))
        qr_matrix_encode(buf_cstr(&payload), &p->qr);
    buf_free(&payload);
}

static void fonts_and_layout(pdf *p)
{
    p->context = pango_cairo_create_context(p->pdf_cr);
    pango_cairo_context_set_resolution(p->context, 72); /* one point, one unit */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->context, fo);
    cairo_font_options_destroy(fo);
    p->layout = pango_layout_new(p->context);
    p->cell = pango_layout_new(p->context);
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_wrap(p->cell, PANGO_WRAP_WORD_CHAR);
    p->regular = pango_font_description_from_string(PDF_FONT " 8.5");
    p->bold = pango_font_description_from_string(PDF_FONT " Bold 8.5");
    p->small = pango_font_description_from_string(PDF_FONT " 7.5");
    p->heading = pango_font_description_from_string(PDF_FONT " Bold 11");
    p->title = pango_font_description_from_string(PDF_FONT " Bold 13");
    p->line_h = pdf_measure(p, "Ag", 100, p->regular);
}

static cairo_t *new_recording(void)
{
    cairo_rectangle_t page = {0, 0, PDF_PAGE_W, PDF_PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s); /* cr holds it */
    return cr;
}

bool pdf_begin(pdf *p, const document *doc, const pdf_assets *assets, buf *out)
{
    *p = (pdf){.doc = doc, .out = out};
    p->lang = strcmp(doc->language, "it") == 0 ? "it" : "en";
    p->cur = currency_find(doc->currency);
    if (!p->cur)
        return false;
    if (assets && assets->logo) {
        if (!pdf_logo_ok(assets->logo, assets->logo_len) || !(p->logo = logo_surface(assets)))
            return false;
    }
    p->surface = cairo_pdf_surface_create_for_stream(write_cb, out, PDF_PAGE_W, PDF_PAGE_H);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, doc->number);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "saldo");
    p->pdf_cr = cairo_create(p->surface);
    p->cr = new_recording();
    fonts_and_layout(p);
    epc_matrix(p);
    return true;
}

static void push_page(pdf *p)
{
    if (p->page_count == p->page_cap) {
        p->page_cap = p->page_cap ? 2 * p->page_cap : 8;
        p->pages = realloc(p->pages, (size_t)p->page_cap * sizeof *p->pages);
        if (!p->pages)
            abort();
    }
    p->pages[p->page_count++] = cairo_surface_reference(cairo_get_target(p->cr));
    cairo_destroy(p->cr);
    p->cr = NULL;
}

double pdf_next_page(pdf *p)
{
    assert(!p->page_cr);
    push_page(p);
    p->cr = new_recording();
    return PDF_MARGIN;
}

/* The footer: the seller and "Page N of M". */
static void footer(pdf *p, int page)
{
    const char *lang = p->lang;
    const doc_party *s = &p->doc->seller;
    char left[DOC_NAME_MAX + DOC_ID_MAX + 32], right[64];
    snprintf(left, sizeof left, "%s%s%s", s->name, s->vat_id[0] ? " · " : "", s->vat_id);
    snprintf(right, sizeof right, _("Page %d of %d"), page, p->page_count);
    double y = PDF_PAGE_H - 40;
    pdf_hline(p, PDF_MARGIN, y - 4, PDF_BODY_W, 0.6);
    pdf_text(p, left, PDF_MARGIN, y, PDF_BODY_W - 100, PANGO_ALIGN_LEFT, p->small);
    pdf_text(p, right, PDF_MARGIN + PDF_BODY_W - 100, y, 100, PANGO_ALIGN_RIGHT, p->small);
}

bool pdf_end(pdf *p)
{
    assert(!p->page_cr);
    push_page(p);
    p->cr = p->pdf_cr;
    for (int i = 0; i < p->page_count; i++) {
        cairo_set_source_surface(p->cr, p->pages[i], 0, 0);
        cairo_paint(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        footer(p, i + 1);
        cairo_show_page(p->cr);
        cairo_surface_destroy(p->pages[i]);
    }
    free(p->pages);
    g_object_unref(p->layout);
    g_object_unref(p->cell);
    g_object_unref(p->context);
    pango_font_description_free(p->regular);
    pango_font_description_free(p->bold);
    pango_font_description_free(p->small);
    pango_font_description_free(p->heading);
    pango_font_description_free(p->title);
    bool ok = cairo_status(p->pdf_cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(p->pdf_cr);
    cairo_surface_finish(p->surface);
    ok = ok && cairo_surface_status(p->surface) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(p->surface);
    if (p->logo)
        cairo_surface_destroy(p->logo);
    qr_matrix_free(&p->qr);
    return ok && !p->out->overflow;
}

void pdf_block_begin(pdf *p)
{
    assert(!p->page_cr);
    p->page_cr = p->cr;
    p->cr = new_recording();
}

cairo_surface_t *pdf_block_end(pdf *p)
{
    assert(p->page_cr);
    cairo_surface_t *block = cairo_surface_reference(cairo_get_target(p->cr));
    cairo_destroy(p->cr);
    p->cr = p->page_cr;
    p->page_cr = NULL;
    return block;
}

void pdf_block_place(pdf *p, cairo_surface_t *block, double y)
{
    cairo_set_source_surface(p->cr, block, 0, y);
    cairo_paint(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_surface_destroy(block);
}

double pdf_text(pdf *p, const char *text, double x, double y, double w, PangoAlignment align,
                const PangoFontDescription *font)
{
    if (p->font != font) {
        pango_layout_set_font_description(p->layout, font);
        p->font = font;
    }
    pango_layout_set_width(p->layout, pango_units_from_double(w));
    pango_layout_set_alignment(p->layout, align);
    pango_layout_set_text(p->layout, text, -1);
    int h = 0;
    pango_layout_get_size(p->layout, NULL, &h);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->layout);
    return pango_units_to_double(h);
}

double pdf_measure(pdf *p, const char *text, double w, const PangoFontDescription *font)
{
    pango_layout_set_font_description(p->cell, font);
    pango_layout_set_width(p->cell, pango_units_from_double(w));
    pango_layout_set_text(p->cell, text, -1);
    int h = 0;
    pango_layout_get_size(p->cell, NULL, &h);
    return pango_units_to_double(h);
}

void pdf_show_measured(pdf *p, double x, double y)
{
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->cell);
}

double pdf_address(pdf *p, const doc_address *a, double x, double y, double w)
{
    char city[sizeof a->postal_code + sizeof a->city + sizeof a->province + 8];
    snprintf(city, sizeof city, "%s%s%s%s%s%s", a->postal_code, a->postal_code[0] ? " " : "", a->city,
             a->province[0] ? " (" : "", a->province, a->province[0] ? ")" : "");
    const char *lines[] = {a->street, a->extra, city, a->country};
    double h = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (lines[i][0])
            h += pdf_text(p, lines[i], x, y + h, w, PANGO_ALIGN_LEFT, p->regular);
    return h;
}

double pdf_logo(pdf *p, double x, double y)
{
    if (!p->logo)
        return 0;
    double w, h;
    cairo_surface_t *s = p->logo;
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
    double scale = PDF_LOGO_W / w < PDF_LOGO_H / h ? PDF_LOGO_W / w : PDF_LOGO_H / h;
    cairo_save(p->cr);
    cairo_translate(p->cr, x + PDF_LOGO_W - w * scale, y);
    cairo_scale(p->cr, scale, scale);
    cairo_set_source_surface(p->cr, s, 0, 0);
    cairo_paint(p->cr);
    cairo_restore(p->cr);
    return h * scale;
}

double pdf_epc_qr(pdf *p, double x, double y)
{
    const char *lang = p->lang;
    int n = p->qr.width;
    if (n == 0)
        return 0;
    double m = PDF_QR_SIDE / (n + 2 * QR_QUIET_MODULES);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n;) {
            if (!p->qr.modules[r * n + c]) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && p->qr.modules[r * n + c])
                c++;
            cairo_rectangle(p->cr, x + (start + QR_QUIET_MODULES) * m, y + (r + QR_QUIET_MODULES) * m,
                            (c - start) * m, m);
        }
    cairo_fill(p->cr);
    return PDF_QR_SIDE + pdf_text(p, _("Scan with your banking app to pay"), x, y + PDF_QR_SIDE, PDF_QR_SIDE,
                                  PANGO_ALIGN_CENTER, p->small);
}

void pdf_fill_rect(pdf *p, double x, double y, double w, double h, double gray)
{
    cairo_set_source_rgb(p->cr, gray, gray, gray);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

void pdf_hline(pdf *p, double x, double y, double w, double gray)
{
    cairo_set_source_rgb(p->cr, gray, gray, gray);
    cairo_set_line_width(p->cr, 0.5);
    cairo_move_to(p->cr, x, y);
    cairo_line_to(p->cr, x + w, y);
    cairo_stroke(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

const char *pdf_money(pdf *p, int64_t minor, char out[MONEY_FORMAT_BYTES_MAX])
{
    money_err e = money_format(money_make(minor, p->cur), p->lang, out, MONEY_FORMAT_BYTES_MAX);
    assert(e == MONEY_OK);
    (void)e;
    return out;
}

const char *pdf_date(pdf *p, const char *iso, char out[16])
{
    if (strcmp(p->lang, "it") == 0 && strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
        snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, 16, "%s", iso);
    return out;
}

const char *pdf_rate(pdf *p, int rate_bp, char out[16])
{
    char r[8];
    vat_rate_text(rate_bp, r);
    snprintf(out, 16, "%s%%", r);
    if (strcmp(p->lang, "it") == 0)
        for (char *c = out; *c; c++)
            if (*c == '.')
                *c = ',';
    return out;
}

const char *pdf_iban(const char *iban, char *out)
{
    size_t j = 0;
    for (size_t i = 0; iban[i]; i++) {
        if (i && i % 4 == 0)
            out[j++] = ' ';
        out[j++] = iban[i];
    }
    out[j] = '\0';
    return out;
}
