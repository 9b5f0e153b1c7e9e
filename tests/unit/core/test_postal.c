/* test_postal.c - Italian CAP and province codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/postal.h"

static void test_cap(void **state)
{
    (void)state;
    assert_true(postal_it_cap_valid("00184"));
    assert_true(postal_it_cap_valid("20121"));
    assert_true(postal_it_cap_valid("98168"));
    assert_false(postal_it_cap_valid("2012"));
    assert_false(postal_it_cap_valid("201211"));
    assert_false(postal_it_cap_valid("2012a"));
    assert_false(postal_it_cap_valid(" 20121"));
    assert_false(postal_it_cap_valid("-2012"));
    assert_false(postal_it_cap_valid(""));
    assert_false(postal_it_cap_valid(NULL));
}

static void test_provinces(void **state)
{
    (void)state;
    assert_int_equal(postal_it_province_count(), 111);
    int n = 0;
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++)
            n += postal_it_province_valid((char[]){a, b, 0});
    assert_int_equal(n, 111);
    const char *some[] = {"AG", "AO", "BT", "FC", "FM", "KR", "MB", "MI", "PU", "RM", "SU", "VB", "VV"};
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
        assert_true(postal_it_province_valid(some[i]));
    assert_false(postal_it_province_valid("ZZ"));
    assert_true(postal_it_province_valid("CI"));  /* abolished in 2016, still written */
    assert_false(postal_it_province_valid("mi"));
    assert_false(postal_it_province_valid("MIL"));
    assert_false(postal_it_province_valid("M"));
    assert_false(postal_it_province_valid("IT"));
    assert_false(postal_it_province_valid("FO")); /* Forlì is FC */
    assert_false(postal_it_province_valid(""));
    assert_false(postal_it_province_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_provinces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
