/* test_vat_id.c - VAT ID validation for every member state and XI: a valid
 * number of each kind a country issues (real registered numbers and the
 * published examples of each algorithm), the same number with one character
 * changed (the check fails), a number of the wrong shape (the country's format
 * is the reason), and prefixes that are no member state's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/vat_id.h"

typedef struct pair {
    const char *valid;
    const char *one_off; /* the valid number with one character changed */
} pair;

static const pair pairs[] = {
    {"ATU13585627", "ATU13585626"},       {"BE0428759497", "BE0428759496"},
    {"BE1000000021", "BE1000000022"},     {"BG175074752", "BG175074751"},
    {"BG7523169263", "BG7523169264"},     {"CY10259033P", "CY10259033Z"},
    {"CZ25123891", "CZ25123890"},         {"CZ7103192745", "CZ7103192746"},
    {"CZ640903926", "CZ640903927"},       {"DE136695976", "DE136695978"},
    {"DK13585628", "DK13585627"},         {"EE100594102", "EE100594103"},
    {"EL094259216", "EL094259217"},       {"ESB64717838", "ESB64717839"},
    {"ESA13585625", "ESA13585626"},       {"ESP2818600E", "ESP2818600F"},
    {"ES54362315K", "ES54362316K"},       {"ESX5253868R", "ESX5253869R"},
    {"FI20774740", "FI20774741"},         {"FR40303265045", "FR40303265046"},
    {"FR23334175221", "FR24334175221"},   {"FRK7399859412", "FRK7399859413"},
    {"FR4Z123456782", "FR4Z123456783"},   {"HR33392005961", "HR33392005962"},
    {"HU12892312", "HU12892313"},         {"IE6433435F", "IE6433435E"},
    {"IE8D79739I", "IE8D79739J"},         {"IE1234567TW", "IE1234568TW"},
    {"IT00743110157", "IT00743110158"},   {"IT12345678903", "IT12345678904"},
    {"LT119511515", "LT119511516"},       {"LT100001919017", "LT100001919018"},
    {"LT100004801610", "LT100004801611"}, {"LU15027442", "LU15027443"},
    {"LV40003521600", "LV40003521601"},   {"LV16117519997", "LV16117519998"},
    {"MT11679112", "MT11679113"},         {"NL004495445B01", "NL004495446B01"},
    {"NL000099998B57", "NL000099998B58"}, {"PL8567346215", "PL8567346216"},
    {"PT501964843", "PT501964842"},       {"RO18547290", "RO18547291"},
    {"SE123456789701", "SE123456789801"}, {"SI50223054", "SI50223055"},
    {"SK2022749619", "SK2022749618"},     {"XI980780684", "XI980780685"},
    {"XI100190874", "XI100190875"},
};

static void test_valid_and_one_off(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        vat_id_status ok = vat_id_check(pairs[i].valid), bad = vat_id_check(pairs[i].one_off);
        if (ok != VAT_ID_OK || bad != VAT_ID_BAD_CHECK)
            fail_msg("%s: %s, %s: %s", pairs[i].valid, vat_id_status_name(ok), pairs[i].one_off,
                     vat_id_status_name(bad));
        assert_null(vat_id_reason(pairs[i].valid, ok));
        assert_string_equal(vat_id_reason(pairs[i].one_off, bad),
                            "The check digit of this VAT ID does not match: look for a typing error.");
    }
}

/* Numbers without a published check digit: accepted on their syntax. */
static void test_syntax_only(void **state)
{
    (void)state;
    static const char *const ok[] = {"CZ520101123", "LV32123456789", "XIGD001", "XIHA500", "XI980780684001"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(vat_id_check(ok[i]), VAT_ID_OK);
    static const char *const bad[] = {"CZ990101123", "XIGD500", "XIHA499", "LV16137519997"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vat_id_check(bad[i]), VAT_ID_BAD_FORMAT);
}

static void test_every_prefix_names_its_format(void **state)
{
    (void)state;
    static const char *const prefixes[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES",
                                           "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
                                           "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char id[32];
        snprintf(id, sizeof id, "%sX1", prefixes[i]);
        assert_int_equal(vat_id_check(id), VAT_ID_BAD_FORMAT);
        snprintf(id, sizeof id, "%s1234567890123", prefixes[i]);
        assert_int_equal(vat_id_check(id), VAT_ID_BAD_FORMAT);
        snprintf(id, sizeof id, "%s", prefixes[i]);
        assert_int_equal(vat_id_check(id), VAT_ID_BAD_FORMAT);
        const char *why = vat_id_reason(id, VAT_ID_BAD_FORMAT);
        assert_non_null(why);
        assert_non_null(strstr(why, " VAT ID is "));
        assert_non_null(strstr(why, prefixes[i]));
    }
    assert_string_equal(vat_id_reason("DE12345678", VAT_ID_BAD_FORMAT), "A German VAT ID is DE followed by 9 digits.");
}

static void test_formats(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "AT13585627",    /* no U */
        "BE2428759497",  /* starts with 2 */
        "DE036695976",   /* leading 0 */
        "ESO1234567L",   /* O is no entity letter */
        "ES5436231K5",   /* letter inside */
        "FRIO334175221", /* I and O are not key characters */
        "IT00000000000", /* no company part */
        "LT119511505",   /* 8th digit must be 1 */
        "NL004495445B00", "NL004495445C01", "SE123456789702", "CY12000000A", "IE6433435", "CZ95123891",
        "XI12345678A",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (vat_id_check(bad[i]) != VAT_ID_BAD_FORMAT)
            fail_msg("%s: %s", bad[i], vat_id_status_name(vat_id_check(bad[i])));
}

static void test_unknown_prefix(void **state)
{
    (void)state;
    static const char *const bad[] = {"GR094259216", "GB980780684", "US123456789", "CH123456789", "", "I", "12345678"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(vat_id_check(bad[i]), VAT_ID_UNKNOWN_PREFIX);
        assert_non_null(strstr(vat_id_reason(bad[i], VAT_ID_UNKNOWN_PREFIX), "EL for Greece"));
    }
    assert_int_equal(vat_id_check(NULL), VAT_ID_UNKNOWN_PREFIX);
    assert_string_equal(vat_id_status_name(VAT_ID_BAD_CHECK), "bad_check");
    assert_string_equal(vat_id_status_name(VAT_ID_STATUS_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_one_off),
        cmocka_unit_test(test_syntax_only),
        cmocka_unit_test(test_every_prefix_names_its_format),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_unknown_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
