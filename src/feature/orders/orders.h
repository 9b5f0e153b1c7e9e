/* orders.h - buying: the cart, discount codes, free credits, FX quotes, and
 * checkout, which writes the order, its services and its ledger transfers in
 * one transaction or nothing at all.
 *
 * The API (orders_api.c, orders_staff_api.c) and the pages (feature/web)
 * call these functions. A refusal is an order_fail: the HTTP status, a
 * stable code, an English message (a msgid pages translate) and the field it
 * is about, so both front doors say the same thing. */
#ifndef SALDO_ORDERS_H
#define SALDO_ORDERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/money.h"
#include "feature/catalog/catalog.h"
#include "feature/invoices/sale_tax.h"
#include "feature/orders/order_price.h"
#include "feature/payments/payments.h"
#include "feature/services/services.h"
#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

enum {
    ORDER_CODE_TEXT_MAX = 40,     /* a discount code's length */
    ORDER_CODE_TEXT_MIN = 3,
    ORDER_QUOTE_TTL_S = 5 * 60,   /* how long a quote's rate holds */
    ORDER_LIST_MAX = 99,          /* orders in one page of the list (as every list's limit) */
    ORDER_LIST_DEFAULT = 20,
    ORDER_CREDITS_MAX = 100,      /* unused credits listed at once */
    ORDER_CODES_MAX = 200,        /* codes in the staff list */
    ORDER_REASON_MAX = 500,
};

/* How an order is paid. Card and PayPal go through the gateway's hosted page
 * (order_payment.c): the order is placed from the balance by checkout when
 * the payment succeeded, so checkout itself only ever pays from a wallet. */
typedef enum { ORDER_PAY_BALANCE, ORDER_PAY_CARD, ORDER_PAY_PAYPAL, ORDER_PAY_COUNT } order_pay_with;
/* "balance", "card", "paypal", then NULL (for jin_enum). */
extern const char *const order_pay_with_names[];

/* Why something was refused; all strings static or in the request arena. */
typedef struct order_fail {
    int status;          /* 404, 409, 422, 500 */
    const char *code;    /* "insufficient_funds", "discount_code_expired", ... */
    const char *message; /* English msgid */
    const char *field;   /* "items[0].period", "discount_code", ... or NULL */
    int64_t shortfall_minor;     /* insufficient_funds: what is missing */
    const currency *shortfall_cur;
} order_fail;

typedef struct order_item_in {
    int64_t product_id;
    int period_months;
    int64_t credit_id;   /* 0 = none */
    int auto_renew;      /* -1 = what the product allows, 0 no, 1 yes */
} order_item_in;

typedef struct order_in {
    int64_t org_id, user_id;
    const currency *cur;        /* the order's currency */
    size_t n;
    order_item_in items[ORDER_ITEMS_MAX];
    const char *discount_code;  /* NULL or "" = none */
    bool accept_terms;
    order_pay_with pay_with;
    const currency *wallet_cur; /* NULL = the order's currency */
    int64_t quote_id;           /* 0 = none; required when wallet_cur differs */
    int64_t billing_address_id; /* 0 = the organization's default */
    bool clear_cart;            /* the order came from the cart: empty it */
    bool auto_renew_all;        /* paid by card: auto-renew on wherever the product allows it */
    const char *paid_by;        /* the invoice's payment method: NULL = "balance" (the gateway's: "card") */
} order_in;

/* One priced item. */
typedef struct order_priced_item {
    catalog_product product;
    catalog_price price;
    int period_months;
    int64_t credit_id;
    bool auto_renew;
    int64_t discount_minor, total_minor; /* total: what the customer pays for it */
} order_priced_item;

typedef struct order_priced {
    const currency *cur;
    size_t n;
    order_priced_item items[ORDER_ITEMS_MAX];
    order_totals totals;          /* net: catalog prices exclude VAT */
    sale_tax tax;                 /* the VAT on totals.total_minor and the gross charged */
    sale_buyer buyer;             /* the profile and billing address tax was decided for */
    order_code_verdict verdict;   /* of the code typed (OK when none was) */
    int64_t code_id;              /* 0 = no code applied */
    char code[ORDER_CODE_TEXT_MAX + 1];
} order_priced;

/* Prices in->items for in->org_id as in->user_id may buy them, with the code
 * and credits checked, and adds the VAT (sale_tax, with the billing address
 * the order names or the default one); writes nothing. False with *fail filled when an item,
 * a credit or the code is refused. */
