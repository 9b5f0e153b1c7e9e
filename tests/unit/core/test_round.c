/* test_round.c - every rounding mode on positive and negative halves, checked
 * against a table by hand and against an independent floor-based reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/round.h"

/* Tenths x = num / 10 and the expected result per mode, worked out by hand. */
static const struct {
    int num;
    int expect[ROUND_MODE_COUNT]; /* HALF_UP HALF_EVEN DOWN UP FLOOR CEILING */
} tenths[] = {
    {25, {3, 2, 2, 3, 2, 3}},        {-25, {-3, -2, -2, -3, -3, -2}},
    {35, {4, 4, 3, 4, 3, 4}},        {-35, {-4, -4, -3, -4, -4, -3}},
    {5, {1, 0, 0, 1, 0, 1}},         {-5, {-1, 0, 0, -1, -1, 0}},
    {15, {2, 2, 1, 2, 1, 2}},        {-15, {-2, -2, -1, -2, -2, -1}},
    {21, {2, 2, 2, 3, 2, 3}},        {-21, {-2, -2, -2, -3, -3, -2}},
    {27, {3, 3, 2, 3, 2, 3}},        {-27, {-3, -3, -2, -3, -3, -2}},
    {20, {2, 2, 2, 2, 2, 2}},        {-20, {-2, -2, -2, -2, -2, -2}},
    {0, {0, 0, 0, 0, 0, 0}},         {1, {0, 0, 0, 1, 0, 1}},
    {-1, {0, 0, 0, -1, -1, 0}},
};

static void test_table_by_hand(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof tenths / sizeof tenths[0]; i++) {
        for (int m = 0; m < ROUND_MODE_COUNT; m++) {
            __int128 q = 99;
            assert_true(round_div_i128(tenths[i].num, 10, (round_mode)m, &q));
            if ((long long)q != tenths[i].expect[m])
                fail_msg("%d/10 in mode %s: got %lld, want %d", tenths[i].num,
                         round_mode_name((round_mode)m), (long long)q, tenths[i].expect[m]);
        }
    }
}

/* A second, independent derivation: from the floor and the remainder. */
static long long reference(long long num, long long den, round_mode mode)
{
    long long fl = num / den - ((num % den != 0) && ((num < 0) != (den < 0)) ? 1 : 0);
    long long frac = num - fl * den; /* [0, den) */
    long long ce = fl + (frac != 0);
    if (frac == 0)
        return fl;
    switch (mode) {
    case ROUND_FLOOR: return fl;
    case ROUND_CEILING: return ce;
    case ROUND_DOWN: return num >= 0 ? fl : ce;
    case ROUND_UP: return num >= 0 ? ce : fl;
    case ROUND_HALF_UP:
        if (2 * frac != den)
            return 2 * frac < den ? fl : ce;
        return num >= 0 ? ce : fl;
    case ROUND_HALF_EVEN:
        if (2 * frac != den)
            return 2 * frac < den ? fl : ce;
        return (fl % 2 == 0) ? fl : ce;
    default: fail(); return 0;
    }
}

static void test_against_reference(void **state)
{
    (void)state;
    for (long long num = -200; num <= 200; num++)
        for (long long den = 1; den <= 16; den++)
            for (int m = 0; m < ROUND_MODE_COUNT; m++) {
                __int128 q;
                assert_true(round_div_i128(num, den, (round_mode)m, &q));
                if ((long long)q != reference(num, den, (round_mode)m))
                    fail_msg("%lld/%lld mode %d: got %lld want %lld", num, den, m,
                             (long long)q, reference(num, den, (round_mode)m));
            }
}

static void test_rejects_non_positive_divisor(void **state)
{
    (void)state;
    __int128 q = 7;
    assert_false(round_div_i128(5, 0, ROUND_HALF_UP, &q));
    assert_false(round_div_i128(5, -2, ROUND_HALF_UP, &q));
    assert_true(q == 7);
}

static void test_wide_operands(void **state)
{
    (void)state;
    /* INT64_MAX^2 / INT64_MAX is exact; (2^126 + 1) / 2 is a half above 2^125. */
    __int128 big = (__int128)INT64_MAX * INT64_MAX, q;
    assert_true(round_div_i128(big, INT64_MAX, ROUND_DOWN, &q));
    assert_true(q == INT64_MAX);
    __int128 p126 = (__int128)1 << 126;
    assert_true(round_div_i128(p126 + 1, 2, ROUND_HALF_EVEN, &q));
    assert_true(q == ((__int128)1 << 125));
    assert_true(round_div_i128(p126 + 1, 2, ROUND_HALF_UP, &q));
    assert_true(q == ((__int128)1 << 125) + 1);
    assert_true(round_div_i128(-(p126 + 1), 2, ROUND_HALF_UP, &q));
    assert_true(q == -((__int128)1 << 125) - 1);
    assert_true(round_div_i128(-(p126 + 1), 2, ROUND_CEILING, &q));
    assert_true(q == -((__int128)1 << 125));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(round_mode_name(ROUND_HALF_EVEN), "half_even");
    assert_string_equal(round_mode_name(ROUND_CEILING), "ceiling");
    assert_string_equal(round_mode_name(ROUND_MODE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_by_hand),
        cmocka_unit_test(test_against_reference),
        cmocka_unit_test(test_rejects_non_positive_divisor),
        cmocka_unit_test(test_wide_operands),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
