/* order_price.h - the arithmetic of an order, with no I/O: lines, a discount
 * code's verdict and share of each line, free-credit lines, setup fees and
 * totals. Checkout, the cart preview and the pages all price through here, so
 * what the customer is shown is what they pay; tests/unit/feature/
 * test_order_price.c pins every rule.
 *
 * Rules: a discount applies to the period price of its eligible lines, never
 * to setup fees and never to lines paid by a free credit. A percent code takes
 * percent_bp of each eligible price rounded half-up per line; a fixed code's
 * amount (capped at the eligible prices' sum, so never below zero) is spread
 * over the eligible lines in proportion to their prices with money_allocate.
 * A free-credit line costs the customer nothing: its price and setup fee are
 * counted in credit_minor. total = subtotal - discount - credit. */
#ifndef SALDO_ORDER_PRICE_H
#define SALDO_ORDER_PRICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/money.h"

enum {
    ORDER_ITEMS_MAX = 20,        /* products in one order (and in a cart) */
    ORDER_CODE_RESTRICT_MAX = 50 /* products or categories a code is limited to */
};

typedef struct order_line {
    int64_t product_id, category_id;
    int64_t price_minor; /* one period as the organization pays it */
    int64_t setup_minor;
    bool credited;       /* paid by a free credit */
} order_line;

/* A discount code as the store holds it, with its counters. */
typedef struct order_code {
    bool percent;             /* else fixed */
    int64_t percent_bp;       /* 1..10000 for percent codes */
    bool has_amount;          /* fixed: an amount exists in the order's currency */
    int64_t amount_minor;     /* fixed: that amount */
    int64_t valid_from, valid_until; /* valid_until 0 = no end */
    int64_t max_uses, max_uses_per_org; /* 0 = no limit */
    int64_t uses, org_uses;   /* redemptions so far: all, and by this organization */
    bool first_order_only;
    int64_t org_orders;       /* the organization's paid orders so far */
    size_t product_count, category_count; /* both 0 = every product */
    int64_t products[ORDER_CODE_RESTRICT_MAX];
    int64_t categories[ORDER_CODE_RESTRICT_MAX];
} order_code;

/* Why a code does not apply; ORDER_CODE_OK when it does. */
typedef enum {
    ORDER_CODE_OK,
    ORDER_CODE_UNKNOWN,
    ORDER_CODE_NOT_YET_VALID,
    ORDER_CODE_EXPIRED,
    ORDER_CODE_USED_UP,
    ORDER_CODE_USED_UP_ORG,
    ORDER_CODE_NOT_FOR_PRODUCTS,
    ORDER_CODE_FIRST_ORDER_ONLY,
    ORDER_CODE_WRONG_CURRENCY,
    ORDER_CODE_VERDICT_COUNT
} order_code_verdict;

/* "unknown", "not_yet_valid", ... : the API's error codes (with "code_" in front). */
const char *order_code_verdict_name(order_code_verdict v);
/* The English message (a msgid the pages translate). */
const char *order_code_verdict_message(order_code_verdict v);

typedef struct order_totals {
    int64_t subtotal_minor; /* prices and setup fees of every line */
    int64_t discount_minor;
    int64_t credit_minor;   /* prices and setup fees of credited lines */
    int64_t total_minor;    /* what the customer pays */
} order_totals;

/* True when line l is one the code may discount (not credited, and in its
 * products or categories when it is restricted). */
bool order_code_eligible(const order_code *c, const order_line *l);

/* The code's verdict for these n lines at time now: the first reason it does
 * not apply, in the order of the enum. */
order_code_verdict order_code_check(const order_code *c, const order_line *lines, size_t n, int64_t now);

/* Prices n (1..ORDER_ITEMS_MAX) lines in cur: discount[i] is line i's share of
 * the code (c NULL = no code; c must have passed order_code_check), totals the
 * sums. MONEY_OVERFLOW when a sum does not fit; nothing else fails. */
money_err order_price(const order_line *lines, size_t n, const order_code *c, const currency *cur,
                      int64_t discount[], order_totals *totals);

#endif
