/* catalog.h - what the provider sells: categories, products, their net prices
 * per currency and period, and resellers' discounts.
 *
 * This part is the contract the orders, services and billing features use;
 * they never read the catalog's tables themselves. Lookups work on retired
 * products too (their services keep renewing); only ordering refuses them. */
#ifndef SALDO_CATALOG_H
#define SALDO_CATALOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/currency.h"
#include "http/router.h"
#include "store/db.h"

enum {
    CATALOG_CODE_MAX = 64,
    CATALOG_NAME_MAX = 200,
    CATALOG_PROVISIONER_MAX = 64,
    CATALOG_BP_ONE = 10000, /* basis points of 100% */
    CATALOG_DESCRIPTION_MAX = 2000,  /* bytes of a description */
    CATALOG_INSTRUCTIONS_MAX = 8000, /* bytes of activation instructions */
};

typedef struct catalog_category {
    int64_t id, position;
    char code[CATALOG_CODE_MAX + 1];
    char name_en[CATALOG_NAME_MAX + 1], name_it[CATALOG_NAME_MAX + 1];
    char description_en[CATALOG_DESCRIPTION_MAX + 1], description_it[CATALOG_DESCRIPTION_MAX + 1];
} catalog_category;

typedef struct catalog_product {
    int64_t id;
    int64_t category_id;
    int64_t retired_at; /* 0 while it can be ordered */
    bool auto_renew;    /* services of it may renew by themselves */
    bool promotional;   /* sold for 1 or 2 years only */
    char code[CATALOG_CODE_MAX + 1];
    char name_en[CATALOG_NAME_MAX + 1];
    char name_it[CATALOG_NAME_MAX + 1];
    char provisioner[CATALOG_PROVISIONER_MAX + 1]; /* "manual" or a configured provisioner's name */
} catalog_product;

/* A net price (VAT excluded) of one period in one currency. */
typedef struct catalog_price {
    int64_t price_minor;      /* what the buyer pays for the period */
    int64_t setup_minor;      /* once, with the first period */
    int64_t list_price_minor; /* the catalog's price before a reseller discount */
    int64_t list_setup_minor;
    int discount_bp;          /* the reseller discount applied (0 for everyone else) */
} catalog_price;

/* Reads product id (retired or not): 1 found, 0 none, -1 store error. */
int catalog_product_get(db *d, int64_t id, catalog_product *out);
/* Reads category id: 1 found, 0 none, -1 store error. */
int catalog_category_get(db *d, int64_t id, catalog_category *out);
/* The category's name in lang ("it" gives Italian, anything else English). */
const char *catalog_category_name(const catalog_category *c, const char *lang);
/* Product id's activation instructions in lang ("it" or else English) into
 * instructions (size bytes, truncated at a character boundary); false when
 * there is no such product or on a store error. */
bool catalog_product_text(db *d, int64_t id, const char *lang, char *instructions, size_t size);
/* Product id's description in lang, likewise. */
bool catalog_product_description(db *d, int64_t id, const char *lang, char *out, size_t size);
/* The id of the product with code (retired or not): > 0, 0 none, -1 store error. */
int64_t catalog_product_id(db *d, const char *code);
/* The product's name in lang ("it" gives Italian, anything else English). */
const char *catalog_product_name(const catalog_product *p, const char *lang);
/* True when p may be sold or renewed for months (period_valid, and 12 or 24
 * for a promotional product). */
bool catalog_period_allowed(const catalog_product *p, int months);

/* The price of p for months in currency_code as org_id pays it: the list price
 * less org_id's reseller discount for p's category (0 = nobody in
 * particular), rounded half-up to the minor unit. 1 found, 0 the product has
 * no price for that currency and period (or the period is not allowed), -1
 * store error. */
int catalog_price_for(db *d, int64_t org_id, const catalog_product *p, const char *currency_code, int months,
                      catalog_price *out);
/* org_id's reseller discount for category_id in basis points: 0 when it is
 * not a reseller or has no discount there, -1 on a store error. */
int catalog_reseller_discount_bp(db *d, int64_t org_id, int64_t category_id);
/* True when org_id is a reseller (false on a store error too). */
bool catalog_is_reseller(db *d, int64_t org_id);

/* The orderable catalog in currency for lang: categories by position with
 * their products that are not retired and have a price in currency, each
 * price with "your_price" and "your_setup_fee" when org_id (0 = nobody) is a
 * reseller. The shape of GET /api/v1/catalog; NULL on a store error. */
json_t *catalog_offer_json(db *d, const currency *cur, int64_t org_id, const char *lang);

/* The currencies some product has a price in, by code: how many (<= max),
 * -1 on a store error. */
int catalog_currencies(db *d, const currency **out, size_t max);

void catalog_routes(router *rt);

#endif
