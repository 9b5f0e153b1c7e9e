/* qr.h - QR codes (libqrencode): as inline SVG for pages (the otpauth URI of
 * two-factor enrolment), and as a module matrix for drawing elsewhere (the EPC
 * payment QR on pro-forma PDFs). */
#ifndef SALDO_QR_H
#define SALDO_QR_H

#include <stdbool.h>

#include "lib/buf.h"

enum { QR_TEXT_MAX = 1024, QR_QUIET_MODULES = 4 };

/* Appends an <svg> drawing text as a QR code (error correction level M) to out;
 * title is its accessible name (escaped). False when text is empty, too long or
 * cannot be encoded. */
bool qr_svg(const char *text, const char *title, buf *out);

/* A QR code's modules, without the quiet zone: width x width bytes, row by
 * row, 1 for a dark module and 0 for a light one. */
typedef struct qr_matrix {
    int width;
    unsigned char *modules;
} qr_matrix;

/* Encodes text (error correction level M) into *out, which the caller frees
 * with qr_matrix_free. False, *out zeroed, as qr_svg. */
bool qr_matrix_encode(const char *text, qr_matrix *out);
void qr_matrix_free(qr_matrix *m);

#endif
