/* pdf_document.c - see pdf_document.h.
 *
 * The layout, top to bottom: the seller and the logo, the title and the
 * buyer, the lines table (a row goes to the next page, under a repeated
 * table header, when it does not fit), then the closing block (VAT summary,
 * totals, mention, payment, bank details), drawn apart to learn its height
 * and placed on the last page, or on a page of its own when it does not fit.
 * Page recording and footers: pdf_page.c. */
#include "render/pdf_document.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vat.h"
#include "render/i18n.h"
#include "render/pdf_page.h"

/* Columns of the lines table: x offset from the margin and width, in points. */
static const double col_x[] = {0, 174, 278, 310, 396, 436};
static const double col_w[] = {170, 100, 28, 82, 40, 75};
enum { COL_DESC, COL_PERIOD, COL_QTY, COL_UNIT, COL_RATE, COL_NET, COL_COUNT };

static const char *kind_title(pdf *p)
{
    const char *lang = p->lang;
    switch (p->doc->kind) {
    case DOC_PROFORMA: return _("Pro-forma invoice");
    case DOC_INVOICE: return _("Invoice");
    case DOC_CREDIT_NOTE: return _("Credit note");
    case DOC_RECEIPT: return _("Receipt");
    case DOC_KIND_COUNT: break;
    }
    assert(!"document kind");
    return "";
}

static const char *method_text(pdf *p, const char *method)
{
    const char *lang = p->lang;
    if (strcmp(method, "balance") == 0) return _("prepaid balance");
    if (strcmp(method, "card") == 0) return _("card");
    if (strcmp(method, "bank_transfer") == 0) return _("bank transfer");
    if (strcmp(method, "paypal") == 0) return "PayPal";
    if (strcmp(method, "crypto") == 0) return _("cryptocurrency");
    return method;
}

/* The seller's block at the top left, the logo at the top right. */
static double seller_block(pdf *p, double y)
{
    const char *lang = p->lang;
    const doc_party *s = &p->doc->seller;
    double top = y;
    char line[DOC_TEXT_MAX * 2 + 64];
    y += pdf_text(p, s->name, PDF_MARGIN, y, 300, PANGO_ALIGN_LEFT, p->heading);
    y += pdf_address(p, &s->address, PDF_MARGIN, y, 300);
    if (s->vat_id[0]) {
        snprintf(line, sizeof line, "%s: %s", _("VAT ID"), s->vat_id);
        y += pdf_text(p, line, PDF_MARGIN, y, 300, PANGO_ALIGN_LEFT, p->regular);
    }
    if (s->fiscal_code[0] && strcmp(s->fiscal_code, s->vat_id) != 0) {
        snprintf(line, sizeof line, "%s: %s", _("Fiscal code"), s->fiscal_code);
        y += pdf_text(p, line, PDF_MARGIN, y, 300, PANGO_ALIGN_LEFT, p->regular);
    }
    double logo_bottom = top + pdf_logo(p, PDF_PAGE_W - PDF_MARGIN - PDF_LOGO_W, top);
    return (y > logo_bottom ? y : logo_bottom) + 18;
}

/* Title, number and dates at the left; the buyer at the right. */
static double title_block(pdf *p, double y)
{
    const char *lang = p->lang;
    const document *d = p->doc;
    char line[DOC_NOTE_MAX + 64], date[16], date2[16];
    double left = y;
    snprintf(line, sizeof line, "%s %s", kind_title(p), d->number);
    left += pdf_text(p, line, PDF_MARGIN, left, 285, PANGO_ALIGN_LEFT, p->title) + 4;
    snprintf(line, sizeof line, "%s: %s", _("Date"), pdf_date(p, d->issue_date, date));
    left += pdf_text(p, line, PDF_MARGIN, left, 260, PANGO_ALIGN_LEFT, p->regular);
    if (d->kind == DOC_PROFORMA && d->due_date[0]) {
        snprintf(line, sizeof line, "%s: %s", _("Due date"), pdf_date(p, d->due_date, date));
        left += pdf_text(p, line, PDF_MARGIN, left, 260, PANGO_ALIGN_LEFT, p->regular);
    }
    if (d->kind == DOC_CREDIT_NOTE) {
        snprintf(line, sizeof line, _("Credits invoice %s of %s"), d->credits_number,
                 pdf_date(p, d->credits_date, date2));
        left += pdf_text(p, line, PDF_MARGIN, left, 260, PANGO_ALIGN_LEFT, p->bold);
    }
    if (d->kind == DOC_PROFORMA)
        left += 4 + pdf_text(p, _("Pro-forma invoice: no fiscal value. The invoice is issued on payment."),
                             PDF_MARGIN, left + 4, 260, PANGO_ALIGN_LEFT, p->small);

    const doc_party *b = &d->buyer;
    double bx = PDF_MARGIN + 290, bw = PDF_BODY_W - 290, right = y;
    right += pdf_text(p, _("Bill to"), bx, right, bw, PANGO_ALIGN_LEFT, p->small);
    right += pdf_text(p, b->name, bx, right, bw, PANGO_ALIGN_LEFT, p->bold);
    right += pdf_address(p, &b->address, bx, right, bw);
    const struct { const char *label, *value; } ids[] = {
        {_("VAT ID"), b->vat_id}, {_("Fiscal code"), b->fiscal_code},
        {_("SDI code"), b->sdi_code}, {"PEC", b->pec},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        if (!ids[i].value[0])
            continue;
        snprintf(line, sizeof line, "%s: %s", ids[i].label, ids[i].value);
        right += pdf_text(p, line, bx, right, bw, PANGO_ALIGN_LEFT, p->regular);
    }
    return (left > right ? left : right) + 18;
}

