/* test_iban.c - IBAN validation: real IBANs of many countries (their check
 * digits recomputed here with an independent decimal-string method), every kind
 * of rejection with its reason, normalization and display in groups of four. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/iban.h"

/* mod 97 of the IBAN rearranged and expanded into a decimal string, reduced
 * nine digits at a time (the textbook method, unlike iban.c's digit loop). */
static unsigned reference_mod97(const char *iban)
{
    char digits[128] = "";
    char rearranged[IBAN_SIZE];
    size_t n = strlen(iban);
    assert_true(n >= 4 && n <= IBAN_LEN_MAX);
    memcpy(rearranged, iban + 4, n - 4);
    memcpy(rearranged + n - 4, iban, 4);
    rearranged[n] = '\0';
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        char c = rearranged[i];
        if (c >= 'A' && c <= 'Z')
            d += (size_t)snprintf(digits + d, sizeof digits - d, "%d", c - 'A' + 10);
        else
            digits[d++] = c;
    }
    digits[d] = '\0';
    unsigned long long rem = 0;
    for (size_t i = 0; digits[i];) {
        char chunk[16];
        int m = snprintf(chunk, sizeof chunk, "%llu", rem);
        size_t take = 0;
        while (m + (int)take < 15 && digits[i + take])
            chunk[m + (int)take] = digits[i + take], take++;
        chunk[m + (int)take] = '\0';
        rem = strtoull(chunk, NULL, 10) % 97;
        i += take;
    }
    return (unsigned)rem;
}

static const char *const valid_ibans[] = {
    "IT60X0542811101000000123456",  "IT74A0306909606100000063999",
    "DE89370400440532013000",       "GB29NWBK60161331926819",
    "NL91ABNA0417164300",           "NO9386011117947",
    "MT84MALT011000012345MTLCAST001S", "FR1420041010050500013M02606",
    "BE68539007547034",             "ES9121000418450200051332",
    "AT611904300234573201",         "CH9300762011623852957",
    "PL61109010140000071219812874", "SE4550000000058398257466",
    "LC55HEMM000100010012001200023015", "RU0304452522540817810538091310419",
    "SM86U0322509800000000270100",  "HR1210010051863000160",
    "IT02X0542811101000000000049",  "IT98X0542811101000000000067",
};

static void test_valid_ibans(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_ibans / sizeof valid_ibans[0]; i++) {
        char out[IBAN_SIZE];
        const char *reason = "unset";
        assert_int_equal(reference_mod97(valid_ibans[i]), 1);
        if (!iban_validate(valid_ibans[i], out, sizeof out, &reason))
            fail_msg("%s rejected: %s", valid_ibans[i], reason);
        assert_null(reason);
        assert_string_equal(out, valid_ibans[i]);
    }
}

static void test_spaces_and_lower_case_normalized(void **state)
{
    (void)state;
    char out[IBAN_SIZE];
    assert_true(iban_validate("it60 x054 2811 1010 0000 0123 456", out, sizeof out, NULL));
    assert_string_equal(out, "IT60X0542811101000000123456");
    assert_true(iban_validate(" DE89 3704 0044 0532 0130 00 ", out, sizeof out, NULL));
    assert_string_equal(out, "DE89370400440532013000");
    assert_true(iban_validate("Gb29nWbK60161331926819", out, sizeof out, NULL));
    assert_string_equal(out, "GB29NWBK60161331926819");
    assert_true(iban_validate("NO9386011117947", NULL, 0, NULL));
}

static void expect_reason(const char *iban, const char *expected)
{
    char out[IBAN_SIZE] = "untouched";
    const char *reason = NULL;
    if (iban_validate(iban, out, sizeof out, &reason))
        fail_msg("'%s' accepted", iban);
    assert_non_null(reason);
    assert_string_equal(reason, expected);
    assert_string_equal(out, "untouched");
    assert_false(iban_validate(iban, NULL, 0, NULL));
}

static void test_rejections(void **state)
{
    (void)state;
    expect_reason("", "empty");
    expect_reason("    ", "empty");
    expect_reason("IT60X054281110100000012345", "wrong length for IT: 27 expected");
    expect_reason("IT60X05428111010000001234567", "wrong length for IT: 27 expected");
    expect_reason("DE8937040044053201300", "wrong length for DE: 22 expected");
    expect_reason("NO938601111794", "wrong length for NO: 15 expected");
    expect_reason("IT", "wrong length for IT: 27 expected");
    expect_reason("XX60X0542811101000000123456", "unknown country code");
    expect_reason("ZZ60X0542811101000000123456", "unknown country code");
    expect_reason("1T60X0542811101000000123456", "must start with a two-letter country code");
    expect_reason("I", "must start with a two-letter country code");
    expect_reason("ITA0X0542811101000000123456",
                  "check digits must be two digits after the country code");
    expect_reason("IT60X0542811101000000123457", "check digits do not match");
    expect_reason("IT60X0542811101000000123465", "check digits do not match");
    expect_reason("IT61X0542811101000000123456", "check digits do not match");
    expect_reason("IT00X0542811101000000123456", "check digits out of range (02-98)");
    /* 01 and 99 are congruent to 98 and 2 mod 97, so they pass the arithmetic */
    expect_reason("IT01X0542811101000000000067", "check digits out of range (02-98)");
    expect_reason("IT99X0542811101000000000049", "check digits out of range (02-98)");
    const char *bad_char = "invalid character: only letters, digits and spaces are allowed";
    expect_reason("IT60-X054-2811-1010-0000-0123-456", bad_char);
    expect_reason("IT60\tX0542811101000000123456", bad_char);
    expect_reason("IT60X054281110100000012345\xc3\xa9", bad_char);
    expect_reason("IT60X0542811101000000123456.", bad_char);
    expect_reason("IT60X0542811101000000123456123456789", "too long");
    expect_reason("IT60 X054 2811 1010 0000 0123 456                                    ",
                  "too long");
}

