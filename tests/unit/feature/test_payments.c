/* test_payments.c - the pure parts of top-ups: the webhook signature (the
 * example of docs/GATEWAY-SANDBOX.md, tampering, the time tolerance), the
 * methods per currency and country, the amount limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/currency.h"
#include "feature/payments/payments.h"

#define EXAMPLE_BODY                                                                                               \
    "{\"id\":\"evt_0123456789abcdef01234567\",\"object\":\"event\",\"type\":\"refund.succeeded\",\"created\":" \
    "1795300000,\"data\":{\"id\":\"re_0123456789abcdef01234567\"}}"
#define EXAMPLE_SIG "t=1795300000,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031"
#define EXAMPLE_SECRET "whsec_example_secret"

static bool ok(const char *header, const char *body, const char *secret, int64_t now)
{
    return payment_signature_ok(header, body, strlen(body), secret, now);
}

static void test_signature(void **state)
{
    (void)state;
    const int64_t t = 1795300000;
    assert_true(ok(EXAMPLE_SIG, EXAMPLE_BODY, EXAMPLE_SECRET, t));
    assert_true(ok(EXAMPLE_SIG, EXAMPLE_BODY, EXAMPLE_SECRET, t + WEBHOOK_TOLERANCE_S));
    assert_true(ok(EXAMPLE_SIG, EXAMPLE_BODY, EXAMPLE_SECRET, t - WEBHOOK_TOLERANCE_S));
    assert_false(ok(EXAMPLE_SIG, EXAMPLE_BODY, EXAMPLE_SECRET, t + WEBHOOK_TOLERANCE_S + 1)); /* a replay, later */
    assert_false(ok(EXAMPLE_SIG, EXAMPLE_BODY, EXAMPLE_SECRET, t - WEBHOOK_TOLERANCE_S - 1));
    assert_false(ok(EXAMPLE_SIG, EXAMPLE_BODY, "whsec_other_secret", t));
    assert_false(ok(EXAMPLE_SIG, EXAMPLE_BODY " ", EXAMPLE_SECRET, t));
    assert_false(ok("t=1795300001,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031", EXAMPLE_BODY,
                    EXAMPLE_SECRET, t));
    assert_false(ok("t=1795300000,v1=0221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031", EXAMPLE_BODY,
                    EXAMPLE_SECRET, t));
    const char *malformed[] = {"", "t=+1795300000,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031", "t=,v1=", "v1=1221006c", "t=1795300000", "t=1795300000,v1=12",
                               "t=1795300000,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031x",
                               "t=1795300000,v1=zz21006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031",
                               "t=99999999999999999999,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        assert_false(ok(malformed[i], EXAMPLE_BODY, EXAMPLE_SECRET, t));
    assert_false(payment_signature_ok(NULL, "", 0, EXAMPLE_SECRET, t));
}

static bool enabled(const char *method, const char *cur, const char *country)
{
    return payment_method_enabled(payment_method_find(method), cur, country);
}

static void test_methods(void **state)
{
    (void)state;
    assert_true(enabled("card", "EUR", "IT"));
    assert_true(enabled("card", "CHF", "CH"));
    assert_true(enabled("crypto", "USD", "US"));
    assert_false(enabled("crypto", "GBP", "GB"));
    assert_true(enabled("paypal", "GBP", "GB"));
    assert_false(enabled("paypal", "CHF", "CH"));
    assert_false(enabled("paypal", "EUR", "IR"));
    assert_true(enabled("bank_transfer", "EUR", "DE"));
    assert_false(enabled("bank_transfer", "USD", "US"));
    assert_false(enabled("card", "EU", "IT"));      /* not a prefix match */
    assert_false(enabled("card", "JPY", "JP"));
    assert_null(payment_method_find("cheque"));
    assert_string_equal(payment_method_find("crypto")->settlement, "after network confirmation");
    assert_string_equal(payment_method_find("bank_transfer")->settlement, "1-3 business days");
    assert_false(payment_method_find("bank_transfer")->gateway);
}

static void test_amounts(void **state)
{
    (void)state;
    const currency *eur = currency_find("EUR");
    assert_null(payment_amount_problem(money_make(500, eur)));
    assert_null(payment_amount_problem(money_make(1000000, eur)));
    assert_non_null(payment_amount_problem(money_make(499, eur)));
    assert_non_null(payment_amount_problem(money_make(1000001, eur)));
    assert_non_null(payment_amount_problem(money_make(-500, eur)));
    assert_non_null(payment_amount_problem(money_make(5000, currency_find("JPY"))));
    assert_null(payment_amount_problem(money_make(5000, currency_find("CHF"))));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signature),
        cmocka_unit_test(test_methods),
        cmocka_unit_test(test_amounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
