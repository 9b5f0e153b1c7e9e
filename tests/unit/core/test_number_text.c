/* test_number_text.c - strict whole numbers and percentages from outside input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "core/number_text.h"

static void test_accepts_plain_digits(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_true(int_text_parse("0", 0, 10, &v));
    assert_int_equal(v, 0);
    assert_true(int_text_parse("7", 0, 10, &v));
    assert_int_equal(v, 7);
    assert_true(int_text_parse("10", 0, 10, &v));
    assert_int_equal(v, 10);
    assert_true(int_text_id("9223372036854775807", &v));
    assert_true(v == INT64_MAX);
    assert_true(int_text_id("1", &v));
    assert_int_equal(v, 1);
}

static void test_refuses_and_keeps_out(void **state)
{
    (void)state;
    const char *bad[] = {"", "abc", "12abc", "1 ", " 1", "+5", "-5", "-0", "01", "00", "1.0", "1e3", "0x10", "١"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v = 42;
        assert_false(int_text_parse(bad[i], 0, INT64_MAX, &v));
        assert_int_equal(v, 42);
    }
    int64_t v = 42;
    assert_false(int_text_parse(NULL, 0, 10, &v));
    assert_false(int_text_id("0", &v));
    assert_int_equal(v, 42);
}

static void test_range(void **state)
{
    (void)state;
    int64_t v = 42;
    assert_false(int_text_parse("11", 0, 10, &v));
    assert_false(int_text_parse("7", 0, 5, &v)); /* one digit above a small max */
    assert_false(int_text_parse("0", 1, 99, &v));
    assert_false(int_text_parse("100", 1, 99, &v));
    assert_false(int_text_id("9223372036854775808", &v));
    assert_false(int_text_id("99999999999999999999", &v));
    assert_int_equal(v, 42);
    assert_true(int_text_parse("99", 1, 99, &v));
    assert_int_equal(v, 99);
    assert_true(int_text_parse("5", 5, 5, &v));
    assert_int_equal(v, 5);
}

static void test_percent(void **state)
{
    (void)state;
    struct { const char *text; int bp; } good[] = {{"22", 2200}, {"12,5", 1250}, {"12.5", 1250}, {"19.60", 1960},
                                                   {"0", 0}, {"0,01", 1}, {"007", 700}, {"100", 10000}, {"99.99", 9999}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int bp = -1;
        assert_true(percent_text_parse(good[i].text, 10000, &bp));
        assert_int_equal(bp, good[i].bp);
    }
    const char *bad[] = {"", " 5", "5 ", "+5", "-5", "5.", ".5", ",5", "5.123", "5.+3", "5. 3", "5,5,5", "1000",
                         "100.01", "5%", "1e2", "5..5", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int bp = -1;
        assert_false(percent_text_parse(bad[i], 10000, &bp));
        assert_int_equal(bp, -1);
    }
    int bp = -1;
    assert_false(percent_text_parse(NULL, 10000, &bp));
    assert_false(percent_text_parse("30.01", 3000, &bp));
    assert_true(percent_text_parse("30", 3000, &bp));
    assert_int_equal(bp, 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_plain_digits),
        cmocka_unit_test(test_refuses_and_keeps_out),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
