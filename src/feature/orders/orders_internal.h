/* orders_internal.h - what the files of feature/orders share and nobody else
 * uses: the store side of discount codes, credits and quotes that checkout
 * needs, and the staff services the staff API and pages call. */
#ifndef SALDO_ORDERS_INTERNAL_H
#define SALDO_ORDERS_INTERNAL_H

#include "feature/orders/orders.h"

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
/* Loads the code named text for org_id's order in cur into *c (counters
 * included) and *id: 1 found, 0 unknown, -1 store error. lock takes the
 * code's row lock first (inside a write transaction), so concurrent orders
 * count each other's redemptions. */
int discount_load(db *d, const char *text, int64_t org_id, const currency *cur, bool lock, order_code *c,
                  int64_t *id);
/* Records the redemption of code_id by order_id (inside the transaction). */
bool discount_redeem(db *d, int64_t code_id, int64_t org_id, int64_t order_id, money amount);
/* The organization's paid orders so far (-1 on a store error). */
int64_t orders_count_paid(db *d, int64_t org_id);

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
/* Marks credit id used by order_id: false when it was used meanwhile. */
bool credit_use(db *d, int64_t id, int64_t order_id);

/* Reads quote id of org_id: 1, 0 none, -1 store error. */
int quote_get(db *d, int64_t org_id, int64_t id, fx_quote *out);
/* Marks quote id used: false when it was used meanwhile. */
bool quote_use(db *d, int64_t id, int64_t now);

/* Clears org_id's cart inside the caller's transaction. */
bool cart_clear(db *d, int64_t org_id);

/* Queues the confirmation of a checked-out order to the organization's
 * billing address (inside the checkout transaction); true also when the
 * organization has nowhere to send it. */
bool order_mail(http_request *r, const order_in *in, const order_result *res);

/* Fills f and returns false: a one-liner for refusals. */
bool order_refuse(order_fail *f, int status, const char *code, const char *message, const char *field);

/* Answers a refusal as the API's error (with "shortfall" when funds are short). */
void orders_answer_fail(http_request *r, const order_fail *f);

/* The staff routes (orders_staff_api.c). */
void orders_staff_routes(router *rt);

#endif
