/* test_pdf_document.c - issued documents as PDF, read back the way a person
 * or a program would: pdftotext (poppler-utils) extracts the text, so the
 * texts must be real text in the document's language, money formatted for
 * it, long invoices must flow over pages with the header repeated and
 * "Page N of M" footers; the pro-forma's QR code is decoded by zbarimg from a
 * rendering of the page (pdftoppm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc_fixture.h"
#include "render/pdf_document.h"

typedef struct rendered {
    char dir[64], pdf[96];
    char *text; /* pdftotext output: pages separated by '\f' */
} rendered;

static char *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    buf b;
    buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    assert_int_equal(pclose(f), 0);
    char *s = strdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void render(const document *doc, const pdf_assets *a, rendered *r)
{
    buf out;
    buf_init(&out, 0);
    assert_true(pdf_document(doc, a, &out));
    assert_true(out.len > 1000);
    assert_memory_equal(out.data, "%PDF-", 5);
    snprintf(r->dir, sizeof r->dir, "/tmp/saldo-pdf-XXXXXX");
    assert_non_null(mkdtemp(r->dir));
    snprintf(r->pdf, sizeof r->pdf, "%s/doc.pdf", r->dir);
    FILE *f = fopen(r->pdf, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out.data, 1, out.len, f), out.len);
    fclose(f);
    buf_free(&out);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftotext -enc UTF-8 %s -", r->pdf);
    r->text = run(cmd);
}

static void done(rendered *r)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", r->dir);
    assert_int_equal(system(cmd), 0);
    free(r->text);
}

static int pages(const rendered *r)
{
    int n = 0;
    for (const char *c = r->text; *c; c++)
        n += *c == '\f';
    return n;
}

/* The text of page (1-based), copied. */
static char *page_text(const rendered *r, int page)
{
    const char *s = r->text;
    for (int i = 1; i < page; i++) {
        s = strchr(s, '\f');
        assert_non_null(s);
        s++;
    }
    const char *e = strchr(s, '\f');
    return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

#define assert_has(hay, needle)                                                                    \
    do {                                                                                           \
        if (!strstr((hay), (needle)))                                                              \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));                                   \
    } while (0)

static void test_italian_invoice(void **state)
{
    (void)state;
    document d;
    doc_line lines[5];
    doc_fixture(&d, lines, 5, DOC_INVOICE, "it");
    rendered r;
    render(&d, NULL, &r);
    assert_int_equal(pages(&r), 1);
    assert_has(r.text, "Fattura 2026/000123");
    assert_has(r.text, "Data: 22/11/2026");
    assert_has(r.text, "Saldo Hosting S.r.l.");
    assert_has(r.text, "Partita IVA: IT12345670017");
    assert_has(r.text, "Rossi & Figli S.p.A.");
    assert_has(r.text, "Partita IVA: IT01234567897");
    assert_has(r.text, "Codice fiscale: RSSMRA80A01H501U");
    assert_has(r.text, "Codice destinatario SDI: M5UXCR1");
    assert_has(r.text, "20121 Milano (MI)");
    assert_has(r.text, "Descrizione");
    assert_has(r.text, "Prezzo unitario");
    assert_has(r.text, "Hosting Pro, example.com (1)");
    assert_has(r.text, "01/11/2026 – 31/10/2027");
    assert_has(r.text, "22%");
    /* 5 lines: nets 12,34 + 2 x 13,35 + 3 x 14,36 + 15,37 + 2 x 16,38 = 130,25 */
    assert_int_equal(d.net_minor, 13025);
    assert_has(r.text, "130,25 €");
    assert_has(r.text, "28,66 €"); /* 22% of 130,25 = 28,655, half up */
    assert_has(r.text, "158,91 €");
    assert_has(r.text, "Totale imponibile");
    assert_has(r.text, "Totale IVA");
    assert_has(r.text, "Pagata il 22/11/2026 con carta");
    assert_has(r.text, "Pagina 1 di 1");
    done(&r);
}

