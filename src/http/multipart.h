/* multipart.h - multipart/form-data bodies (RFC 7578), for the forms that
 * upload a file (an organization's logo).
 *
 * The parser never copies a part's content: each part's data points into the
 * body the caller passed, which must outlive the result. Names, file names and
 * content types are small copies in the arena. Everything has a limit: the
 * number of parts, the header lines of a part and their length, the length of
 * a name. A body that breaks any rule is refused as a whole. */
#ifndef SALDO_MULTIPART_H
#define SALDO_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

enum {
    MULTIPART_PARTS_MAX = 16,
    MULTIPART_BOUNDARY_MAX = 70,     /* RFC 2046 */
    MULTIPART_HEADERS_MAX = 8,       /* header lines of one part */
    MULTIPART_HEADER_LINE_MAX = 1024,
    MULTIPART_NAME_MAX = 100,        /* a field's name */
    MULTIPART_FILENAME_MAX = 255,
    MULTIPART_TYPE_MAX = 100,
};

typedef struct multipart_part {
    const char *name;         /* the form field's name (never NULL) */
    const char *filename;     /* NULL when the part is not a file */
    const char *content_type; /* NULL when the part did not say */
    const char *data;         /* into the body; not NUL-terminated */
    size_t len;
} multipart_part;

typedef struct multipart {
    size_t count;
    multipart_part parts[MULTIPART_PARTS_MAX];
} multipart;

/* The boundary of a Content-Type header value "multipart/form-data;
 * boundary=..." (quoted or not), copied into the arena; NULL when the header
 * is not multipart/form-data or the boundary is missing, empty, longer than
 * MULTIPART_BOUNDARY_MAX or holds characters RFC 2046 does not allow. */
const char *multipart_boundary(arena *a, const char *content_type);

/* Parses body[0..len) with boundary into out. False for anything malformed:
 * no closing delimiter, a part without Content-Disposition: form-data and a
 * name, more than MULTIPART_PARTS_MAX parts, header lines too many or too long,
 * NUL or control characters in headers. */
bool multipart_parse(arena *a, const char *boundary, const char *body, size_t len, multipart *out);

/* The first part called name, or NULL. */
const multipart_part *multipart_get(const multipart *m, const char *name);

#endif
