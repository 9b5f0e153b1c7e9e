/* test_einvoice_xml.c - what the e-invoice writers share: free text made
 * safe (control characters, broken UTF-8, FatturaPA's Latin-1 fields, cuts by
 * characters) and decimals from minor units without floating point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "feature/invoices/einvoice_xml.h"

static const char *clean(const char *s, bool latin1, size_t max)
{
    static char out[EINVOICE_TEXT_SIZE];
    einvoice_clean(s, latin1, max, out, sizeof out);
    return out;
}

static void test_clean(void **state)
{
    (void)state;
    assert_string_equal(clean("  Rossi\t&\nFigli  ", false, 100), "Rossi & Figli");
    assert_string_equal(clean("a\x01\x7f" "b", false, 100), "a b");
    assert_string_equal(clean("a\xc2\x85" "b", false, 100), "a b"); /* C1 control NEL */
    assert_string_equal(clean("Zoë 東京 😀", false, 100), "Zoë 東京 😀");
    assert_string_equal(clean("Zoë 東京 😀", true, 100), "Zoë ?? ?");
    assert_string_equal(clean("a – b — c ‘d’ “e” € 5…", true, 100), "a - b - c 'd' \"e\" EUR 5...");
    assert_string_equal(clean("ab\xff" "c\xc3", false, 100), "ab?c?"); /* broken bytes */
    assert_string_equal(clean("\xed\xa0\x80", false, 100), "???"); /* a surrogate: three bad bytes */
    assert_string_equal(clean("abcdef", false, 3), "abc");
    assert_string_equal(clean("ëëëë", false, 2), "ëë");
    assert_string_equal(clean("ab cd", false, 3), "ab"); /* no trailing space at the cut */
    assert_string_equal(clean(" \t\n ", false, 100), "");
    char out[4 * 1000 + 1];
    assert_int_equal(einvoice_clean("x y", true, 1000, out, sizeof out), 3);
}

static const char *dec(int64_t minor, int exponent, int decimals)
{
    static char out[EINVOICE_DECIMAL_SIZE];
    assert_true(einvoice_decimal(minor, exponent, decimals, out));
    return out;
}

static void test_decimal(void **state)
{
    (void)state;
    assert_string_equal(dec(0, 2, 2), "0.00");
    assert_string_equal(dec(5, 2, 2), "0.05");
    assert_string_equal(dec(-5, 2, 2), "-0.05");
    assert_string_equal(dec(123456, 2, 2), "1234.56");
    assert_string_equal(dec(-100, 2, 2), "-1.00");
    assert_string_equal(dec(1234, 0, 2), "1234.00"); /* JPY */
    assert_string_equal(dec(1230, 3, 2), "1.23");    /* a trailing zero may go */
    assert_string_equal(dec(7, 0, 0), "7");
    assert_string_equal(dec(INT64_MIN, 2, 2), "-92233720368547758.08");
    assert_string_equal(dec(INT64_MAX, 2, 2), "92233720368547758.07");
    char out[EINVOICE_DECIMAL_SIZE];
    assert_false(einvoice_decimal(1234, 3, 2, out)); /* 1.234 would lose a digit */
    assert_false(einvoice_decimal(1, 2, 9, out));

    einvoice_rate(2200, out);
    assert_string_equal(out, "22.00");
    einvoice_rate(550, out);
    assert_string_equal(out, "5.50");
    einvoice_rate(0, out);
    assert_string_equal(out, "0.00");
    einvoice_rate(2550, out);
    assert_string_equal(out, "25.50");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
