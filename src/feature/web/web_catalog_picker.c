/* web_catalog_picker.c - the catalog as checkboxes on staff forms: each
 * category (ticked: all its products) with its products, retired ones too,
 * ticked again as the posted form had them. Used where staff choose whom
 * something applies to: an announcement's audience, a discount code's
 * products and categories. The posted names are "category" and "product". */
#include "feature/web/web_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/catalog/catalog_admin.h"

bool web_catalog_ticked(const form *f, const char *name, int64_t *out, size_t max, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->names[i], name))
            continue;
        int64_t id;
        if (!int_text_id(f->values[i], &id) || *n == max)
            return false;
        out[(*n)++] = id;
    }
    return true;
}

/* Whether the form f (NULL: none yet) ticked the checkbox name with id. */
static bool ticked(const form *f, const char *name, int64_t id)
{
    int64_t v;
    for (size_t i = 0; f && i < f->count; i++)
        if (!strcmp(f->names[i], name) && int_text_id(f->values[i], &v) && v == id)
            return true;
    return false;
}

/* The products of category c (retired ones too: their services still run). */
static json_t *product_choices(http_request *r, const form *f, int64_t c, int64_t *ids)
{
    int n = catalog_product_ids(r->db, c, true, ids, CATALOG_PRODUCTS_MAX);
    json_t *list = n < 0 ? NULL : json_array();
    for (int i = 0; list && i < n; i++) {
        catalog_product p;
        if (catalog_product_get(r->db, ids[i], &p) != 1) {
            json_decref(list);
            return NULL;
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)p.id, "name",
                                              catalog_product_name(&p, r->lang), "ticked", ticked(f, "product", p.id),
                                              "retired", p.retired_at != 0));
    }
    return list;
}

json_t *web_catalog_choices(http_request *r, const form *f)
{
    catalog_category *cats = malloc(sizeof *cats * CATALOG_CATEGORIES_MAX);
    int64_t *ids = malloc(sizeof *ids * CATALOG_PRODUCTS_MAX);
    if (!cats || !ids)
        abort(); /* out of memory */
    int n = catalog_category_list(r->db, cats, CATALOG_CATEGORIES_MAX);
    json_t *list = n < 0 ? NULL : json_array();
    for (int i = 0; list && i < n; i++) {
        json_t *products = product_choices(r, f, cats[i].id, ids);
        if (!products) {
            json_decref(list);
            list = NULL;
            break;
        }
        json_array_append_new(list, json_pack("{s:I, s:s, s:b, s:o}", "id", (json_int_t)cats[i].id, "name",
                                              catalog_category_name(&cats[i], r->lang), "ticked",
                                              ticked(f, "category", cats[i].id), "products", products));
    }
    free(cats);
    free(ids);
    return list;
}
