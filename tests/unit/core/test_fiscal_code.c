/* test_fiscal_code.c - Italian codici fiscali of persons and companies (check
 * characters computed independently with the ministerial tables, omocodia
 * included), every way one can be wrong, and SDI recipient codes (EU VAT IDs:
 * test_vat_id.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/fiscal_code.h"

static void test_person_codes(void **state)
{
    (void)state;
    static const char *const good[] = {
        "RSSMRA85T10A562S", /* man born 10 Dec 1985 */
        "VRDGPP13R10B293P",
        "BNCLRA90A41H501F", /* woman: day 01 + 40 */
        "RSSMRA85T10A56NH", /* omocodia on the last digit */
        "RSSMRAURTMLARSNL", /* omocodia on every digit */
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(fiscal_code_person_ok(good[i]));
        assert_int_equal(fiscal_code_person_check(good[i]), good[i][15]);
    }
    static const char *const bad[] = {
        "RSSMRA85T10A562T",  /* wrong check letter */
        "RSSMRA85T10A562",   /* 15 characters */
        "RSSMRA85T10A562SX", /* 17 */
        "RSSMRA85Z10A562S",  /* Z is no month */
        "RSSMRA85T32A562S",  /* day 32 */
        "RSSMRA85T00A562S",  /* day 0 */
        "RSSMRA85T72A562S",  /* day 72 (women: 41-71) */
        "RSS1RA85T10A562S",  /* digit among the name letters */
        "RSSMRA85T10A5A2S",  /* A is no omocodia letter */
        "rssmra85t10a562s",  /* not normalized */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(fiscal_code_person_ok(bad[i]));
    assert_false(fiscal_code_person_ok(NULL));
}

static void test_company_codes(void **state)
{
    (void)state;
    static const char *const good[] = {"12345678903", "00784960809", "80001990219", "02114930205", "97000012340"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(fiscal_code_company_ok(good[i]));
    assert_false(fiscal_code_company_ok("12345678901"));  /* check digit */
    assert_false(fiscal_code_company_ok("1234567890"));   /* 10 digits */
    assert_false(fiscal_code_company_ok("123456789030")); /* 12 */
    assert_false(fiscal_code_company_ok("1234567890A"));
    assert_false(fiscal_code_company_ok("RSSMRA85T10A562S"));
    assert_false(fiscal_code_person_ok("12345678903"));
    /* Every single-digit change is caught. */
    char c[12];
    for (int pos = 0; pos < 11; pos++)
        for (char d = '0'; d <= '9'; d++) {
            memcpy(c, "12345678903", 12);
            if (c[pos] == d)
                continue;
            c[pos] = d;
            assert_false(fiscal_code_company_ok(c));
        }
}

static void test_normalize(void **state)
{
    (void)state;
    char out[FISCAL_INPUT_LEN_MAX + 1];
    assert_true(fiscal_normalize(" rssmra 85t10 a562s ", out, sizeof out));
    assert_string_equal(out, "RSSMRA85T10A562S");
    assert_false(fiscal_normalize("RSS-MRA", out, sizeof out));
    assert_false(fiscal_normalize("RSSMRÀ", out, sizeof out));
    assert_false(fiscal_normalize("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", out, sizeof out)); /* 41 */
    assert_true(fiscal_normalize("", out, sizeof out));
    assert_string_equal(out, "");
}

static void test_sdi_codes(void **state)
{
    (void)state;
    assert_true(sdi_code_ok("M5UXCR1", false));
    assert_true(sdi_code_ok("0000000", false));
    assert_true(sdi_code_ok("UFXXYZ", true));
    assert_false(sdi_code_ok("UFXXYZ", false));  /* 6 for a business */
    assert_false(sdi_code_ok("M5UXCR1", true));  /* 7 for a public body */
    assert_false(sdi_code_ok("M5UXC-1", false));
    assert_false(sdi_code_ok("m5uxcr1", false)); /* not normalized */
    assert_false(sdi_code_ok(NULL, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_codes), cmocka_unit_test(test_company_codes),
        cmocka_unit_test(test_normalize),    cmocka_unit_test(test_sdi_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