static double table_head(pdf *p, double y)
{
    const char *lang = p->lang;
    const char *heads[COL_COUNT] = {_("Description"), _("Period"), _("Qty"), _("Unit price"), _("VAT %"),
                                    _("Net amount")};
    pdf_fill_rect(p, PDF_MARGIN - 3, y, PDF_BODY_W + 6, p->line_h + 6, 0.9);
    for (int c = 0; c < COL_COUNT; c++)
        pdf_text(p, heads[c], PDF_MARGIN + col_x[c], y + 3, col_w[c],
                 c <= COL_PERIOD ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, p->bold);
    return y + p->line_h + 9;
}

/* One line of the table, its description measured already (pdf_measure)
 * and h high. */
static void line_row(pdf *p, const doc_line *l, double y, double h)
{
    char period[48] = "", a[16], b[16], qty[24], unit[MONEY_FORMAT_BYTES_MAX], net[MONEY_FORMAT_BYTES_MAX],
         rate[16];
    if (l->period_start[0])
        snprintf(period, sizeof period, "%s – %s", pdf_date(p, l->period_start, a), pdf_date(p, l->period_end, b));
    snprintf(qty, sizeof qty, "%lld", (long long)l->quantity);
    const char *cells[COL_COUNT] = {NULL, period, qty, pdf_money(p, l->unit_net_minor, unit),
                                    pdf_rate(p, l->rate_bp, rate), pdf_money(p, l->net_minor, net)};
    pdf_show_measured(p, PDF_MARGIN + col_x[COL_DESC], y);
    for (int c = COL_PERIOD; c < COL_COUNT; c++)
        if (cells[c][0])
            pdf_text(p, cells[c], PDF_MARGIN + col_x[c], y + (c == COL_PERIOD ? 1 : 0), col_w[c],
                     c == COL_PERIOD ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT, c == COL_PERIOD ? p->small : p->regular);
    pdf_hline(p, PDF_MARGIN - 3, y + h - 2.5, PDF_BODY_W + 6, 0.85);
}

/* A label and an amount at the right of the page. */
static double total_row(pdf *p, const char *label, int64_t minor, double y, const PangoFontDescription *f)
{
    char amount[MONEY_FORMAT_BYTES_MAX];
    double x = PDF_MARGIN + PDF_BODY_W - 250;
    pdf_text(p, label, x, y, 160, PANGO_ALIGN_LEFT, f);
    return pdf_text(p, pdf_money(p, minor, amount), x + 160, y, 90, PANGO_ALIGN_RIGHT, f) + 2;
}

/* The VAT per rate, the totals and the VAT mention. */
static double totals_block(pdf *p, double y)
{
    const char *lang = p->lang;
    const document *d = p->doc;
    y += 8;
    if (d->kind != DOC_RECEIPT) {
        double x = PDF_MARGIN + PDF_BODY_W - 250;
        pdf_text(p, _("VAT rate"), x, y, 70, PANGO_ALIGN_LEFT, p->small);
        pdf_text(p, _("Taxable amount"), x + 70, y, 90, PANGO_ALIGN_RIGHT, p->small);
        y += pdf_text(p, _("VAT"), x + 160, y, 90, PANGO_ALIGN_RIGHT, p->small) + 1;
        for (size_t i = 0; i < d->total_count; i++) {
            char rate[16], net[MONEY_FORMAT_BYTES_MAX], vat[MONEY_FORMAT_BYTES_MAX];
            pdf_text(p, pdf_rate(p, d->totals[i].rate_bp, rate), x, y, 70, PANGO_ALIGN_LEFT, p->regular);
            pdf_text(p, pdf_money(p, d->totals[i].net_minor, net), x + 70, y, 90, PANGO_ALIGN_RIGHT, p->regular);
            y += pdf_text(p, pdf_money(p, d->totals[i].vat_minor, vat), x + 160, y, 90, PANGO_ALIGN_RIGHT,
                          p->regular);
        }
        pdf_hline(p, x, y + 3, 250, 0.6);
        y += 8;
        y += total_row(p, _("Total net"), d->net_minor, y, p->regular);
        y += total_row(p, _("Total VAT"), d->vat_minor, y, p->regular);
    }
    y += total_row(p, _("Total"), d->gross_minor, y, p->heading) + 8;
    const char *mention = vat_mention_text(d->vat.mention, d->vat.seller_country);
    if (mention)
        y += pdf_text(p, i18n_text(lang, mention), PDF_MARGIN, y, PDF_BODY_W, PANGO_ALIGN_LEFT, p->regular) + 4;
    return y;
}

