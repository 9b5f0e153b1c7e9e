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

/* A PNG is decoded; a JPEG is embedded as it is (cairo's PDF backend writes
 * the JPEG data of a surface carrying it as mime data). */
static cairo_surface_t *logo_surface(const pdf_assets *a)
{
    uint32_t w = 0, h = 0;
    image_kind kind = image_sniff(a->logo, a->logo_len, &w, &h);
    cairo_surface_t *s;
    if (kind == IMAGE_PNG) {
        struct reader rd = {a->logo, a->logo_len};
        s = cairo_image_surface_create_from_png_stream(read_cb, &rd);
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
    p->context = pango_cairo_create_context(p->cr);
    pango_cairo_context_set_resolution(p->context, 72); /* one point, one unit */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(p->context, fo);
    cairo_font_options_destroy(fo);
    p->layout = pango_layout_new(p->context);
    pango_layout_set_wrap(p->layout, PANGO_WRAP_WORD_CHAR);
    p->regular = pango_font_description_from_string(PDF_FONT " 8.5");
    p->bold = pango_font_description_from_string(PDF_FONT " Bold 8.5");
    p->small = pango_font_description_from_string(PDF_FONT " 7.5");
    p->heading = pango_font_description_from_string(PDF_FONT " Bold 11");
    p->title = pango_font_description_from_string(PDF_FONT " Bold 13");
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
    p->cr = cairo_create(p->surface);
    fonts_and_layout(p);
    epc_matrix(p);
    return true;
}

bool pdf_end(pdf *p)
{
    g_object_unref(p->layout);
    g_object_unref(p->context);
    pango_font_description_free(p->regular);
    pango_font_description_free(p->bold);
    pango_font_description_free(p->small);
    pango_font_description_free(p->heading);
    pango_font_description_free(p->title);
    bool ok = cairo_status(p->cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    ok = ok && cairo_surface_status(p->surface) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(p->surface);
    if (p->logo)
        cairo_surface_destroy(p->logo);
    qr_matrix_free(&p->qr);
    return ok && !p->out->overflow;
}

double pdf_text(pdf *p, const char *text, double x, double y, double w, PangoAlignment align,
                const PangoFontDescription *font, bool draw)
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
    if (draw) {
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, p->layout);
    }
    return pango_units_to_double(h);
}

double pdf_address(pdf *p, const doc_address *a, double x, double y, double w, bool draw)
{
    char city[sizeof a->postal_code + sizeof a->city + sizeof a->province + 8];
    snprintf(city, sizeof city, "%s%s%s%s%s%s", a->postal_code, a->postal_code[0] ? " " : "", a->city,
             a->province[0] ? " (" : "", a->province, a->province[0] ? ")" : "");
    const char *lines[] = {a->street, a->extra, city, a->country};
    double h = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (lines[i][0])
            h += pdf_text(p, lines[i], x, y + h, w, PANGO_ALIGN_LEFT, p->regular, draw);
    return h;
}

double pdf_logo(pdf *p, double x, double y, bool draw)
{
    if (!p->logo)
        return 0;
    double w, h;
    cairo_surface_t *s = p->logo;
    w = cairo_image_surface_get_width(s);
    h = cairo_image_surface_get_height(s);
    double scale = PDF_LOGO_W / w < PDF_LOGO_H / h ? PDF_LOGO_W / w : PDF_LOGO_H / h;
    if (draw) {
        cairo_save(p->cr);
        cairo_translate(p->cr, x + PDF_LOGO_W - w * scale, y);
        cairo_scale(p->cr, scale, scale);
        cairo_set_source_surface(p->cr, s, 0, 0);
        cairo_paint(p->cr);
        cairo_restore(p->cr);
    }
    return h * scale;
}

double pdf_epc_qr(pdf *p, double x, double y, bool draw)
{
    const char *lang = p->lang;
    int n = p->qr.width;
    if (n == 0)
        return 0;
    double m = PDF_QR_SIDE / (n + 2 * QR_QUIET_MODULES);
    if (draw) {
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
    }
    return PDF_QR_SIDE + pdf_text(p, _("Scan with your banking app to pay"), x, y + PDF_QR_SIDE, PDF_QR_SIDE,
                                  PANGO_ALIGN_CENTER, p->small, draw);
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

void pdf_footer(pdf *p)
{
    const char *lang = p->lang;
    const doc_party *s = &p->doc->seller;
    char left[DOC_NAME_MAX + DOC_ID_MAX + 32], right[64];
    snprintf(left, sizeof left, "%s%s%s", s->name, s->vat_id[0] ? " · " : "", s->vat_id);
    snprintf(right, sizeof right, _("Page %d of %d"), p->page, p->pages);
    double y = PDF_PAGE_H - 40;
    pdf_hline(p, PDF_MARGIN, y - 4, PDF_BODY_W, 0.6);
    pdf_text(p, left, PDF_MARGIN, y, PDF_BODY_W - 100, PANGO_ALIGN_LEFT, p->small, true);
    pdf_text(p, right, PDF_MARGIN + PDF_BODY_W - 100, y, 100, PANGO_ALIGN_RIGHT, p->small, true);
}

double pdf_next_page(pdf *p, bool draw)
{
    if (draw) {
        pdf_footer(p);
        cairo_show_page(p->cr);
    }
    p->page++;
    return PDF_MARGIN;
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
