/* catalog_text.h - the longer texts of a product that other features send
 * out: the activation instructions mailed when a service starts. Separate
 * from catalog.h so that lookups of names and prices stay small structs. */
#ifndef SALDO_CATALOG_TEXT_H
#define SALDO_CATALOG_TEXT_H

#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

/* The activation instructions of product_id in lang ("it" gives Italian,
 * anything else English; the English text when the Italian one is empty),
 * copied into a: 1 found (possibly ""), 0 no such product, -1 store error. */
int catalog_product_instructions(db *d, arena *a, int64_t product_id, const char *lang, const char **out);

#endif
