/* qr.c - see qr.h. Dark modules are drawn as horizontal runs in one path, so
 * the SVG stays small and scales crisply. */
#include "render/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

static void draw_runs(const QRcode *q, buf *out)
{
    for (int y = 0; y < q->width; y++) {
        int x = 0;
        while (x < q->width) {
            if (!(q->data[y * q->width + x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < q->width && (q->data[y * q->width + x] & 1))
                x++;
            buf_printf(out, "M%d %dh%dv1h-%dz", start + QR_QUIET_MODULES, y + QR_QUIET_MODULES, x - start,
                       x - start);
        }
    }
}

bool qr_svg(const char *text, const char *title, buf *out)
{
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > QR_TEXT_MAX)
        return false;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    int size = q->width + 2 * QR_QUIET_MODULES;
    buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    "shape-rendering=\"crispEdges\" class=\"qr\"><title>", size, size);
    buf_put_html(out, title, strlen(title));
    buf_printf(out, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"", size, size);
    draw_runs(q, out);
    buf_puts(out, "\"/></svg>");
    QRcode_free(q);
    return !out->overflow;
}

bool qr_matrix_encode(const char *text, qr_matrix *out)
{
    *out = (qr_matrix){0, NULL};
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > QR_TEXT_MAX)
        return false;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return false;
    size_t n = (size_t)q->width * (size_t)q->width;
    out->modules = malloc(n);
    if (!out->modules)
        abort();
    for (size_t i = 0; i < n; i++)
        out->modules[i] = q->data[i] & 1;
    out->width = q->width;
    QRcode_free(q);
    return true;
}

void qr_matrix_free(qr_matrix *m)
{
    if (!m)
        return;
    free(m->modules);
    *m = (qr_matrix){0, NULL};
}
