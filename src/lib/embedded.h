/* embedded.h - files compiled into the binary by scripts/embed.py (migrations,
 * templates, static assets). Tables end with an entry whose name is NULL. */
#ifndef SALDO_EMBEDDED_H
#define SALDO_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name; /* path relative to its folder, '/' separated */
    const char *data; /* not NUL-terminated in general: use len */
    size_t len;
} embedded_file;

#endif