bool order_prepare(http_request *r, const order_in *in, order_priced *out, order_fail *fail);

/* What checkout checks before the payment: order_prepare, the code's
 * verdict, the terms and the billing address (*address_id, 0 = none); writes
 * nothing. The card and PayPal path calls it before going to the gateway, so
 * it refuses exactly what paying from the balance refuses. */
bool order_validate(http_request *r, const order_in *in, order_priced *out, int64_t *address_id, order_fail *fail);

typedef struct order_result {
    int64_t order_id;
    order_priced priced;
    int64_t paid_minor;         /* what left the wallet, in the wallet's currency */
    const currency *wallet_cur;
    service services[ORDER_ITEMS_MAX]; /* as written, one per item */
    int64_t invoice_id;         /* the final invoice issued with it (0: issued before) */
} order_result;

/* Checkout inside the caller's write transaction (the caller commits, or
 * rolls back on false): checks everything order_prepare does, the terms, the
 * quote and the balance, then writes the order, its items and services, the
 * ledger transfers, the credit and code redemptions and the confirmation
 * mail. idem_key makes the ledger transfers' keys. */
bool order_checkout(http_request *r, const order_in *in, const char *idem_key, order_result *out,
                    order_fail *fail);

/* Starts paying in (pay_with card or paypal) at the gateway: validates and
 * prices it as checkout does, then opens the payment of its total with
 * purpose "order" under idem_key (payment_start: one per key) and the
 * order's input kept with it. False with *fail (the same 422s as checkout;
 * 409 the key was used for another payment; 502 the gateway is down). */
bool order_pay_start(http_request *r, const order_in *in, const payment *card, const char *idem_key, payment *out,
                     order_fail *fail);
/* The "order" purpose of a payment that succeeded (payment_purpose_settle):
 * places the kept order from the balance just credited, through
 * order_checkout, inside the caller's transaction. */
payment_purpose_result order_settle_payment(db *d, const struct app *ap, arena *a, const payment_purpose_in *in,
                                            int64_t *order_id, const char **why);

/* The order as the API shows it ({"id", "status", "currency", "subtotal",
 * ..., "items": [...]}) or NULL when org_id has no such order (*found false)
 * or on a store error. */
json_t *order_json(http_request *r, int64_t org_id, int64_t order_id, bool *found);

/* order_json of the order res just checked out, in the same transaction:
 * its invoice and its products are taken from res instead of read again. */
json_t *order_json_placed(http_request *r, int64_t org_id, const order_result *res);
/* The order of org_id made with idem_key: its id, 0 none, -1 store error. */
int64_t order_find_by_key(db *d, int64_t org_id, const char *idem_key);
/* The organization's orders, newest first, before before_id (0 = newest). */
json_t *order_list_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit);

/* The priced order as the cart preview shows it: lines, totals, the code's
 * verdict and the wallet in the order's currency (balance, shortfall). */
json_t *orders_preview_json(http_request *r, const order_in *in, const order_priced *pr);

/* ---- The cart ---- */

typedef struct cart_item {
    int64_t id, product_id, credit_id;
    int period_months;
    bool auto_renew;
} cart_item;

typedef struct cart {
    char currency[4];          /* "" when there is no cart yet */
    char discount_code[ORDER_CODE_TEXT_MAX + 1];
    size_t n;
    cart_item items[ORDER_ITEMS_MAX];
} cart;

/* Reads org_id's cart (empty when none); false on a store error. */
bool cart_get(db *d, int64_t org_id, cart *out);
/* Adds an item (the product must be orderable by r->user_id in cur for that
 * period), making cur the cart's currency. */
bool cart_add(http_request *r, int64_t org_id, const cart_item *item, const currency *cur, int64_t *out_id,
              order_fail *fail);
/* Removes item_id of org_id's cart: 1 removed, 0 none, -1 store error. */
int cart_remove(db *d, int64_t org_id, int64_t item_id);
/* Set the cart's discount code (NULL = none), its currency, or an item's
 * credit (credit_id 0 = none); false on a store error. */
bool cart_set_code(db *d, int64_t org_id, const char *code);
bool cart_set_currency(db *d, int64_t org_id, const currency *cur);
bool cart_set_credit(db *d, int64_t org_id, int64_t item_id, int64_t credit_id);
/* The order_in of the cart (items, currency, code); false when it is empty. */
bool cart_order_in(const cart *c, int64_t org_id, int64_t user_id, order_in *out);

