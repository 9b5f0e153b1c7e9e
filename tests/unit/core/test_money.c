/* test_money.c - money arithmetic to the last cent: checked operations at the
 * int64 limits, ratios with every rounding mode, and allocation that never
 * loses or creates a minor unit (including a randomized run, fixed seed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/money.h"

static const currency *eur;
static const currency *usd;

static int setup(void **state)
{
    (void)state;
    eur = currency_find("EUR");
    usd = currency_find("USD");
    return eur && usd ? 0 : -1;
}

#define M(minor) money_make((minor), eur)

static void test_add_sub_negate(void **state)
{
    (void)state;
    money r;
    assert_int_equal(money_add(M(1234), M(-34), &r), MONEY_OK);
    assert_true(r.minor == 1200 && r.cur == eur);
    assert_int_equal(money_sub(M(5), M(12), &r), MONEY_OK);
    assert_true(r.minor == -7);
    assert_int_equal(money_negate(M(-7), &r), MONEY_OK);
    assert_true(r.minor == 7);
    r = M(42);
    assert_int_equal(money_add(M(1), money_make(1, usd), &r), MONEY_CURRENCY_MISMATCH);
    assert_int_equal(money_sub(M(1), money_make(1, usd), &r), MONEY_CURRENCY_MISMATCH);
    assert_true(r.minor == 42); /* untouched on error */
}

static void test_overflow_at_limits(void **state)
{
    (void)state;
    money r = M(42);
    assert_int_equal(money_add(M(INT64_MAX - 1), M(1), &r), MONEY_OK);
    assert_true(r.minor == INT64_MAX);
    assert_int_equal(money_add(M(INT64_MAX), M(1), &r), MONEY_OVERFLOW);
    assert_int_equal(money_add(M(INT64_MIN), M(-1), &r), MONEY_OVERFLOW);
    assert_int_equal(money_sub(M(INT64_MIN), M(1), &r), MONEY_OVERFLOW);
    assert_int_equal(money_sub(M(0), M(INT64_MIN), &r), MONEY_OVERFLOW);
    assert_int_equal(money_negate(M(INT64_MIN), &r), MONEY_OVERFLOW);
    assert_true(r.minor == INT64_MAX);
    assert_int_equal(money_negate(M(INT64_MAX), &r), MONEY_OK);
    assert_true(r.minor == -INT64_MAX);
    assert_int_equal(money_mul_int(M(INT64_MAX / 2), 2, &r), MONEY_OK);
    assert_int_equal(money_mul_int(M(INT64_MAX / 2 + 1), 2, &r), MONEY_OVERFLOW);
    assert_int_equal(money_mul_int(M(INT64_MIN), -1, &r), MONEY_OVERFLOW);
    assert_int_equal(money_mul_int(M(-3), 7, &r), MONEY_OK);
    assert_true(r.minor == -21);
}

