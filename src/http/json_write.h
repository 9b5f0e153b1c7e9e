/* json_write.h - writes JSON straight into a buffer, for the hot read routes.
 *
 * json_out serializes a tree of jansson values; building that tree (an object
 * and a hash table per money amount) was a third of the wallet read's own CPU
 * (docs/PERFORMANCE.md). A route that answers on every page view writes its
 * answer with this instead: the writer puts the commas and colons, the caller
 * opens and closes objects and arrays in order. */
#ifndef SALDO_JSON_WRITE_H
#define SALDO_JSON_WRITE_H

#include <stdint.h>

#include "core/money.h"
#include "lib/buf.h"

enum { JW_DEPTH_MAX = 32 };

typedef struct jw {
    buf *out;
    unsigned depth;
    uint32_t used;  /* bit d: the container at depth d has an item already */
    bool after_key; /* a key was written; its value comes next */
} jw;

void jw_init(jw *w, buf *out);
void jw_object(jw *w);
void jw_object_end(jw *w);
void jw_array(jw *w);
void jw_array_end(jw *w);
/* An object's key; the next call writes its value. */
void jw_key(jw *w, const char *key);
void jw_str(jw *w, const char *s);
void jw_int(jw *w, int64_t v);
void jw_null(jw *w);
/* The API's money object: {"currency", "minor", "display"} (as jout_money). */
void jw_money(jw *w, money m, const char *lang);

#endif
