/* url_decode.h - percent-decoding of the request path and query string, the
 * one part of reading a URL that libmicrohttpd leaves to us (its unescape
 * callback): outside input, so unit-tested and fuzzed (tests/fuzz). */
#ifndef SALDO_HTTP_URL_DECODE_H
#define SALDO_HTTP_URL_DECODE_H

#include <stddef.h>

/* Decodes every %HH of the NUL-terminated s in place, except %00: a NUL would
 * cut the C string short ("/static/saldo.css%00.db" read as
 * "/static/saldo.css"), so it stays the three characters it was. A '%' not
 * followed by two hex digits stays as it is; '+' is not touched (libmicrohttpd
 * turns it into a space in query arguments before calling us). Returns the
 * decoded length: never more than the input's, and no NUL before it. */
size_t url_unescape(char *s);

#endif
