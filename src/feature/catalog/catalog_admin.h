/* catalog_admin.h - changing the catalog: categories, products with their
 * price lists, retiring, and resellers' discounts. The staff API
 * (catalog_api.c), the back office pages (feature/web) and `saldo demo` all
 * go through these functions, so they validate alike. Each one works inside
 * the caller's write transaction and, given a staff actor, writes the staff
 * audit log there too. */
#ifndef SALDO_CATALOG_ADMIN_H
#define SALDO_CATALOG_ADMIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/currency.h"
#include "feature/catalog/catalog.h"
#include "store/db.h"

enum {
    CATALOG_PRICES_MAX = 64,         /* prices of one product (currencies x periods) */
    CATALOG_CATEGORIES_MAX = 200,
    CATALOG_PRODUCTS_MAX = 1000,
    CATALOG_POSITION_MAX = 100000,
};

#define CATALOG_AMOUNT_MAX INT64_C(1000000000000) /* 10^12 minor units: a price or setup fee */

/* Who changes the catalog: a staff member (audited) or NULL for `saldo demo`. */
typedef struct catalog_actor {
    int64_t staff_id;
    const char *ip;
} catalog_actor;

typedef enum {
    CATALOG_FIELD_OK,
    CATALOG_FIELD_REQUIRED,
    CATALOG_FIELD_TOO_LONG,
    CATALOG_FIELD_CHARS,
    CATALOG_FIELD_CODE,          /* not [a-z0-9-]{1,64} */
    CATALOG_FIELD_CODE_TAKEN,
    CATALOG_FIELD_PROVISIONER,   /* neither "manual" nor [a-z0-9_-]{1,64} */
    CATALOG_FIELD_CATEGORY,      /* no such category */
    CATALOG_FIELD_POSITION,      /* outside 0..CATALOG_POSITION_MAX */
    CATALOG_FIELD_CURRENCY,      /* not an ISO 4217 code saldo knows */
    CATALOG_FIELD_PERIOD,        /* not 1, 3, 6, 12, 24, 36, 48 or 60 */
    CATALOG_FIELD_PROMO_PERIOD,  /* a promotional product sells for 12 or 24 months only */
    CATALOG_FIELD_AMOUNT,        /* below 0 or above CATALOG_AMOUNT_MAX */
    CATALOG_FIELD_DUPLICATE,     /* the same currency and period (or category) twice */
    CATALOG_FIELD_TOO_MANY,
    CATALOG_FIELD_PERCENT,       /* basis points outside 0..10000 */
    CATALOG_FIELD_ERROR_COUNT
} catalog_field_error;

/* The first invalid field: its name ("name_it", "prices") and, for an entry
 * of a list, its index (-1 otherwise). */
typedef struct catalog_error {
    catalog_field_error e;
    const char *field;
    int index;
} catalog_error;

/* An English phrase that follows the field's name ("is required"). */
const char *catalog_field_message(catalog_field_error e);

typedef enum {
    CATALOG_OK,
    CATALOG_INVALID,   /* see the catalog_error */
    CATALOG_NOT_FOUND,
    CATALOG_STORE_ERROR,
    CATALOG_RESULT_COUNT
} catalog_result;

/* A category's editable fields; strings are never NULL. */
typedef struct catalog_category_in {
    const char *code, *name_en, *name_it, *description_en, *description_it;
    int64_t position;
} catalog_category_in;

/* One entry of a price list. */
typedef struct catalog_price_row {
    const currency *cur;
    int months;
    int64_t price_minor, setup_minor;
} catalog_price_row;

/* A product's editable fields and its whole price list; strings never NULL. */
typedef struct catalog_product_in {
    int64_t category_id, position;
    const char *code, *name_en, *name_it, *description_en, *description_it;
    const char *instructions_en, *instructions_it, *provisioner;
    bool auto_renew, promotional;
    size_t price_count;
    catalog_price_row prices[CATALOG_PRICES_MAX];
} catalog_product_in;

/* Everything about a product, for editing and the staff API. */
typedef struct catalog_product_full {
    catalog_product p;
    int64_t position, created_at, updated_at;
    char description_en[CATALOG_DESCRIPTION_MAX + 1], description_it[CATALOG_DESCRIPTION_MAX + 1];
    char instructions_en[CATALOG_INSTRUCTIONS_MAX + 1], instructions_it[CATALOG_INSTRUCTIONS_MAX + 1];
    size_t price_count; /* ordered by currency, then period */
    catalog_price_row prices[CATALOG_PRICES_MAX];
} catalog_product_full;

/* A reseller's discount on one category. */
typedef struct catalog_discount {
    int64_t category_id;
    int percent_bp;
} catalog_discount;

/* Checks in (and that its code is free for the category id, 0 = new). */
catalog_result catalog_category_check(db *d, int64_t id, const catalog_category_in *in, catalog_error *err);
/* Creates (id 0; *id_out receives the new id) or replaces category id. */
catalog_result catalog_category_save(db *d, const catalog_actor *who, int64_t id, const catalog_category_in *in,
                                     catalog_error *err, int64_t *id_out);
/* All categories by position, then id: how many (<= max), -1 on a store error. */
int catalog_category_list(db *d, catalog_category *out, size_t max);

/* Checks in: fields, category, code free for product id (0 = new), prices. */
catalog_result catalog_product_check(db *d, int64_t id, const catalog_product_in *in, catalog_error *err);
/* Creates (id 0) or replaces product id with its whole price list. */
catalog_result catalog_product_save(db *d, const catalog_actor *who, int64_t id, const catalog_product_in *in,
                                    catalog_error *err, int64_t *id_out);
/* Retires (no longer orderable; services keep renewing) or puts it back on sale. */
catalog_result catalog_product_retire(db *d, const catalog_actor *who, int64_t id, bool retired);
/* 1 found, 0 none, -1 store error. */
int catalog_product_full_get(db *d, int64_t id, catalog_product_full *out);
/* The editable fields of f (strings point into f). */
void catalog_product_in_of(const catalog_product_full *f, catalog_product_in *out);
/* Product ids of category_id (0 = all), by category position, position, id;
 * with_retired includes retired ones. How many (<= max), -1 on a store error. */
int catalog_product_ids(db *d, int64_t category_id, bool with_retired, int64_t *out, size_t max);

/* Makes org_id a reseller with exactly these discounts (replacing any). */
catalog_result catalog_reseller_set(db *d, const catalog_actor *who, int64_t org_id, const catalog_discount *ds,
                                    size_t n, catalog_error *err);
/* Org_id is no longer a reseller (its discounts go too); NOT_FOUND when it was not. */
catalog_result catalog_reseller_unset(db *d, const catalog_actor *who, int64_t org_id);
/* org_id's discounts by category position: how many, -1 on a store error. */
int catalog_reseller_discounts(db *d, int64_t org_id, catalog_discount *out, size_t max);

/* JSON of the staff API. */
json_t *catalog_category_json(const catalog_category *c);
json_t *catalog_product_full_json(const catalog_product_full *f, const char *lang);

#endif
