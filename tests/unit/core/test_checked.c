/* test_checked.c - overflow is reported, never wrapped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/checked.h"

static void test_add_limits(void **state)
{
    (void)state;
    int64_t r = 7;
    assert_true(checked_add(INT64_MAX - 1, 1, &r));
    assert_true(r == INT64_MAX);
    r = 7;
    assert_false(checked_add(INT64_MAX, 1, &r));
    assert_int_equal(r, 7);
    assert_false(checked_add(INT64_MIN, -1, &r));
}

static void test_sub_limits(void **state)
{
    (void)state;
    int64_t r;
    assert_true(checked_sub(0, INT64_MAX, &r));
    assert_true(r == -INT64_MAX);
    assert_false(checked_sub(INT64_MIN, 1, &r));
    assert_false(checked_sub(0, INT64_MIN, &r));
}

static void test_mul_limits(void **state)
{
    (void)state;
    int64_t r;
    assert_true(checked_mul(3037000499, 3037000499, &r));
    assert_false(checked_mul(3037000500, 3037000500, &r));
    assert_false(checked_mul(INT64_MIN, -1, &r));
    assert_true(checked_mul(-5, 7, &r));
    assert_int_equal(r, -35);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_limits),
        cmocka_unit_test(test_sub_limits),
        cmocka_unit_test(test_mul_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
