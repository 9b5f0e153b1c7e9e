/* test_money_text.c - money as text: the API decimal form and the it/en
 * display forms, exact values, rejections, and format/parse round trips for
 * exponents 0, 2, 3 and 4 at the int64 limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/money.h"

static const currency *cur(const char *code)
{
    const currency *c = currency_find(code);
    if (!c)
        fail_msg("no currency %s", code);
    return c;
}

static void expect_plain(const char *text, const char *code, int64_t minor)
{
    money m = {0};
    money_err e = money_parse_plain(text, cur(code), &m);
    if (e != MONEY_OK || m.minor != minor || m.cur != cur(code))
        fail_msg("parse_plain '%s' %s: %s, %lld (want %lld)", text, code, money_err_str(e),
                 (long long)m.minor, (long long)minor);
}

static void expect_plain_err(const char *text, const char *code, money_err want)
{
    money m = money_make(777, cur("EUR"));
    money_err e = money_parse_plain(text, cur(code), &m);
    if (e != want)
        fail_msg("parse_plain '%s' %s: got '%s' want '%s'", text ? text : "(null)", code,
                 money_err_str(e), money_err_str(want));
    assert_true(m.minor == 777);
}

static void test_parse_plain(void **state)
{
    (void)state;
    expect_plain("12.34", "EUR", 1234);
    expect_plain("-0.5", "EUR", -50);
    expect_plain("1200", "EUR", 120000);
    expect_plain("0", "EUR", 0);
    expect_plain("-0", "EUR", 0);
    expect_plain("-0.00", "EUR", 0);
    expect_plain("007.10", "EUR", 710);
    expect_plain("1235", "JPY", 1235);
    expect_plain("1.234", "BHD", 1234);
    expect_plain("1.2", "BHD", 1200);
    expect_plain("-0.001", "BHD", -1);
    expect_plain("1.2345", "CLF", 12345);
    /* int64 limits in minor units */
    expect_plain("92233720368547758.07", "EUR", INT64_MAX);
    expect_plain("-92233720368547758.08", "EUR", INT64_MIN);
    expect_plain("9223372036854775807", "JPY", INT64_MAX);
    expect_plain("-9223372036854775808", "JPY", INT64_MIN);
    expect_plain("9223372036854775.807", "BHD", INT64_MAX);
    expect_plain("000000000000000000000000000000000000000000000000000000000000.01", "EUR", 1);
}

static void test_parse_plain_rejects(void **state)
{
    (void)state;
    const char *syntax[] = {"", "-", "+1", " 1", "1 ", ".5", "5.", "-.5", "1.2.3", "1e3",
                            "1,5", "1.234,5", "--1", "0x10", "1_000", "\xEF\xBC\x91",
                            "12.3a", "NaN", "inf", "1.-2", "\t1"};
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++)
        expect_plain_err(syntax[i], "EUR", MONEY_SYNTAX);
    expect_plain_err(NULL, "EUR", MONEY_SYNTAX);
    expect_plain_err("12.345", "EUR", MONEY_TOO_PRECISE);
    expect_plain_err("1.230", "EUR", MONEY_TOO_PRECISE);
    expect_plain_err("1.0", "JPY", MONEY_TOO_PRECISE);
    expect_plain_err("1.2345", "BHD", MONEY_TOO_PRECISE);
    expect_plain_err("92233720368547758.08", "EUR", MONEY_RANGE);
    expect_plain_err("-92233720368547758.09", "EUR", MONEY_RANGE);
    expect_plain_err("9223372036854775808", "JPY", MONEY_RANGE);
    expect_plain_err("99999999999999999999999999999999999999999999999", "JPY", MONEY_RANGE);
    /* 65 bytes is over the limit even though the value is tiny. */
    expect_plain_err("00000000000000000000000000000000000000000000000000000000000000.01", "EUR",
                     MONEY_SYNTAX);
}

