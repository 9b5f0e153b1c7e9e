/* file_sniff.h - what kind of file an upload really is, judged by its content
 * (never by its name or declared type): the kinds a support ticket accepts
 * as attachments - PNG and JPEG (image_sniff), GIF, PDF, ZIP and plain text.
 * Text is UTF-8 without NUL or control characters (tabs, line ends and form
 * feeds allowed) that does not look like markup: HTML, SVG or XML (text
 * starting with '<', or holding <html, <script, <svg, <iframe, <!doctype or
 * <?xml anywhere) is refused, since a browser might render it. Pure: no I/O. */
#ifndef SALDO_FILE_SNIFF_H
#define SALDO_FILE_SNIFF_H

#include <stddef.h>
#include <stdint.h>

typedef enum { FILE_NONE, FILE_PNG, FILE_JPEG, FILE_GIF, FILE_PDF, FILE_ZIP, FILE_TEXT, FILE_KIND_COUNT } file_kind;

/* The kind of data[0..len); FILE_NONE for anything else (empty included). */
file_kind file_sniff(const uint8_t *data, size_t len);
/* "image/png", "image/jpeg", "image/gif", "application/pdf",
 * "application/zip", "text/plain; charset=utf-8"; NULL for FILE_NONE. */
const char *file_mime(file_kind kind);

#endif