static void test_long_english_invoice_flows_over_pages(void **state)
{
    (void)state;
    document d;
    static doc_line lines[200];
    doc_fixture(&d, lines, 200, DOC_INVOICE, "en");
    d.vat.mention = VAT_MENTION_REVERSE_CHARGE;
    rendered r;
    render(&d, NULL, &r);
    int n = pages(&r);
    assert_true(n >= 4);
    assert_has(r.text, "Invoice 2026/000123");
    assert_has(r.text, "Date: 2026-11-22");
    assert_has(r.text, "VAT ID: IT01234567897");
    assert_has(r.text, "Paid on 2026-11-22 by card");
    char total[64];
    snprintf(total, sizeof total, "€%lld,%03lld.%02lld", (long long)(d.gross_minor / 100000),
             (long long)(d.gross_minor / 100 % 1000), (long long)(d.gross_minor % 100));
    assert_true(d.gross_minor >= 100000 && d.gross_minor < 100000000);
    char expected[64];
    snprintf(expected, sizeof expected, "Page 1 of %d", n);
    assert_has(r.text, expected);
    for (int p = 2; p <= n; p++) {
        char *t = page_text(&r, p);
        snprintf(expected, sizeof expected, "Page %d of %d", p, n);
        assert_has(t, expected);
        assert_has(t, "Description");  /* the table header, repeated */
        assert_has(t, "Unit price");
        if (p == n) {
            assert_has(t, total);
            assert_has(t, "Hosting Pro, example.com (196)");
            assert_has(t, "Managed email, 10 mailboxes (200)");
            assert_has(t, "Reverse charge");
        }
        free(t);
    }
    done(&r);
}

static void test_proforma_has_bank_details_and_qr(void **state)
{
    (void)state;
    document d;
    doc_line lines[3];
    doc_fixture(&d, lines, 3, DOC_PROFORMA, "it");
    rendered r;
    render(&d, NULL, &r);
    assert_has(r.text, "Fattura pro-forma PF-2026/000045");
    assert_has(r.text, "privo di valore fiscale");
    assert_has(r.text, "Scadenza: 06/12/2026");
    assert_has(r.text, "Da pagare entro il 06/12/2026");
    assert_has(r.text, "IBAN: IT60 X054 2811 1010 0000 0123 456");
    assert_has(r.text, "BIC: BPPIITRRXXX");
    assert_has(r.text, d.reference);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftoppm -r 150 -png -singlefile %s %s/page && /usr/bin/zbarimg -q --raw %s/page.png 2>/dev/null",
             r.pdf, r.dir, r.dir);
    char *qr = run(cmd);
    char expected[256];
    char amount[32];
    snprintf(amount, sizeof amount, "EUR%lld.%02lld", (long long)(d.gross_minor / 100), (long long)(d.gross_minor % 100));
    snprintf(expected, sizeof expected, "BCD\n002\n1\nSCT\nBPPIITRRXXX\nSaldo Hosting S.r.l.\nIT60X0542811101000000123456\n%s\n\n%s",
             amount, d.reference);
    assert_has(qr, expected);
    free(qr);
    done(&r);
}

static void test_credit_note_refers_to_its_invoice(void **state)
{
    (void)state;
    document d;
    doc_line lines[1];
    doc_fixture(&d, lines, 1, DOC_CREDIT_NOTE, "it");
    snprintf(d.number, sizeof d.number, "2026/000130");
    snprintf(d.credits_number, sizeof d.credits_number, "2026/000123");
    snprintf(d.credits_date, sizeof d.credits_date, "2026-11-02");
    d.payment_method[0] = '\0';
    rendered r;
    render(&d, NULL, &r);
    assert_has(r.text, "Nota di credito 2026/000130");
    assert_has(r.text, "Storna la fattura 2026/000123 del 02/11/2026");
    assert_has(r.text, "Pagata il 22/11/2026");
    assert_null(strstr(r.text, "Pagata il 22/11/2026 con"));
    done(&r);
}

