/* test_address_check.c - the rules of a billing address shared by the API and
 * the pages: trimming, upper-casing, limits, ISO countries, Italian CAP and
 * province, and which field an error names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "feature/addresses/addresses.h"

static const address_in milan = {"Rossi S.r.l.", "Via Dante 12", "", "20121", "Milano", "MI", "IT"};

static address_field_error check(address_in in, const char **field, address_fields *out)
{
    return address_check(&in, out, field);
}

static void test_valid_and_normalized(void **state)
{
    (void)state;
    address_fields f;
    const char *field;
    address_in in = milan;
    in.recipient = "  Rossi  ";
    in.province = "mi";
    in.country = " it ";
    assert_int_equal(check(in, &field, &f), ADDRESS_FIELD_OK);
    assert_string_equal(f.recipient, "Rossi");
    assert_string_equal(f.province, "MI");
    assert_string_equal(f.country, "IT");
    address_in de = {"Anna", "Linden 5", NULL, NULL, "Berlin", "berlin", "de"};
    assert_int_equal(check(de, &field, &f), ADDRESS_FIELD_OK);
    assert_string_equal(f.province, "berlin"); /* only Italian provinces are codes */
    assert_string_equal(f.postal_code, "");
}

static void test_errors_name_the_field(void **state)
{
    (void)state;
    address_fields f;
    const char *field;
    char long_text[300];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    const struct {
        address_in in;
        address_field_error e;
        const char *field;
    } cases[] = {
        {{NULL, "s", "", "20121", "c", "MI", "IT"}, ADDRESS_FIELD_REQUIRED, "recipient"},
        {{"r", " ", "", "20121", "c", "MI", "IT"}, ADDRESS_FIELD_REQUIRED, "street"},
        {{"r", "s", long_text, "20121", "c", "MI", "IT"}, ADDRESS_FIELD_TOO_LONG, "extra"},
        {{"r", "s", "a\x01", "20121", "c", "MI", "IT"}, ADDRESS_FIELD_CHARS, "extra"},
        {{"r", "s", "", "20121", "", "MI", "IT"}, ADDRESS_FIELD_REQUIRED, "city"},
        {{"r", "s", "", "20121", "c", "MI", "XX"}, ADDRESS_FIELD_COUNTRY, "country"},
        {{"r", "s", "", "20121", "c", "MI", "ITALY"}, ADDRESS_FIELD_COUNTRY, "country"},
        {{"r", "s", "", "20121", "c", "MI", ""}, ADDRESS_FIELD_REQUIRED, "country"},
        {{"r", "s", "", "", "c", "MI", "IT"}, ADDRESS_FIELD_REQUIRED, "postal_code"},
        {{"r", "s", "", "2012", "c", "MI", "IT"}, ADDRESS_FIELD_CAP, "postal_code"},
        {{"r", "s", "", "20121", "c", "", "IT"}, ADDRESS_FIELD_REQUIRED, "province"},
        {{"r", "s", "", "20121", "c", "Milano", "IT"}, ADDRESS_FIELD_PROVINCE, "province"},
        {{"r", "s", "", "123456789012345678901", "c", "", "DE"}, ADDRESS_FIELD_TOO_LONG, "postal_code"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(check(cases[i].in, &field, &f), cases[i].e);
        assert_string_equal(field, cases[i].field);
        assert_non_null(address_field_message(cases[i].e));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_and_normalized),
        cmocka_unit_test(test_errors_name_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
