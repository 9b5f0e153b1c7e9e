/* test_fx.c - exact rates: parsing, formatting, cross rates through EUR and
 * conversions between exponents, with values worked out by hand (and checked
 * with exact fractions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/fx.h"

static fx_rate rate(const char *text)
{
    fx_rate r = {0};
    money_err e = fx_rate_parse(text, &r);
    if (e != MONEY_OK)
        fail_msg("rate '%s': %s", text, money_err_str(e));
    return r;
}

static const currency *cur(const char *code)
{
    const currency *c = currency_find(code);
    assert_non_null(c);
    return c;
}

static void test_rate_parse(void **state)
{
    (void)state;
    assert_true(rate("1.0856").units == INT64_C(1085600000000));
    assert_true(rate("178.41").units == INT64_C(178410000000000));
    assert_true(rate("0.000000000001").units == 1);
    assert_true(rate("2").units == 2 * FX_RATE_SCALE);
    assert_true(rate("0007.5").units == INT64_C(7500000000000));
    assert_true(rate("9223372.036854775807").units == INT64_MAX);
    static const struct {
        const char *text;
        money_err want;
    } bad[] = {
        {"", MONEY_SYNTAX},       {"abc", MONEY_SYNTAX},   {"1.", MONEY_SYNTAX},
        {".5", MONEY_SYNTAX},     {"1e3", MONEY_SYNTAX},   {" 1", MONEY_SYNTAX},
        {"1 ", MONEY_SYNTAX},     {"+1", MONEY_SYNTAX},    {"1,5", MONEY_SYNTAX},
        {"1.2.3", MONEY_SYNTAX},  {"-", MONEY_SYNTAX},     {"--1", MONEY_SYNTAX},
        {"0", MONEY_RANGE},       {"0.000", MONEY_RANGE},  {"-1.5", MONEY_RANGE},
        {"-0", MONEY_RANGE},      {"9223372.036854775808", MONEY_RANGE},
        {"10000000", MONEY_RANGE},
        {"1.0000000000000", MONEY_TOO_PRECISE},
        {"0.0000000000001", MONEY_TOO_PRECISE},
        {"000000000000000000000000000000000000001.5", MONEY_SYNTAX}, /* 41 bytes */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_rate r = {.units = 42};
        money_err e = fx_rate_parse(bad[i].text, &r);
        if (e != bad[i].want || r.units != 42)
            fail_msg("'%s': got %s want %s", bad[i].text, money_err_str(e),
                     money_err_str(bad[i].want));
    }
    fx_rate r;
    assert_int_equal(fx_rate_parse(NULL, &r), MONEY_SYNTAX);
    /* exactly FX_RATE_TEXT_BYTES_MAX (40) bytes */
    assert_int_equal(fx_rate_parse("00000000000000000000000000000000000001.5", &r), MONEY_OK);
}

static void expect_rate_text(int64_t units, const char *want)
{
    char out[FX_RATE_FORMAT_BYTES_MAX];
    assert_int_equal(fx_rate_format((fx_rate){units}, out, sizeof out), MONEY_OK);
    assert_string_equal(out, want);
    assert_true(rate(out).units == units);
}

static void test_rate_format(void **state)
{
    (void)state;
    expect_rate_text(INT64_C(1085600000000), "1.0856");
    expect_rate_text(INT64_C(178410000000000), "178.41");
    expect_rate_text(1, "0.000000000001");
    expect_rate_text(2 * FX_RATE_SCALE, "2");
    expect_rate_text(INT64_C(100000000000), "0.1");
    expect_rate_text(INT64_MAX, "9223372.036854775807");
    char out[8];
    assert_int_equal(fx_rate_format((fx_rate){0}, out, sizeof out), MONEY_RANGE);
    assert_int_equal(fx_rate_format((fx_rate){-5}, out, sizeof out), MONEY_RANGE);
    assert_int_equal(fx_rate_format(rate("1.0856"), out, 7), MONEY_OK);
    assert_string_equal(out, "1.0856");
    assert_int_equal(fx_rate_format(rate("1.0856"), out, 6), MONEY_NO_SPACE);
    assert_string_equal(out, "");
}