static double payment_block(pdf *p, double y)
{
    const char *lang = p->lang;
    const document *d = p->doc;
    char line[160], date[16];
    if (d->status == DOC_PAID && d->paid_date[0] && d->payment_method[0])
        snprintf(line, sizeof line, _("Paid on %s by %s"), pdf_date(p, d->paid_date, date),
                 method_text(p, d->payment_method));
    else if (d->status == DOC_PAID && d->paid_date[0])
        snprintf(line, sizeof line, _("Paid on %s"), pdf_date(p, d->paid_date, date));
    else if (d->status == DOC_PAID)
        snprintf(line, sizeof line, "%s", _("Paid"));
    else if (d->status == DOC_CANCELLED)
        snprintf(line, sizeof line, "%s", _("Cancelled"));
    else if (d->due_date[0])
        snprintf(line, sizeof line, _("To be paid by %s"), pdf_date(p, d->due_date, date));
    else
        snprintf(line, sizeof line, "%s", _("To be paid"));
    y += pdf_text(p, line, PDF_MARGIN, y, PDF_BODY_W, PANGO_ALIGN_LEFT, p->bold) + 4;
    if (d->note[0])
        y += pdf_text(p, d->note, PDF_MARGIN, y, PDF_BODY_W, PANGO_ALIGN_LEFT, p->regular) + 4;
    return y;
}

/* Pro-formas: how to pay by bank transfer, with the EPC QR code. */
static double bank_block(pdf *p, double y)
{
    const char *lang = p->lang;
    const document *d = p->doc;
    if (d->kind != DOC_PROFORMA || !d->iban[0])
        return y;
    y += 8;
    double top = y;
    char line[DOC_NAME_MAX + 64], iban[DOC_IBAN_MAX * 2], amount[MONEY_FORMAT_BYTES_MAX];
    y += pdf_text(p, _("Pay by bank transfer"), PDF_MARGIN, y, 300, PANGO_ALIGN_LEFT, p->bold) + 2;
    const struct { const char *label, *value; } rows[] = {
        {_("Beneficiary"), d->seller.name}, {"IBAN", pdf_iban(d->iban, iban)}, {"BIC", d->bic},
        {_("Reference"), d->reference}, {_("Amount"), pdf_money(p, d->gross_minor, amount)},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!rows[i].value[0])
            continue;
        snprintf(line, sizeof line, "%s: %s", rows[i].label, rows[i].value);
        y += pdf_text(p, line, PDF_MARGIN, y, 300, PANGO_ALIGN_LEFT, p->regular);
    }
    double qr_bottom = top + pdf_epc_qr(p, PDF_MARGIN + 330, top);
    return (y > qr_bottom ? y : qr_bottom) + 4;
}

static double closing_block(pdf *p, double y)
{
    y = totals_block(p, y);
    y = payment_block(p, y);
    return bank_block(p, y);
}

static void render(pdf *p)
{
    const document *d = p->doc;
    double y = seller_block(p, PDF_MARGIN);
    y = title_block(p, y);
    y = table_head(p, y);
    for (size_t i = 0; i < d->line_count; i++) {
        double h = pdf_measure(p, d->lines[i].description, col_w[COL_DESC], p->regular);
        h = (h > p->line_h ? h : p->line_h) + 5;
        if (y + h > PDF_BODY_BOTTOM) {
            y = pdf_next_page(p);
            y = table_head(p, y);
        }
        line_row(p, &d->lines[i], y, h);
        y += h;
    }
    pdf_block_begin(p);
    double closing_h = closing_block(p, 0);
    cairo_surface_t *closing = pdf_block_end(p);
    if (y + closing_h > PDF_BODY_BOTTOM)
        y = pdf_next_page(p);
    pdf_block_place(p, closing, y);
}

bool pdf_document(const document *doc, const pdf_assets *assets, buf *out)
{
    assert(doc && out);
    assert(doc->line_count == 0 || doc->lines);
    pdf p;
    if (!pdf_begin(&p, doc, assets, out))
        return false;
    render(&p);
    return pdf_end(&p);
}