static void expect_format(int64_t minor, const char *code, const char *locale,
                          const char *want)
{
    char out[MONEY_FORMAT_BYTES_MAX];
    money_err e = money_format(money_make(minor, cur(code)), locale, out, sizeof out);
    if (e != MONEY_OK || strcmp(out, want) != 0)
        fail_msg("format %lld %s %s: %s '%s' (want '%s')", (long long)minor, code, locale,
                 money_err_str(e), out, want);
}

static void test_format_locales(void **state)
{
    (void)state;
    expect_format(123456, "EUR", "it", "1.234,56 \xE2\x82\xAC");
    expect_format(123456, "EUR", "en", "\xE2\x82\xAC" "1,234.56");
    expect_format(-123456, "EUR", "it", "-1.234,56 \xE2\x82\xAC");
    expect_format(-123456, "EUR", "en", "-\xE2\x82\xAC" "1,234.56");
    expect_format(1235, "JPY", "it", "1.235 \xC2\xA5");
    expect_format(1235, "JPY", "en", "\xC2\xA5" "1,235");
    expect_format(1234567, "BHD", "it", "1.234,567 BHD");
    expect_format(1234567, "BHD", "en", "BHD 1,234.567");
    expect_format(123456, "CHF", "it", "1.234,56 CHF");
    expect_format(123456, "CHF", "en", "CHF 1,234.56");
    expect_format(-5, "CHF", "en", "-CHF 0.05");
    expect_format(-5, "CHF", "it", "-0,05 CHF");
    expect_format(100, "GBP", "en", "\xC2\xA3" "1.00");
    expect_format(123456789, "USD", "en", "$1,234,567.89");
    expect_format(0, "EUR", "it", "0,00 \xE2\x82\xAC");
    expect_format(99999, "EUR", "it", "999,99 \xE2\x82\xAC");
    expect_format(100000, "EUR", "it", "1.000,00 \xE2\x82\xAC");
    expect_format(12345, "CLF", "en", "CLF 1.2345");
    expect_format(0, "JPY", "en", "\xC2\xA5" "0");
    expect_format(INT64_MIN, "EUR", "it", "-92.233.720.368.547.758,08 \xE2\x82\xAC");
    expect_format(INT64_MAX, "JPY", "en", "\xC2\xA5" "9,223,372,036,854,775,807");
}

static void expect_format_plain(int64_t minor, const char *code, const char *want)
{
    char out[MONEY_FORMAT_BYTES_MAX];
    money_err e = money_format_plain(money_make(minor, cur(code)), out, sizeof out);
    if (e != MONEY_OK || strcmp(out, want) != 0)
        fail_msg("format_plain %lld %s: '%s' (want '%s')", (long long)minor, code, out, want);
}

static void test_format_plain(void **state)
{
    (void)state;
    expect_format_plain(-123456, "EUR", "-1234.56");
    expect_format_plain(5, "EUR", "0.05");
    expect_format_plain(-5, "EUR", "-0.05");
    expect_format_plain(0, "EUR", "0.00");
    expect_format_plain(1235, "JPY", "1235");
    expect_format_plain(-1, "BHD", "-0.001");
    expect_format_plain(5, "CLF", "0.0005");
    expect_format_plain(INT64_MIN, "EUR", "-92233720368547758.08");
    expect_format_plain(INT64_MAX, "BHD", "9223372036854775.807");
}

static void test_format_errors(void **state)
{
    (void)state;
    money m = money_make(-123456, cur("EUR"));
    char out[12];
    /* "-1234.56" needs 9 bytes with its NUL. */
    assert_int_equal(money_format_plain(m, out, 9), MONEY_OK);
    assert_string_equal(out, "-1234.56");
    assert_int_equal(money_format_plain(m, out, 8), MONEY_NO_SPACE);
    assert_string_equal(out, "");
    /* "-1.234,56 €" is 13 bytes plus the NUL. */
    assert_int_equal(money_format(m, "it", out, sizeof out), MONEY_NO_SPACE);
    assert_string_equal(out, "");
    assert_int_equal(money_format(m, "it", NULL, 0), MONEY_NO_SPACE);
    assert_int_equal(money_format(m, "fr", out, sizeof out), MONEY_UNKNOWN_LOCALE);
    assert_int_equal(money_format(m, NULL, out, sizeof out), MONEY_UNKNOWN_LOCALE);
}

