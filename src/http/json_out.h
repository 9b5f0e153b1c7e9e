/* json_out.h - writes a jansson value as compact JSON into a buf.
 *
 * Our own writer because json_dumps allocates and fills a hash table of every
 * container it visits on each call (its loop check), which cost more than the
 * rest of a small answer; the values we build are trees, never cyclic. Output
 * is UTF-8 as jansson holds it, with the characters JSON requires escaped. */
#ifndef SALDO_JSON_OUT_H
#define SALDO_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/buf.h"

enum { JSON_OUT_DEPTH_MAX = 64 };

/* Appends j to out; false when out's limit is hit or the nesting is deeper than
 * JSON_OUT_DEPTH_MAX (out then holds a partial document). */
bool json_out(buf *out, const json_t *j);
/* Appends the UTF-8 text s (len bytes) as a JSON string, quoted and escaped. */
void json_out_string(buf *out, const char *s, size_t len);

#endif
