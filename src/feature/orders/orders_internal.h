/* orders_internal.h - what the files of feature/orders share and nobody else
 * uses: the store side of discount codes, credits and quotes that checkout
 * needs, and the staff services the staff API and pages call. */
#ifndef SALDO_ORDERS_INTERNAL_H
#define SALDO_ORDERS_INTERNAL_H

#include "feature/orders/orders.h"

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

/* Marks credit id used by order_id: false when it was used meanwhile. */
bool credit_use(db *d, int64_t id, int64_t order_id);

/* Reads quote id of org_id: 1, 0 none, -1 store error. */
int quote_get(db *d, int64_t org_id, int64_t id, fx_quote *out);
/* Marks quote id used: false when it was used meanwhile. */
bool quote_use(db *d, int64_t id, int64_t now);

/* Clears org_id's cart inside the caller's transaction. */
bool cart_clear(db *d, int64_t org_id);

/* Queues the confirmation of a checked-out order to to, the organization's
 * billing notification address (inside the checkout transaction); true
 * without a mail when to is NULL (nowhere to send it). */
bool order_mail(http_request *r, const order_in *in, const order_result *res, const char *to);

/* The VAT of an order as the API shows it: {"scheme" (null before VAT was
 * charged), "rate_bp", "rate", "mention_text" (translated; null when none),
 * "amount"}. scheme NULL for an order placed before. */
json_t *order_vat_json(http_request *r, const char *scheme, int rate_bp, const char *mention_text, money amount);
/* The VAT of a priced order, likewise. */
json_t *order_tax_json(http_request *r, const sale_tax *tax, const currency *cur);

/* Fills f and returns false: a one-liner for refusals. */
bool order_refuse(order_fail *f, int status, const char *code, const char *message, const char *field);

/* Answers a refusal as the API's error (with "shortfall" when funds are short). */
void orders_answer_fail(http_request *r, const order_fail *f);

/* The staff routes (orders_staff_api.c). */
void orders_staff_routes(router *rt);

#endif
