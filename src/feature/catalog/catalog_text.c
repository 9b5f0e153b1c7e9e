/* catalog_text.c - a product's activation instructions (see catalog_text.h). */
#include "feature/catalog/catalog_text.h"

#include <assert.h>
#include <string.h>

int catalog_product_instructions(db *d, arena *a, int64_t product_id, const char *lang, const char **out)
{
    assert(product_id > 0 && out);
    db_stmt *s = db_prepare(d, "SELECT instructions_en, instructions_it FROM catalog_products WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, product_id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        const char *it = db_col_text(s, 1);
        bool italian = lang && !strcmp(lang, "it") && it && *it;
        *out = arena_strdup(a, italian ? it : db_col_text(s, 0));
    }
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}