/* ---- Free credits ---- */

typedef struct free_credit {
    int64_t id, org_id, product_id;
    int period_months; /* 0 = any */
    int64_t created_at, used_at, order_id, revoked_at;
    char reason[ORDER_REASON_MAX + 1];
} free_credit;

/* org_id's credits that are neither used nor revoked, oldest first; how many
 * or -1 on a store error. */
int credit_list_unused(db *d, int64_t org_id, free_credit *out, size_t max);
json_t *credit_json(const free_credit *c);

/* ---- FX quotes ---- */

typedef struct fx_quote {
    int64_t id, org_id;
    char from[4], to[4];  /* wallet currency, order currency */
    int64_t rate_units;   /* 1 `to` = rate_units / 10^12 `from` */
    char source[16], date[11];
    int64_t amount_minor, converted_minor, created_at, expires_at, used_at;
} fx_quote;

/* Quotes amount (in the order's currency) paid from the wallet in from, from
 * the newest stored rates, and stores it for ORDER_QUOTE_TTL_S; false with
 * fail filled (no rate: 422) . */
bool quote_create(http_request *r, int64_t org_id, money amount, const currency *from, fx_quote *out,
                  order_fail *fail);
json_t *quote_json(http_request *r, const fx_quote *q);

/* ---- Staff: discount codes and free credits (the staff API and pages) ---- */

enum { DISCOUNT_AMOUNTS_MAX = 16 }; /* currencies of one fixed code */

/* A discount code as staff see and edit it. */
typedef struct discount_code {
    int64_t id;
    char code[ORDER_CODE_TEXT_MAX + 1];
    bool percent;
    int64_t percent_bp;
    size_t amount_count;
    money amounts[DISCOUNT_AMOUNTS_MAX];           /* fixed codes: one amount per currency */
    int64_t valid_from, valid_until;     /* 0 = no end */
    int64_t max_uses, max_uses_per_org;  /* 0 = no limit */
    bool first_order_only;
    size_t product_count, category_count;
    int64_t products[ORDER_CODE_RESTRICT_MAX];
    int64_t categories[ORDER_CODE_RESTRICT_MAX];
    int64_t uses, created_by, created_at;
} discount_code;

/* Upper-cases text into out (a code is [A-Z0-9_-], ORDER_CODE_TEXT_MIN..MAX);
 * false when it is not a well-formed code. */
bool discount_normalize(const char *text, char out[ORDER_CODE_TEXT_MAX + 1]);
/* Reads code id (any organization): 1, 0 none, -1 store error. */
int discount_get(db *d, int64_t id, discount_code *out);
typedef enum {
    DISCOUNT_CREATE_OK,
    DISCOUNT_CREATE_TAKEN,          /* another code has that text */
    DISCOUNT_CREATE_UNKNOWN_TARGET, /* a product or category id does not exist: roll back */
    DISCOUNT_CREATE_STORE_ERROR,
    DISCOUNT_CREATE_RESULT_COUNT
} discount_create_result;
/* Inserts a checked code with the staff audit entry, inside the caller's
 * write transaction. */
discount_create_result discount_create(db *d, const discount_code *c, int64_t staff_id, const char *ip,
                                       int64_t *out_id);
/* Writes the limits of c (validity, uses, first order) over code c->id with
 * the audit entry; false on a store error. */
bool discount_update(db *d, const discount_code *c, int64_t staff_id, const char *ip);
/* Every code, newest first (at most max); how many or -1. */
int discount_list(db *d, discount_code *out, size_t max);
json_t *discount_json(http_request *r, const discount_code *c);

/* Reads credit id of org_id (0 = any org): 1, 0 none, -1 store error. */
int credit_get(db *d, int64_t org_id, int64_t id, free_credit *out);
/* Grants a credit (staff; audit entries in both logs) inside the caller's
 * write transaction. */
bool credit_grant(db *d, const free_credit *c, int64_t staff_id, const char *ip, int64_t *out_id);
/* Revokes an unused credit with the audit entry: 1 done, 0 not found or
 * already used or revoked, -1 store error. */
int credit_revoke(db *d, int64_t id, int64_t staff_id, const char *ip);
/* The terms version in force (the configuration's terms_version). */
const char *order_terms_version(const http_request *r);

/* Every /api/v1/orgs/{org_id}/orders, cart, quotes and credits route, and the
 * staff ones (discount codes, credits). */
void orders_routes(router *rt);

#endif
