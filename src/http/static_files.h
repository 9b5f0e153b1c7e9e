/* static_files.h - the web UI's static files (CSS, images), compiled into the
 * binary and served under /static/<name>.
 *
 * The set is built once at start from the embedded table: each file gets a
 * Content-Type from its extension and a strong ETag, the hash of its content.
 * Pages link to /static/<name>?v=<version> so a file can be cached for a year;
 * a request without the current version must revalidate (If-None-Match → 304).
 * Names are looked up in the table, never on a file system, so no path can
 * reach anything else. */
#ifndef SALDO_STATIC_FILES_H
#define SALDO_STATIC_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "lib/embedded.h"

enum { STATIC_FILES_MAX = 64, STATIC_VERSION_CHARS = 16, STATIC_ETAG_MAX = 40 };

typedef struct static_file {
    const char *name;          /* "saldo.css" */
    const char *data;
    size_t len;
    const char *content_type;
    char version[STATIC_VERSION_CHARS + 1]; /* hex of the content hash's first bytes */
    char etag[STATIC_ETAG_MAX + 1];         /* "\"<32 hex>\"" */
} static_file;

typedef struct static_set {
    size_t count;
    static_file files[STATIC_FILES_MAX];
} static_set;

/* Fills s from table (terminated by a NULL name). False with err filled for an
 * unknown extension, a name with '/' or too many files: a build problem. */
bool static_set_init(static_set *s, const embedded_file *table, char *err, size_t err_size);
/* The file called name, or NULL. */
const static_file *static_find(const static_set *s, const char *name);
/* "/static/<name>?v=<version>" for pages (name must exist; arena string). */
const char *static_url(http_request *r, const static_set *s, const char *name);
/* Answers GET /static/<name>: 200 with the file, 304 when If-None-Match holds
 * its ETag, false (nothing answered) when there is no such file. */
bool static_serve(http_request *r, const static_set *s, const char *name);

#endif