/* mod 97-10 catches every single substitution of a digit by a digit or a letter
 * by a letter (a letter for a digit changes the expansion's length, which the
 * arithmetic does not always catch): try each on every valid IBAN. */
static void test_single_substitutions_detected(void **state)
{
    (void)state;
    const char *alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (size_t v = 0; v < sizeof valid_ibans / sizeof valid_ibans[0]; v++) {
        char s[IBAN_SIZE];
        size_t n = strlen(valid_ibans[v]);
        for (size_t i = 0; i < n; i++) {
            bool digit = valid_ibans[v][i] <= '9';
            for (const char *a = digit ? alphabet : alphabet + 10; *a; a++) {
                memcpy(s, valid_ibans[v], n + 1);
                if (s[i] == *a || (digit && *a > '9'))
                    continue;
                s[i] = *a;
                if (iban_validate(s, NULL, 0, NULL))
                    fail_msg("%s accepted (from %s)", s, valid_ibans[v]);
            }
        }
    }
}

/* The length table, cross-checked against the SWIFT registry: a zero account
 * number with computed check digits must pass for every country listed. */
static void test_every_registered_country(void **state)
{
    (void)state;
    static const struct { const char *cc; size_t len; } registry[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
        {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22},
        {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20},
        {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22},
        {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21},
        {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
        {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20},
        {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
        {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23},
        {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22},
        {"RU", 33}, {"SA", 24}, {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24},
        {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
        {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
    };
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        char s[IBAN_SIZE];
        memset(s, '0', registry[i].len);
        s[registry[i].len] = '\0';
        memcpy(s, registry[i].cc, 2);
        /* with "00" in place, 98 minus the remainder makes the whole 1 mod 97 */
        unsigned check = 98 - reference_mod97(s);
        s[2] = (char)('0' + check / 10);
        s[3] = (char)('0' + check % 10);
        assert_int_equal(reference_mod97(s), 1);
        const char *reason = NULL;
        if (!iban_validate(s, NULL, 0, &reason))
            fail_msg("%s rejected: %s", s, reason);
        s[registry[i].len - 1] = '\0';
        assert_false(iban_validate(s, NULL, 0, &reason));
        assert_memory_equal(reason, "wrong length for ", 17);
    }
}

static void test_format_groups_of_four(void **state)
{
    (void)state;
    char out[IBAN_FORMATTED_SIZE];
    assert_true(iban_format("IT60X0542811101000000123456", out, sizeof out));
    assert_string_equal(out, "IT60 X054 2811 1010 0000 0123 456");
    assert_true(iban_format("BE68539007547034", out, sizeof out));
    assert_string_equal(out, "BE68 5390 0754 7034");
    assert_true(iban_format("NO9386011117947", out, sizeof out));
    assert_string_equal(out, "NO93 8601 1117 947");
    assert_true(iban_format("1234567890123456789012345678901234", out, sizeof out));
    assert_string_equal(out, "1234 5678 9012 3456 7890 1234 5678 9012 34");
    assert_int_equal(strlen(out) + 1, IBAN_FORMATTED_SIZE);

    char small[20]; /* 16 characters, 3 spaces, NUL */
    assert_true(iban_format("BE68539007547034", small, sizeof small));
    assert_false(iban_format("BE68539007547034", small, 19));
    assert_string_equal(small, "");
    assert_false(iban_format("it60x0542811101000000123456", out, sizeof out));
    assert_false(iban_format("IT60 X054", out, sizeof out));
    assert_false(iban_format("", out, sizeof out));
    assert_false(iban_format("12345678901234567890123456789012345", out, sizeof out));
    assert_string_equal(out, "");
}

static void test_format_then_validate_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_ibans / sizeof valid_ibans[0]; i++) {
        char shown[IBAN_FORMATTED_SIZE], back[IBAN_SIZE];
        assert_true(iban_format(valid_ibans[i], shown, sizeof shown));
        assert_true(iban_validate(shown, back, sizeof back, NULL));
        assert_string_equal(back, valid_ibans[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_ibans),
        cmocka_unit_test(test_spaces_and_lower_case_normalized),
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_single_substitutions_detected),
        cmocka_unit_test(test_every_registered_country),
        cmocka_unit_test(test_format_groups_of_four),
        cmocka_unit_test(test_format_then_validate_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
