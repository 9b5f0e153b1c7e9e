/* test_currency.c - the generated ISO 4217 table and its lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "core/currency.h"

static void test_known_currencies(void **state)
{
    (void)state;
    const currency *eur = currency_find("EUR");
    assert_non_null(eur);
    assert_string_equal(eur->code, "EUR");
    assert_int_equal(eur->numeric, 978);
    assert_int_equal(eur->exponent, 2);
    assert_string_equal(eur->name, "Euro");
    assert_ptr_equal(currency_find("EUR"), eur); /* identity by address */
    assert_int_equal(currency_find("JPY")->exponent, 0);
    assert_int_equal(currency_find("BHD")->exponent, 3);
    assert_int_equal(currency_find("CLF")->exponent, 4);
    assert_int_equal(currency_find("USD")->numeric, 840);
    assert_int_equal(currency_find("ALL")->numeric, 8);
    assert_string_equal(currency_find("KMF")->name, "Comorian Franc"); /* trimmed */
    assert_string_equal(currency_find("TOP")->name, "Pa\xE2\x80\x99" "anga"); /* UTF-8 */
}

static void test_rejects_bad_codes(void **state)
{
    (void)state;
    const char *bad[] = {"", "E", "EU", "eur", "Eur", "EURO", "EUR ", " EU", "E1R",
                         "QQQ", "XAU", "XDR", "XXX", "XTS"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (currency_find(bad[i]))
            fail_msg("'%s' should not be found", bad[i]);
    assert_null(currency_find(NULL));
}

static void test_table_is_sorted_and_complete(void **state)
{
    (void)state;
    /* 179 codes in the 2024-06-25 list, 13 of them with "N.A." minor units. */
    assert_int_equal(currency_count(), 166);
    for (size_t i = 0; i < currency_count(); i++) {
        const currency *c = currency_at(i);
        assert_int_equal(strlen(c->code), 3);
        assert_true(c->exponent >= 0 && c->exponent <= CURRENCY_EXPONENT_MAX);
        assert_true(c->numeric > 0 && c->numeric < 1000);
        assert_true(c->name[0] != '\0');
        assert_ptr_equal(currency_find(c->code), c);
        if (i > 0)
            assert_true(strcmp(currency_at(i - 1)->code, c->code) < 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_currencies),
        cmocka_unit_test(test_rejects_bad_codes),
        cmocka_unit_test(test_table_is_sorted_and_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