/* 25 minor units * 1/10 = 2.5 and friends, in every mode, both signs. */
static void test_mul_ratio_modes(void **state)
{
    (void)state;
    static const struct {
        int64_t minor, num, den;
        int64_t expect[ROUND_MODE_COUNT]; /* HALF_UP HALF_EVEN DOWN UP FLOOR CEILING */
    } cases[] = {
        {25, 1, 10, {3, 2, 2, 3, 2, 3}},
        {-25, 1, 10, {-3, -2, -2, -3, -3, -2}},
        {25, -1, 10, {-3, -2, -2, -3, -3, -2}},
        {25, 1, -10, {-3, -2, -2, -3, -3, -2}},
        {-25, -1, 10, {3, 2, 2, 3, 2, 3}},
        {-25, -1, -10, {-3, -2, -2, -3, -3, -2}},
        {35, 1, 10, {4, 4, 3, 4, 3, 4}},
        {-35, 1, 10, {-4, -4, -3, -4, -4, -3}},
        {100, 1, 3, {33, 33, 33, 34, 33, 34}},
        {-100, 2, 3, {-67, -67, -66, -67, -67, -66}},
        {1000, 3, 4, {750, 750, 750, 750, 750, 750}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int m = 0; m < ROUND_MODE_COUNT; m++) {
            money r;
            assert_int_equal(money_mul_ratio(M(cases[i].minor), cases[i].num, cases[i].den,
                                             (round_mode)m, &r),
                             MONEY_OK);
            if (r.minor != cases[i].expect[m])
                fail_msg("case %zu mode %s: got %lld want %lld", i,
                         round_mode_name((round_mode)m), (long long)r.minor,
                         (long long)cases[i].expect[m]);
        }
}

static void test_mul_ratio_limits(void **state)
{
    (void)state;
    money r = M(1);
    /* The 128-bit intermediate keeps INT64_MAX * INT64_MAX exact. */
    assert_int_equal(money_mul_ratio(M(INT64_MAX), INT64_MAX, INT64_MAX, ROUND_DOWN, &r),
                     MONEY_OK);
    assert_true(r.minor == INT64_MAX);
    assert_int_equal(money_mul_ratio(M(INT64_MIN), INT64_MIN, INT64_MIN, ROUND_DOWN, &r),
                     MONEY_OK);
    assert_true(r.minor == INT64_MIN);
    assert_int_equal(money_mul_ratio(M(INT64_MIN), 1, -1, ROUND_DOWN, &r), MONEY_OVERFLOW);
    assert_int_equal(money_mul_ratio(M(INT64_MIN), -1, 1, ROUND_DOWN, &r), MONEY_OVERFLOW);
    assert_int_equal(money_mul_ratio(M(INT64_MAX), 3, 2, ROUND_DOWN, &r), MONEY_OVERFLOW);
    /* 4294967297 * 4294967295 = 2^64 - 1, so / 2 is INT64_MAX + 0.5: whether
     * it fits depends on the rounding mode alone. */
    assert_int_equal(money_mul_ratio(M(4294967297), 4294967295, 2, ROUND_DOWN, &r), MONEY_OK);
    assert_true(r.minor == INT64_MAX);
    assert_int_equal(money_mul_ratio(M(4294967297), 4294967295, 2, ROUND_FLOOR, &r), MONEY_OK);
    assert_int_equal(money_mul_ratio(M(4294967297), 4294967295, 2, ROUND_HALF_EVEN, &r),
                     MONEY_OVERFLOW);
    assert_int_equal(money_mul_ratio(M(4294967297), 4294967295, 2, ROUND_UP, &r),
                     MONEY_OVERFLOW);
    /* 274177 * 67280421310721 = 2^64 + 1: -(2^64 + 1) / 2 is INT64_MIN - 0.5. */
    assert_int_equal(money_mul_ratio(M(-274177), 67280421310721, 2, ROUND_CEILING, &r),
                     MONEY_OK);
    assert_true(r.minor == INT64_MIN);
    assert_int_equal(money_mul_ratio(M(-274177), 67280421310721, 2, ROUND_HALF_EVEN, &r),
                     MONEY_OK);
    assert_true(r.minor == INT64_MIN);
    assert_int_equal(money_mul_ratio(M(-274177), 67280421310721, 2, ROUND_FLOOR, &r),
                     MONEY_OVERFLOW);
    assert_int_equal(money_mul_ratio(M(-274177), 67280421310721, 2, ROUND_HALF_UP, &r),
                     MONEY_OVERFLOW);
    assert_int_equal(money_mul_ratio(M(INT64_MAX - 1), 3, 2, ROUND_DOWN, &r), MONEY_OVERFLOW);
    r = M(9);
    assert_int_equal(money_mul_ratio(M(5), 1, 0, ROUND_HALF_UP, &r), MONEY_ZERO_DIVISOR);
    assert_true(r.minor == 9);
}

static void test_percent_bp(void **state)
{
    (void)state;
    money r;
    /* 22 % VAT of 12.34 EUR = 2.7148 EUR */
    assert_int_equal(money_percent_bp(M(1234), 2200, ROUND_HALF_UP, &r), MONEY_OK);
    assert_true(r.minor == 271);
    /* 22 % of 19.99 = 4.3978 */
    assert_int_equal(money_percent_bp(M(1999), 2200, ROUND_HALF_EVEN, &r), MONEY_OK);
    assert_true(r.minor == 440);
    /* 10 % of 0.05 = 0.5 cent: the mode decides */
    assert_int_equal(money_percent_bp(M(5), 1000, ROUND_HALF_EVEN, &r), MONEY_OK);
    assert_true(r.minor == 0);
    assert_int_equal(money_percent_bp(M(5), 1000, ROUND_HALF_UP, &r), MONEY_OK);
    assert_true(r.minor == 1);
    assert_int_equal(money_percent_bp(M(-5), 1000, ROUND_HALF_UP, &r), MONEY_OK);
    assert_true(r.minor == -1);
    assert_int_equal(money_percent_bp(M(-5), 1000, ROUND_FLOOR, &r), MONEY_OK);
    assert_true(r.minor == -1);
    assert_int_equal(money_percent_bp(M(-5), 1000, ROUND_CEILING, &r), MONEY_OK);
    assert_true(r.minor == 0);
    /* 0.05 % (5 bp) of 1000.00 = 0.50 */
    assert_int_equal(money_percent_bp(M(100000), 5, ROUND_DOWN, &r), MONEY_OK);
    assert_true(r.minor == 50);
    assert_int_equal(money_percent_bp(M(INT64_MAX), 20000, ROUND_DOWN, &r), MONEY_OVERFLOW);
}

static void expect_allocation(int64_t total, const int64_t *ratios, size_t n,
                              const int64_t *want)
{
    int64_t out[16];
    assert_true(n <= 16);
    assert_int_equal(money_allocate(M(total), ratios, n, out), MONEY_OK);
    for (size_t i = 0; i < n; i++)
        if (out[i] != want[i])
            fail_msg("allocate %lld part %zu: got %lld want %lld", (long long)total, i,
                     (long long)out[i], (long long)want[i]);
}

static void test_allocate_examples(void **state)
{
    (void)state;
    expect_allocation(100, (int64_t[]){1, 1, 1}, 3, (int64_t[]){34, 33, 33});
    expect_allocation(-100, (int64_t[]){1, 1, 1}, 3, (int64_t[]){-34, -33, -33});
    /* 5 over 3:7 is 1.5 / 3.5; the tied remainders favour the earlier part. */
    expect_allocation(5, (int64_t[]){3, 7}, 2, (int64_t[]){2, 3});
    expect_allocation(-5, (int64_t[]){3, 7}, 2, (int64_t[]){-2, -3});
    /* 10 over 1:1:1:1 -> 2.5 each; the first two get the extra units. */
    expect_allocation(10, (int64_t[]){1, 1, 1, 1}, 4, (int64_t[]){3, 3, 2, 2});
    /* Largest remainder wins over position: 101 over 1:2:2 is 20.2, 40.4, 40.4. */
    expect_allocation(101, (int64_t[]){1, 2, 2}, 3, (int64_t[]){20, 41, 40});
    expect_allocation(7, (int64_t[]){0, 1, 0}, 3, (int64_t[]){0, 7, 0});
    expect_allocation(0, (int64_t[]){2, 3}, 2, (int64_t[]){0, 0});
    expect_allocation(1, (int64_t[]){1, 1, 1}, 3, (int64_t[]){1, 0, 0});
    expect_allocation(2, (int64_t[]){1, 0, 1}, 3, (int64_t[]){1, 0, 1});
    expect_allocation(INT64_MIN, (int64_t[]){1}, 1, (int64_t[]){INT64_MIN});
    expect_allocation(INT64_MAX, (int64_t[]){1, 1}, 2,
                      (int64_t[]){INT64_MAX / 2 + 1, INT64_MAX / 2});
    expect_allocation(INT64_MIN, (int64_t[]){1, 1}, 2,
                      (int64_t[]){INT64_MIN / 2, INT64_MIN / 2});
    expect_allocation(INT64_MAX, (int64_t[]){INT64_MAX - 1, 1}, 2,
                      (int64_t[]){INT64_MAX - 1, 1});
}

static void test_allocate_errors(void **state)
{
    (void)state;
    int64_t out[3] = {7, 7, 7};
    assert_int_equal(money_allocate(M(10), (int64_t[]){1}, 0, out), MONEY_BAD_RATIOS);
    assert_int_equal(money_allocate(M(10), (int64_t[]){0, 0}, 2, out), MONEY_BAD_RATIOS);
    assert_int_equal(money_allocate(M(10), (int64_t[]){2, -1}, 2, out), MONEY_BAD_RATIOS);
    assert_int_equal(money_allocate(M(10), (int64_t[]){INT64_MAX, 1}, 2, out),
                     MONEY_OVERFLOW);
    assert_true(out[0] == 7 && out[1] == 7 && out[2] == 7);
    static int64_t many[MONEY_ALLOCATE_PARTS_MAX + 1], parts[MONEY_ALLOCATE_PARTS_MAX + 1];
    for (size_t i = 0; i <= MONEY_ALLOCATE_PARTS_MAX; i++)
        many[i] = 1;
    assert_int_equal(money_allocate(M(10), many, MONEY_ALLOCATE_PARTS_MAX + 1, parts),
                     MONEY_BAD_RATIOS);
    assert_int_equal(money_allocate(M(-1023), many, MONEY_ALLOCATE_PARTS_MAX, parts),
                     MONEY_OK);
    assert_true(parts[0] == -1 && parts[1022] == -1 && parts[1023] == 0);
}

/* xorshift64*: a fixed, portable pseudo-random sequence. */
static uint64_t rng_state = 0x5a1d0c0ffee12345u;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static int64_t random_total(void)
{
    switch (rng_next() % 4) {
    case 0: return (int64_t)(rng_next() % 2001) - 1000;
    case 1: return (int64_t)rng_next(); /* anywhere in int64 */
    case 2: return INT64_MIN + (int64_t)(rng_next() % 100);
    default: return INT64_MAX - (int64_t)(rng_next() % 100);
    }
}

/* Sum preserved; every part within one minor unit of its exact share, on the
 * total's side of zero; zero ratios get zero; ties never favour a later part. */
static void test_allocate_randomized(void **state)
{
    (void)state;
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 1 + rng_next() % 12;
        int64_t ratios[12], out[12];
        int64_t sum = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t kind = rng_next() % 8;
            ratios[i] = kind == 0 ? 0 : kind == 1 ? (int64_t)(rng_next() >> 8)
                                                  : (int64_t)(rng_next() % 1000);
            sum += ratios[i];
        }
        if (sum == 0) {
            ratios[0] = 1;
            sum = 1;
        }
        int64_t total = random_total();
        assert_int_equal(money_allocate(M(total), ratios, n, out), MONEY_OK);
        __int128 check = 0;
        for (size_t i = 0; i < n; i++) {
            check += out[i];
            __int128 diff = (__int128)out[i] * sum - (__int128)total * ratios[i];
            assert_true(diff < sum && diff > -(__int128)sum);
            assert_true(total >= 0 ? out[i] >= 0 : out[i] <= 0);
            if (ratios[i] == 0)
                assert_true(out[i] == 0);
            for (size_t j = 0; j < i; j++) /* equal ratios: earlier gets no less */
                if (ratios[j] == ratios[i])
                    assert_true(total >= 0 ? out[j] >= out[i] : out[j] <= out[i]);
        }
        assert_true(check == total);
    }
}

static void test_err_str(void **state)
{
    (void)state;
    for (int e = 0; e < MONEY_ERR_COUNT; e++) {
        assert_non_null(money_err_str((money_err)e));
        assert_string_not_equal(money_err_str((money_err)e), "unknown money error");
    }
    assert_string_equal(money_err_str(MONEY_ERR_COUNT), "unknown money error");
    assert_string_equal(money_err_str(MONEY_TOO_PRECISE), "too many decimals");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sub_negate),
        cmocka_unit_test(test_overflow_at_limits),
        cmocka_unit_test(test_mul_ratio_modes),
        cmocka_unit_test(test_mul_ratio_limits),
        cmocka_unit_test(test_percent_bp),
        cmocka_unit_test(test_allocate_examples),
        cmocka_unit_test(test_allocate_errors),
        cmocka_unit_test(test_allocate_randomized),
        cmocka_unit_test(test_err_str),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
