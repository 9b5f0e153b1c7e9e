/* catalog_internal.h - what the files of the catalog's API share: reading
 * request bodies into catalog_admin.h's inputs, and the public catalog. */
#ifndef SALDO_CATALOG_INTERNAL_H
#define SALDO_CATALOG_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "feature/catalog/catalog_admin.h"
#include "http/http.h"

/* Each reader leaves *out alone when the field is absent, takes its value when
 * present, and answers 422 naming the field (null included) otherwise. */
bool catalog_api_line(http_request *r, json_t *b, const char *field, const char **out);
/* Text that may hold line breaks; catalog_product_check checks its characters. */
bool catalog_api_multiline(http_request *r, json_t *b, const char *field, const char **out);
bool catalog_api_int(http_request *r, json_t *b, const char *field, int64_t *out);
/* The product fields present in b over in ("prices" replaces the whole list);
 * *retired becomes 1 or 0 when "retired" is present. */
bool catalog_api_read_product(http_request *r, json_t *b, catalog_product_in *in, int *retired);
/* {"discounts": [{"category_id", "percent_bp"}]} into ds (CATALOG_CATEGORIES_MAX). */
bool catalog_api_read_discounts(http_request *r, json_t *b, catalog_discount *ds, size_t *n);

/* The public offer (no organization) in cur for lang as its JSON text,
 * appended to out; kept per node while the catalog does not change
 * (catalog_cache.c). False on a store error. */
bool catalog_public_body(db *d, const currency *cur, const char *lang, buf *out);

/* GET /api/v1/catalog */
void catalog_get_public(http_request *r);

#endif
