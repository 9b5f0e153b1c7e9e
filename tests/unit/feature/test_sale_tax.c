/* test_sale_tax.c - the arithmetic of a sale's VAT (sale_tax_compute): the
 * VAT rounded once on the total at the decision's rate, not per line; 0% for
 * reverse charge; no lines; and a sum too large refused. The decision itself
 * (sale_tax_decide) reads the store: the e2e tests cover it (api_sales_vat). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "feature/invoices/sale_tax.h"

static sale_tax at_rate(int rate_bp)
{
    sale_tax t = {0};
    t.decision.rate_bp = rate_bp;
    return t;
}

static void test_rounded_once(void **state)
{
    (void)state;
    /* Three lines of 0.25 at 22%: 0.055 each would round to 0.06 (0.18); on
     * the total of 0.75 the VAT is 0.165, 0.17. */
    sale_tax t = at_rate(2200);
    const int64_t nets[] = {25, 25, 25};
    assert_true(sale_tax_compute(&t, nets, 3));
    assert_int_equal(t.net_minor, 75);
    assert_int_equal(t.vat_minor, 17);
    assert_int_equal(t.gross_minor, 92);
    assert_int_equal(t.total_count, 1);
    assert_int_equal(t.totals[0].rate_bp, 2200);
    assert_int_equal(t.totals[0].net_minor, 75);
    assert_int_equal(t.totals[0].vat_minor, 17);
}

static void test_orders_figures(void **state)
{
    (void)state;
    sale_tax t = at_rate(2200);
    const int64_t nets[] = {1700, 999};
    assert_true(sale_tax_compute(&t, nets, 2));
    assert_int_equal(t.vat_minor, 594); /* 593.78 */
    assert_int_equal(t.gross_minor, 3293);
    t = at_rate(1900);
    const int64_t one[] = {1200};
    assert_true(sale_tax_compute(&t, one, 1));
    assert_int_equal(t.vat_minor, 228);
}

static void test_zero_rate_and_no_lines(void **state)
{
    (void)state;
    sale_tax t = at_rate(0);
    const int64_t nets[] = {5000};
    assert_true(sale_tax_compute(&t, nets, 1));
    assert_int_equal(t.vat_minor, 0);
    assert_int_equal(t.gross_minor, 5000);
    t = at_rate(2200);
    assert_true(sale_tax_compute(&t, NULL, 0));
    assert_int_equal(t.net_minor, 0);
    assert_int_equal(t.gross_minor, 0);
}

static void test_overflow(void **state)
{
    (void)state;
    sale_tax t = at_rate(2200);
    const int64_t nets[] = {INT64_MAX - 10, 100};
    assert_false(sale_tax_compute(&t, nets, 2));
    const int64_t big[] = {INT64_MAX - 100}; /* its VAT fits, the gross does not */
    t = at_rate(2200);
    assert_false(sale_tax_compute(&t, big, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rounded_once),
        cmocka_unit_test(test_orders_figures),
        cmocka_unit_test(test_zero_rate_and_no_lines),
        cmocka_unit_test(test_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
