/* test_gateway_card.c - the sandbox gateway's card form checks (Luhn, brand,
 * expiry boundaries, CVC, what each test card does) and the webhook signature
 * against the example in docs/GATEWAY-SANDBOX.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "gateway/gw_card.h"
#include "gateway/gw_webhook.h"

static struct gw_card parse_ok(const char *number, const char *expiry)
{
    struct gw_card c;
    gw_card_error e = gw_card_parse(number, expiry, "123", 2026, 11, &c);
    assert_null(e.field);
    return c;
}

static const char *parse_field(const char *number, const char *expiry, const char *cvc)
{
    struct gw_card c;
    return gw_card_parse(number, expiry, cvc, 2026, 11, &c).field;
}

static void test_luhn(void **state)
{
    (void)state;
    assert_true(gw_luhn_ok("4242424242424242"));
    assert_true(gw_luhn_ok("5555555555554444"));
    assert_true(gw_luhn_ok("378282246310005"));
    assert_false(gw_luhn_ok("4242424242424241"));
    assert_false(gw_luhn_ok(""));
}

static void test_test_cards(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("4242 4242 4242 4242", "12/30").behavior, GW_CARD_SUCCEEDS);
    assert_int_equal(parse_ok("4000 0000 0000 3220", "12/30").behavior, GW_CARD_NEEDS_3DS);
    assert_int_equal(parse_ok("4000-0000-0000-0002", "12/30").behavior, GW_CARD_DECLINED);
    assert_int_equal(parse_ok("4000000000009995", "12/30").behavior, GW_CARD_INSUFFICIENT_FUNDS);
    assert_int_equal(parse_ok("4000000000000069", "12/30").behavior, GW_CARD_EXPIRED);
    struct gw_card c = parse_ok("5555 5555 5555 4444", "08/2031");
    assert_string_equal(c.brand, "mastercard");
    assert_string_equal(c.last4, "4444");
    assert_int_equal(c.exp_month, 8);
    assert_int_equal(c.exp_year, 2031);
    assert_string_equal(parse_ok("378282246310005", "12/30").brand, "amex");
    assert_int_equal(gw_card_behavior_from(gw_card_behavior_name(GW_CARD_NEEDS_3DS)), GW_CARD_NEEDS_3DS);
}

static void test_refused(void **state)
{
    (void)state;
    assert_string_equal(parse_field("", "12/30", "123"), "number");
    assert_string_equal(parse_field("4242 4242 4242 4241", "12/30", "123"), "number");
    assert_string_equal(parse_field("4242x4242424242424", "12/30", "123"), "number");
    assert_string_equal(parse_field("42424242", "12/30", "123"), "number");
    assert_string_equal(parse_field("4242424242424242", "10/26", "123"), "expiry"); /* last month */
    assert_null(parse_field("4242424242424242", "11/26", "123"));                   /* this month */
    assert_string_equal(parse_field("4242424242424242", "00/30", "123"), "expiry");
    assert_string_equal(parse_field("4242424242424242", "12/30x", "123"), "expiry");
    assert_string_equal(parse_field("4242424242424242", "12/2047", "123"), "expiry");
    assert_string_equal(parse_field("4242424242424242", NULL, "123"), "expiry");
    assert_string_equal(parse_field("4242424242424242", "12/30", "12"), "cvc");
    assert_string_equal(parse_field("4242424242424242", "12/30", "12a"), "cvc");
    assert_string_equal(parse_field("4242424242424242", "12/30", NULL), "cvc");
    assert_null(parse_field("4242424242424242", "12/30", "1234"));
}

static void test_signature_example(void **state)
{
    (void)state;
    const char *body = "{\"id\":\"evt_0123456789abcdef01234567\",\"object\":\"event\",\"type\":\"refund.succeeded\","
                       "\"created\":1795300000,\"data\":{\"id\":\"re_0123456789abcdef01234567\"}}";
    char sig[128];
    gw_signature("whsec_example_secret", 1795300000, body, sig, sizeof sig);
    assert_string_equal(sig, "t=1795300000,v1=1221006c7afe2291a44a370b4dd2bb738ab6abfeeb800053ff520338de6ba031");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_luhn),
        cmocka_unit_test(test_test_cards),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_signature_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
