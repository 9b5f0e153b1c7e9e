/* qr.h - QR codes as inline SVG (libqrencode): the otpauth URI of two-factor
 * enrolment now, the EPC payment QR of bank transfers later. */
#ifndef SALDO_QR_H
#define SALDO_QR_H

#include <stdbool.h>

#include "lib/buf.h"

enum { QR_TEXT_MAX = 1024, QR_QUIET_MODULES = 4 };

/* Appends an <svg> drawing text as a QR code (error correction level M) to out;
 * title is its accessible name (escaped). False when text is empty, too long or
 * cannot be encoded. */
bool qr_svg(const char *text, const char *title, buf *out);

#endif