static void test_cross(void **state)
{
    (void)state;
    fx_rate r;
    /* 1 EUR = 1.25 USD = 0.8 GBP, so 1 USD = 0.8 / 1.25 = 0.64 GBP exactly. */
    assert_int_equal(fx_cross(rate("1.25"), rate("0.8"), &r), MONEY_OK);
    assert_true(r.units == INT64_C(640000000000));
    /* Inverting through FX_RATE_ONE: 1 USD = 1 / 1.25 = 0.8 EUR. */
    assert_int_equal(fx_cross(rate("1.25"), FX_RATE_ONE, &r), MONEY_OK);
    assert_true(r.units == INT64_C(800000000000));
    /* 2/3 = 0.666666666666|67 rounds up at the 12th decimal. */
    assert_int_equal(fx_cross(rate("3"), rate("2"), &r), MONEY_OK);
    assert_true(r.units == INT64_C(666666666667));
    /* Exact ties go to even: 3e-12 / 2 = 1.5e-12 -> 2e-12; 5e-12 / 2 -> 2e-12. */
    assert_int_equal(fx_cross(rate("2"), (fx_rate){3}, &r), MONEY_OK);
    assert_true(r.units == 2);
    assert_int_equal(fx_cross(rate("2"), (fx_rate){5}, &r), MONEY_OK);
    assert_true(r.units == 2);
    /* ECB sample day: USD 1.1562, GBP 0.87815, JPY 178.41.
     * USD->GBP = 0.87815 / 1.1562 = 0.759513924926(0...) */
    assert_int_equal(fx_cross(rate("1.1562"), rate("0.87815"), &r), MONEY_OK);
    assert_true(r.units == INT64_C(759513924926));
    /* JPY->USD = 1.1562 / 178.41 = 0.006480578443(4...) */
    assert_int_equal(fx_cross(rate("178.41"), rate("1.1562"), &r), MONEY_OK);
    assert_true(r.units == INT64_C(6480578443));
    /* USD->JPY = 178.41 / 1.1562 = 154.307213284899 */
    assert_int_equal(fx_cross(rate("1.1562"), rate("178.41"), &r), MONEY_OK);
    assert_true(r.units == INT64_C(154307213284899));
    /* Same currency: 1. */
    assert_int_equal(fx_cross(rate("178.41"), rate("178.41"), &r), MONEY_OK);
    assert_true(r.units == FX_RATE_SCALE);
    r.units = 42;
    assert_int_equal(fx_cross((fx_rate){1}, rate("9000000"), &r), MONEY_OVERFLOW);
    assert_int_equal(fx_cross(rate("9000000"), (fx_rate){1}, &r), MONEY_RANGE); /* -> 0 */
    assert_int_equal(fx_cross((fx_rate){0}, rate("1"), &r), MONEY_RANGE);
    assert_int_equal(fx_cross(rate("1"), (fx_rate){-1}, &r), MONEY_RANGE);
    assert_true(r.units == 42);
}

static void expect_convert(int64_t minor, const char *from, const char *rate_text,
                           const char *to, round_mode mode, int64_t want)
{
    money out = {0};
    money_err e = fx_convert(money_make(minor, cur(from)), rate(rate_text), cur(to), mode, &out);
    if (e != MONEY_OK || out.minor != want || out.cur != cur(to))
        fail_msg("%lld %s at %s to %s (%s): %s %lld, want %lld", (long long)minor, from,
                 rate_text, to, round_mode_name(mode), money_err_str(e),
                 (long long)out.minor, (long long)want);
}

