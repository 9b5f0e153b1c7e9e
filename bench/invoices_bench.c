/* invoices_bench.c - how many PDF documents one core renders per second
 * (src/render/pdf_document.c): a typical 5-line Italian invoice with a logo
 * and a 200-line English one, each rendered N times in memory on this one
 * thread, and the 5-line one without the logo, for comparison. Rates are per
 * second of this thread's CPU time (the target is "on one core", and the
 * machine may be shared), with the wall-clock rate beside them. Prints
 * PASS/MISS against the target of docs/PERFORMANCE.md (>= 200 per second for
 * the 5-line invoice); it never fails on a slow run (benchmarks report, tests
 * assert), only when a document cannot be rendered.
 *
 * usage: invoices_bench [--short N] [--long N] */
#include <cairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc_fixture.h"
#include "render/pdf_document.h"

#define TARGET_SHORT_PER_S 200.0

static double now_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct rate {
    double cpu, wall; /* documents per second */
    size_t bytes;     /* of one document */
} rate;

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A 400 x 120 PNG logo with some drawing in it, like a real one. */
static void make_logo(buf *png)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 120);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.1, 0.3, 0.6);
    cairo_arc(cr, 60, 60, 50, 0, 6.283);
    cairo_fill(cr);
    cairo_rectangle(cr, 130, 40, 250, 40);
    cairo_fill(cr);
    cairo_destroy(cr);
    if (cairo_surface_write_to_png_stream(s, to_buf, png) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_surface_destroy(s);
}

/* Renders doc count times; exits when one fails. */
static rate run(const document *doc, const pdf_assets *a, long count)
{
    buf out;
    buf_init(&out, 0);
    double c0 = now_s(CLOCK_THREAD_CPUTIME_ID), w0 = now_s(CLOCK_MONOTONIC);
    for (long i = 0; i < count; i++) {
        buf_reset(&out);
        if (!pdf_document(doc, a, &out)) {
            fprintf(stderr, "invoices_bench: rendering failed\n");
            exit(1);
        }
    }
    rate r = {(double)count / (now_s(CLOCK_THREAD_CPUTIME_ID) - c0), (double)count / (now_s(CLOCK_MONOTONIC) - w0),
              out.len};
    buf_free(&out);
    return r;
}

static void report(const char *label, long count, rate r, bool target)
{
    printf("  %-28s %6ld docs: %7.1f documents/s of CPU (%7.1f wall), %zu bytes each", label, count, r.cpu, r.wall,
           r.bytes);
    if (target)
        printf("  (target >= %.0f)  %s", TARGET_SHORT_PER_S, r.cpu >= TARGET_SHORT_PER_S ? "PASS" : "MISS");
    printf("\n");
}

static long arg_count(int argc, char **argv, const char *flag, long fallback)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], flag) == 0) {
            long n = strtol(argv[i + 1], NULL, 10);
            return n > 0 ? n : fallback;
        }
    return fallback;
}

int main(int argc, char **argv)
{
    long short_n = arg_count(argc, argv, "--short", 2000), long_n = arg_count(argc, argv, "--long", 50);
    static doc_line lines[200];
    document doc;
    buf logo;
    buf_init(&logo, 0);
    make_logo(&logo);
    pdf_assets a = {(const uint8_t *)logo.data, logo.len};

    printf("invoice PDFs (one thread, in memory; logo: a %zu-byte 400x120 PNG)\n", logo.len);
    doc_fixture(&doc, lines, 5, DOC_INVOICE, "it");
    run(&doc, &a, 20); /* warm up: fonts found and cached */
    report("5-line invoice, logo", short_n, run(&doc, &a, short_n), true);
    report("5-line invoice, no logo", short_n, run(&doc, NULL, short_n), false);
    doc_fixture(&doc, lines, 200, DOC_INVOICE, "en");
    report("200-line invoice, logo", long_n, run(&doc, &a, long_n), false);
    buf_free(&logo);
    return 0;
}