static void expect_locale(const char *text, const char *code, const char *locale,
                          int64_t minor)
{
    money m = {0};
    money_err e = money_parse_locale(text, cur(code), locale, &m);
    if (e != MONEY_OK || m.minor != minor || m.cur != cur(code))
        fail_msg("parse_locale '%s' %s %s: %s, %lld (want %lld)", text, code, locale,
                 money_err_str(e), (long long)m.minor, (long long)minor);
}

static void expect_locale_err(const char *text, const char *code, const char *locale,
                              money_err want)
{
    money m = money_make(777, cur("EUR"));
    money_err e = money_parse_locale(text, cur(code), locale, &m);
    if (e != want)
        fail_msg("parse_locale '%s' %s %s: got '%s' want '%s'", text ? text : "(null)", code,
                 locale, money_err_str(e), money_err_str(want));
    assert_true(m.minor == 777);
}

static void test_parse_locale_it(void **state)
{
    (void)state;
    expect_locale("1.234,56", "EUR", "it", 123456);
    expect_locale("1234,56", "EUR", "it", 123456);
    expect_locale("1234", "EUR", "it", 123400);
    expect_locale("1.234", "EUR", "it", 123400); /* thousands, not decimals */
    expect_locale("1.234.567,8", "EUR", "it", 123456780);
    expect_locale("0,5", "EUR", "it", 50);
    expect_locale("-1.234,56 \xE2\x82\xAC", "EUR", "it", -123456);
    expect_locale("\xE2\x82\xAC 1.234,56", "EUR", "it", 123456);
    expect_locale("1.234,56\xE2\x82\xAC", "EUR", "it", 123456);
    expect_locale("EUR 12", "EUR", "it", 1200);
    expect_locale("12 EUR", "EUR", "it", 1200);
    expect_locale("  12,00\t ", "EUR", "it", 1200);
    expect_locale("12,00\xC2\xA0\xE2\x82\xAC", "EUR", "it", 1200); /* no-break space */
    expect_locale("-\xE2\x82\xAC" "5", "EUR", "it", -500);
    expect_locale("\xE2\x82\xAC-5", "EUR", "it", -500);
    expect_locale("1.235", "JPY", "it", 1235);
    expect_locale("1.234,567 BHD", "BHD", "it", 1234567);
}

static void test_parse_locale_en(void **state)
{
    (void)state;
    expect_locale("1,234.56", "EUR", "en", 123456);
    expect_locale("1234.56", "EUR", "en", 123456);
    expect_locale("1,234", "EUR", "en", 123400);
    expect_locale("1,234,567.89", "USD", "en", 123456789);
    expect_locale("\xE2\x82\xAC" "1,234.56", "EUR", "en", 123456);
    expect_locale("-\xE2\x82\xAC" "1,234.56", "EUR", "en", -123456);
    expect_locale("$1", "USD", "en", 100);
    expect_locale("\xC2\xA3 0.99", "GBP", "en", 99);
    expect_locale("\xC2\xA5" "1,235", "JPY", "en", 1235);
    expect_locale("CHF 1,234.56", "CHF", "en", 123456);
    expect_locale("-CHF 0.05", "CHF", "en", -5);
}

