/* image_sniff.h - what kind of image a byte string really is, judged by its
 * content (never by a file name or a declared type): a PNG (signature, then an
 * IHDR chunk with a non-zero width and height) or a JPEG (SOI, then a SOF
 * marker with a non-zero size before the scan). Used for uploaded logos, which
 * are later served back to browsers. Pure: no I/O. */
#ifndef SALDO_IMAGE_SNIFF_H
#define SALDO_IMAGE_SNIFF_H

#include <stddef.h>
#include <stdint.h>

typedef enum { IMAGE_NONE, IMAGE_PNG, IMAGE_JPEG, IMAGE_KIND_COUNT } image_kind;

enum { IMAGE_SIDE_MAX = 65535, IMAGE_JPEG_SEGMENTS_MAX = 256 };

/* The kind of data[0..len), with its width and height (when not NULL) in
 * pixels; IMAGE_NONE (w and h untouched) for anything else, truncated
 * headers, zero or absurd sizes (above IMAGE_SIDE_MAX) included. */
image_kind image_sniff(const uint8_t *data, size_t len, uint32_t *width, uint32_t *height);
/* "image/png", "image/jpeg", or NULL for IMAGE_NONE. */
const char *image_mime(image_kind kind);

#endif
