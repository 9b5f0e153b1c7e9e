/* test_order_price.c - the arithmetic of an order: percent codes rounded
 * half-up per line, fixed codes spread with money_allocate and capped so no
 * line goes below zero, setup fees never discounted, free-credit lines, and
 * each reason a code is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "feature/orders/order_price.h"

static const currency *eur(void)
{
    return currency_find("EUR");
}

static order_code percent(int64_t bp)
{
    return (order_code){.percent = true, .percent_bp = bp, .valid_from = 100};
}

static order_code fixed(int64_t amount)
{
    return (order_code){.has_amount = true, .amount_minor = amount, .valid_from = 100};
}

static void test_no_code(void **state)
{
    (void)state;
    order_line l[] = {{1, 1, 1000, 500, false}, {2, 1, 2999, 0, false}};
    int64_t d[2];
    order_totals t;
    assert_int_equal(order_price(l, 2, NULL, eur(), d, &t), MONEY_OK);
    assert_int_equal(t.subtotal_minor, 4499);
    assert_int_equal(t.discount_minor, 0);
    assert_int_equal(t.total_minor, 4499);
    assert_int_equal(d[0] + d[1], 0);
}

static void test_percent_half_up_per_line(void **state)
{
    (void)state;
    /* 10% of 1005 = 100.5 -> 101; of 15 = 1.5 -> 2; setup fees untouched. */
    order_line l[] = {{1, 1, 1005, 300, false}, {2, 1, 15, 0, false}};
    order_code c = percent(1000);
    int64_t d[2];
    order_totals t;
    assert_int_equal(order_price(l, 2, &c, eur(), d, &t), MONEY_OK);
    assert_int_equal(d[0], 101);
    assert_int_equal(d[1], 2);
    assert_int_equal(t.discount_minor, 103);
    assert_int_equal(t.subtotal_minor, 1320);
    assert_int_equal(t.total_minor, 1217);
}

static void test_percent_hundred(void **state)
{
    (void)state;
    order_line l[] = {{1, 1, 999, 100, false}};
    order_code c = percent(10000);
    int64_t d[1];
    order_totals t;
    assert_int_equal(order_price(l, 1, &c, eur(), d, &t), MONEY_OK);
    assert_int_equal(d[0], 999);
    assert_int_equal(t.total_minor, 100); /* the setup fee stays */
}

static void test_fixed_spread_and_capped(void **state)
{
    (void)state;
    order_line l[] = {{1, 1, 1000, 0, false}, {2, 1, 2000, 0, false}, {3, 1, 1, 0, false}};
    order_code c = fixed(1000);
    int64_t d[3];
    order_totals t;
    assert_int_equal(order_price(l, 3, &c, eur(), d, &t), MONEY_OK);
    assert_int_equal(d[0] + d[1] + d[2], 1000);
    assert_int_equal(d[0], 333);
    assert_int_equal(d[1], 667);
    assert_int_equal(d[2], 0);
    c = fixed(100000); /* more than the order: capped, never below zero */
    assert_int_equal(order_price(l, 3, &c, eur(), d, &t), MONEY_OK);
    assert_int_equal(d[0], 1000);
    assert_int_equal(d[1], 2000);
    assert_int_equal(d[2], 1);
    assert_int_equal(t.total_minor, 0);
}

static void test_restricted_and_credited(void **state)
{
    (void)state;
    order_line l[] = {{1, 7, 1000, 0, false}, {2, 8, 1000, 200, false}, {3, 7, 500, 100, true}};
    order_code c = percent(5000);
    c.category_count = 1;
    c.categories[0] = 7;
    int64_t d[3];
    order_totals t;
    assert_int_equal(order_code_check(&c, l, 3, 200), ORDER_CODE_OK);
    assert_int_equal(order_price(l, 3, &c, eur(), d, &t), MONEY_OK);
    assert_int_equal(d[0], 500);
    assert_int_equal(d[1], 0); /* another category */
    assert_int_equal(d[2], 0); /* paid by a free credit */
    assert_int_equal(t.credit_minor, 600);
    assert_int_equal(t.subtotal_minor, 2800);
    assert_int_equal(t.total_minor, 2800 - 500 - 600);
    c.category_count = 0;
    c.product_count = 1;
    c.products[0] = 3; /* only the credited line */
    assert_int_equal(order_code_check(&c, l, 3, 200), ORDER_CODE_NOT_FOR_PRODUCTS);
}

static void test_refusals(void **state)
{
    (void)state;
    order_line l[] = {{1, 1, 1000, 0, false}};
    order_code c = percent(1000);
    c.valid_until = 300;
    assert_int_equal(order_code_check(&c, l, 1, 99), ORDER_CODE_NOT_YET_VALID);
    assert_int_equal(order_code_check(&c, l, 1, 100), ORDER_CODE_OK);
    assert_int_equal(order_code_check(&c, l, 1, 300), ORDER_CODE_EXPIRED);
    c.max_uses = 2;
    c.uses = 2;
    assert_int_equal(order_code_check(&c, l, 1, 200), ORDER_CODE_USED_UP);
    c.uses = 1;
    c.max_uses_per_org = 1;
    c.org_uses = 1;
    assert_int_equal(order_code_check(&c, l, 1, 200), ORDER_CODE_USED_UP_ORG);
    c.org_uses = 0;
    c.first_order_only = true;
    c.org_orders = 1;
    assert_int_equal(order_code_check(&c, l, 1, 200), ORDER_CODE_FIRST_ORDER_ONLY);
    c.org_orders = 0;
    assert_int_equal(order_code_check(&c, l, 1, 200), ORDER_CODE_OK);
    order_code f = fixed(0);
    f.has_amount = false;
    assert_int_equal(order_code_check(&f, l, 1, 200), ORDER_CODE_WRONG_CURRENCY);
    for (int v = 0; v < ORDER_CODE_VERDICT_COUNT; v++) {
        assert_non_null(order_code_verdict_name(v));
        assert_true(strlen(order_code_verdict_message(v)) > 5);
    }
}

static void test_overflow(void **state)
{
    (void)state;
    order_line l[] = {{1, 1, INT64_MAX, 0, false}, {2, 1, 1, 0, false}};
    int64_t d[2];
    order_totals t;
    assert_int_equal(order_price(l, 2, NULL, eur(), d, &t), MONEY_OVERFLOW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_code),
        cmocka_unit_test(test_percent_half_up_per_line),
        cmocka_unit_test(test_percent_hundred),
        cmocka_unit_test(test_fixed_spread_and_capped),
        cmocka_unit_test(test_restricted_and_credited),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