static void test_parse_locale_rejects(void **state)
{
    (void)state;
    const char *it_syntax[] = {"12.34", "1.23,4", "1234.567,00", ",5", "5,", "1.234.5",
                               "1..234", "1.2345", "--5", "- 5", "5-", "+5", "1 234,56",
                               ("\xE2\x82\xAC" "5\xE2\x82\xAC"), "XYZ 5", "eur 5", "EURO 5",
                               "", "   ", "\xE2\x82\xAC", "-", "5 5", "1,5,0", "1.000.00",
                               "12,5 \xE2\x82\xAC x", "-\xE2\x82\xAC-5", "1.234,56.7"};
    for (size_t i = 0; i < sizeof it_syntax / sizeof it_syntax[0]; i++)
        expect_locale_err(it_syntax[i], "EUR", "it", MONEY_SYNTAX);
    expect_locale_err(NULL, "EUR", "it", MONEY_SYNTAX);
    expect_locale_err("12,345", "EUR", "it", MONEY_TOO_PRECISE);
    expect_locale_err("1.235,0", "JPY", "it", MONEY_TOO_PRECISE);
    expect_locale_err("$5", "EUR", "it", MONEY_CURRENCY_MISMATCH);
    expect_locale_err("5 USD", "EUR", "it", MONEY_CURRENCY_MISMATCH);
    expect_locale_err("\xE2\x82\xAC" "5", "USD", "en", MONEY_CURRENCY_MISMATCH);
    expect_locale_err("1,23", "EUR", "en", MONEY_SYNTAX);
    expect_locale_err("1234,567.00", "EUR", "en", MONEY_SYNTAX);
    expect_locale_err("1.234", "EUR", "en", MONEY_TOO_PRECISE);
    expect_locale_err("92.233.720.368.547.758,08", "EUR", "it", MONEY_RANGE);
    expect_locale_err("5", "EUR", "fr", MONEY_UNKNOWN_LOCALE);
    expect_locale_err("5", "EUR", NULL, MONEY_UNKNOWN_LOCALE);
    expect_locale_err("5", "EUR", "IT", MONEY_UNKNOWN_LOCALE);
}

/* format -> parse gives the value back, in both forms and both locales. */
static void check_round_trip(money m)
{
    char text[MONEY_FORMAT_BYTES_MAX];
    money back;
    assert_int_equal(money_format_plain(m, text, sizeof text), MONEY_OK);
    assert_int_equal(money_parse_plain(text, m.cur, &back), MONEY_OK);
    if (back.minor != m.minor || back.cur != m.cur)
        fail_msg("plain round trip of %lld %s via '%s'", (long long)m.minor, m.cur->code, text);
    static const char *const locales[] = {"it", "en"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(money_format(m, locales[i], text, sizeof text), MONEY_OK);
        money_err e = money_parse_locale(text, m.cur, locales[i], &back);
        if (e != MONEY_OK || back.minor != m.minor || back.cur != m.cur)
            fail_msg("%s round trip of %lld %s via '%s': %s", locales[i], (long long)m.minor,
                     m.cur->code, text, money_err_str(e));
    }
}

static void test_round_trips(void **state)
{
    (void)state;
    const char *codes[] = {"JPY", "EUR", "USD", "GBP", "CHF", "BHD", "CLF"};
    const int64_t values[] = {0, 1, -1, 5, 999, 1000, -1000, 123456, 1234567, 100000000,
                              INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
    for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++)
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
            check_round_trip(money_make(values[v], cur(codes[c])));
    uint64_t x = 88172645463325252u; /* xorshift, fixed seed */
    for (int i = 0; i < 5000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t v = (int64_t)(x >> (1 + x % 60)); /* magnitudes of every size, >= 0 */
        check_round_trip(money_make((x & 1) ? v : -v, cur(codes[i % 7])));
    }
    for (size_t i = 0; i < currency_count(); i++)
        check_round_trip(money_make(-987654321, currency_at(i)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_plain),
        cmocka_unit_test(test_parse_plain_rejects),
        cmocka_unit_test(test_format_locales),
        cmocka_unit_test(test_format_plain),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_parse_locale_it),
        cmocka_unit_test(test_parse_locale_en),
        cmocka_unit_test(test_parse_locale_rejects),
        cmocka_unit_test(test_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
