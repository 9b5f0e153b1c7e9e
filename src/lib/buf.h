/* buf.h - growable, length-tracked byte buffer (always NUL-terminated).
 *
 * The one way saldo builds strings of unknown length: no sprintf into fixed
 * arrays, no strcat. A buffer may carry a byte limit; appends past it fail and
 * set `overflow`, so callers can turn oversized input into a clean error. */
#ifndef SALDO_BUF_H
#define SALDO_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *data;     /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    size_t limit;   /* 0 = unlimited */
    bool overflow;
} buf;

void buf_init(buf *b, size_t limit);
void buf_free(buf *b);
void buf_reset(buf *b);
bool buf_append(buf *b, const void *data, size_t len);
bool buf_puts(buf *b, const char *s);
bool buf_putc(buf *b, char c);
bool buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with HTML special characters escaped. */
bool buf_put_html(buf *b, const char *s, size_t len);
/* Returns data, or "" when nothing was appended. Owned by the buffer. */
const char *buf_cstr(const buf *b);
/* Copies the UTF-8 text src into out (size > 0 bytes), cut when too long
 * before a character, never inside one, so out stays valid UTF-8. */
void buf_copy_utf8(char *out, size_t size, const char *src);

#endif
