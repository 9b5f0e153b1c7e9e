/* test_country.c - the ISO 3166 table and EU membership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/country.h"

static void test_codes(void **state)
{
    (void)state;
    assert_int_equal(country_count(), 249);
    assert_true(country_valid("IT"));
    assert_true(country_valid("AD"));
    assert_true(country_valid("ZW"));
    assert_false(country_valid("it"));
    assert_false(country_valid("XX"));
    assert_false(country_valid("EL"));
    assert_false(country_valid("ITA"));
    assert_false(country_valid(""));
    assert_false(country_valid(NULL));
}

static void test_eu(void **state)
{
    (void)state;
    int n = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++)
            n += country_in_eu((char[]){a, b, 0});
    assert_int_equal(n, 27);
    assert_true(country_in_eu("IT"));
    assert_true(country_in_eu("GR"));
    assert_true(country_in_eu("HR"));
    assert_false(country_in_eu("GB"));
    assert_false(country_in_eu("CH"));
    assert_false(country_in_eu("NO"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_codes), cmocka_unit_test(test_eu)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