static void test_receipt_has_no_vat(void **state)
{
    (void)state;
    document d;
    doc_line lines[1];
    doc_fixture(&d, lines, 1, DOC_RECEIPT, "en");
    snprintf(d.payment_method, sizeof d.payment_method, "bank_transfer");
    rendered r;
    render(&d, NULL, &r);
    assert_has(r.text, "Receipt 2026/000123");
    assert_has(r.text, "Paid on 2026-11-22 by bank transfer");
    assert_has(r.text, "€12.34");
    assert_null(strstr(r.text, "Total VAT"));
    done(&r);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void test_logo_and_bad_input(void **state)
{
    (void)state;
    document d;
    doc_line lines[2];
    doc_fixture(&d, lines, 2, DOC_INVOICE, "en");
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 100);
    buf png;
    buf_init(&png, 0);
    assert_int_equal(cairo_surface_write_to_png_stream(s, to_buf, &png), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    char path[] = "/tmp/saldo-logo-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, png.data, png.len), (ssize_t)png.len);
    close(fd);
    buf loaded;
    buf_init(&loaded, 0);
    assert_true(pdf_logo_load(path, &loaded));
    assert_int_equal(loaded.len, png.len);
    assert_int_equal(unlink(path), 0);
    assert_false(pdf_logo_load(path, &loaded));
    buf_free(&loaded);
    pdf_assets a = {(const uint8_t *)png.data, png.len};
    assert_true(pdf_logo_ok(a.logo, a.logo_len));
    rendered r;
    render(&d, &a, &r);
    assert_has(r.text, "Invoice 2026/000123");
    done(&r);

    buf out;
    buf_init(&out, 0);
    pdf_assets bad = {(const uint8_t *)"GIF89a not a logo", 17};
    assert_false(pdf_logo_ok(bad.logo, bad.logo_len));
    assert_false(pdf_document(&d, &bad, &out));
    snprintf(d.currency, sizeof d.currency, "XXY");
    assert_false(pdf_document(&d, NULL, &out));
    buf_free(&out);
    buf_free(&png);
}

/* A JPEG logo (made by pdftoppm from a rendered document) is embedded as it
 * is: pdfimages lists it with the jpeg (DCT) encoding. */
static void test_jpeg_logo_is_embedded_as_jpeg(void **state)
{
    (void)state;
    document d;
    doc_line lines[1];
    doc_fixture(&d, lines, 1, DOC_RECEIPT, "it");
    rendered src;
    render(&d, NULL, &src);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/pdftoppm -r 20 -jpeg -singlefile %s %s/logo", src.pdf, src.dir);
    free(run(cmd));
    snprintf(cmd, sizeof cmd, "%s/logo.jpg", src.dir);
    buf jpeg;
    buf_init(&jpeg, 0);
    assert_true(pdf_logo_load(cmd, &jpeg));
    pdf_assets a = {(const uint8_t *)jpeg.data, jpeg.len};
    rendered r;
    render(&d, &a, &r);
    assert_has(r.text, "Ricevuta 2026/000123");
    snprintf(cmd, sizeof cmd, "/usr/bin/pdfimages -list %s", r.pdf);
    char *list = run(cmd);
    assert_has(list, "jpeg");
    free(list);
    buf_free(&jpeg);
    done(&r);
    done(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_italian_invoice),
        cmocka_unit_test(test_long_english_invoice_flows_over_pages),
        cmocka_unit_test(test_proforma_has_bank_details_and_qr),
        cmocka_unit_test(test_credit_note_refers_to_its_invoice),
        cmocka_unit_test(test_receipt_has_no_vat),
        cmocka_unit_test(test_logo_and_bad_input),
        cmocka_unit_test(test_jpeg_logo_is_embedded_as_jpeg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