static void test_convert(void **state)
{
    (void)state;
    /* 100.00 EUR at 1.1562 = 115.62 USD */
    expect_convert(10000, "EUR", "1.1562", "USD", ROUND_HALF_EVEN, 11562);
    /* 0.01 EUR at 1.1562 = 0.011562 USD -> 0.01 */
    expect_convert(1, "EUR", "1.1562", "USD", ROUND_HALF_EVEN, 1);
    expect_convert(1, "EUR", "1.1562", "USD", ROUND_UP, 2);
    /* EUR (2) -> JPY (0): 10.00 EUR at 178.41 = 1784.1 JPY */
    expect_convert(1000, "EUR", "178.41", "JPY", ROUND_HALF_EVEN, 1784);
    expect_convert(1000, "EUR", "178.41", "JPY", ROUND_UP, 1785);
    /* 0.50 EUR at 179 = 89.5 JPY: the tie follows the mode */
    expect_convert(50, "EUR", "179", "JPY", ROUND_HALF_EVEN, 90);
    expect_convert(50, "EUR", "177", "JPY", ROUND_HALF_EVEN, 88); /* 88.5 */
    expect_convert(50, "EUR", "177", "JPY", ROUND_HALF_UP, 89);
    expect_convert(-50, "EUR", "177", "JPY", ROUND_HALF_UP, -89);
    expect_convert(-50, "EUR", "177", "JPY", ROUND_HALF_EVEN, -88);
    /* -0.01 EUR at 178.41 = -1.7841 JPY in each mode */
    expect_convert(-1, "EUR", "178.41", "JPY", ROUND_HALF_UP, -2);
    expect_convert(-1, "EUR", "178.41", "JPY", ROUND_DOWN, -1);
    expect_convert(-1, "EUR", "178.41", "JPY", ROUND_FLOOR, -2);
    expect_convert(-1, "EUR", "178.41", "JPY", ROUND_CEILING, -1);
    /* JPY (0) -> BHD (3): 1000 JPY at 0.002537 = 2.537 BHD = 2537 fils */
    expect_convert(1000, "JPY", "0.002537", "BHD", ROUND_HALF_EVEN, 2537);
    /* 1 JPY at 0.002537 = 0.002537 BHD = 2.537 fils -> 3 */
    expect_convert(1, "JPY", "0.002537", "BHD", ROUND_HALF_EVEN, 3);
    /* BHD (3) -> JPY (0): 0.500 BHD at 394.2 = 197.1 JPY */
    expect_convert(500, "BHD", "394.2", "JPY", ROUND_HALF_EVEN, 197);
    /* BHD (3) -> EUR (2): 1.005 BHD at 2 = 2.010 EUR; 0.001 BHD at 2.5 = 0.0025 */
    expect_convert(1005, "BHD", "2", "EUR", ROUND_HALF_EVEN, 201);
    expect_convert(1, "BHD", "2.5", "EUR", ROUND_HALF_EVEN, 0);
    expect_convert(1, "BHD", "2.5", "EUR", ROUND_CEILING, 1);
    /* A cross rate in use: 1000 JPY -> USD at 0.006480578443 = 6.480578443 USD */
    fx_rate jpy_usd;
    assert_int_equal(fx_cross(rate("178.41"), rate("1.1562"), &jpy_usd), MONEY_OK);
    money usd;
    assert_int_equal(fx_convert(money_make(1000, cur("JPY")), jpy_usd, cur("USD"),
                                ROUND_HALF_EVEN, &usd), MONEY_OK);
    assert_true(usd.minor == 648);
    /* Same currency at 1 is the identity, even at the limits. */
    expect_convert(INT64_MIN, "EUR", "1", "EUR", ROUND_DOWN, INT64_MIN);
    expect_convert(INT64_MAX, "BHD", "1", "BHD", ROUND_DOWN, INT64_MAX);
}

static void test_convert_overflow(void **state)
{
    (void)state;
    money out = money_make(42, cur("EUR"));
    const currency *eur = cur("EUR"), *jpy = cur("JPY"), *bhd = cur("BHD");
    assert_int_equal(fx_convert(money_make(INT64_MAX, eur), rate("2"), eur, ROUND_DOWN, &out),
                     MONEY_OVERFLOW);
    assert_int_equal(fx_convert(money_make(INT64_MIN, eur), rate("1.000000000001"), eur,
                                ROUND_DOWN, &out),
                     MONEY_OVERFLOW);
    /* The 128-bit product itself would overflow times 10^3: still just an error. */
    assert_int_equal(fx_convert(money_make(INT64_MAX, jpy), (fx_rate){INT64_MAX}, bhd,
                                ROUND_DOWN, &out),
                     MONEY_OVERFLOW);
    assert_int_equal(fx_convert(money_make(INT64_MIN, jpy), (fx_rate){INT64_MAX}, bhd,
                                ROUND_DOWN, &out),
                     MONEY_OVERFLOW);
    /* Largest values that fit: INT64_MAX fils of BHD -> JPY at 0.001 = INT64_MAX / 10^6. */
    assert_int_equal(fx_convert(money_make(INT64_MAX, bhd), rate("0.001"), jpy, ROUND_DOWN,
                                &out),
                     MONEY_OK);
    assert_true(out.minor == INT64_MAX / 1000000);
    assert_int_equal(fx_convert(money_make(5, eur), (fx_rate){0}, jpy, ROUND_DOWN, &out),
                     MONEY_RANGE);
    assert_true(out.minor == INT64_MAX / 1000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_parse),
        cmocka_unit_test(test_rate_format),
        cmocka_unit_test(test_cross),
        cmocka_unit_test(test_convert),
        cmocka_unit_test(test_convert_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
