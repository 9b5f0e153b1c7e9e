/* test_int_text.c - strict whole numbers from outside input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>

#include "core/int_text.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_plain_digits),
        cmocka_unit_test(test_refuses_and_keeps_out),
        cmocka_unit_test(test_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
