/* test_bank_ref.c - payment references (ISO 11649 check digits, finding them
 * in remittance text however they were typed) and the EPC QR payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "feature/bank/bank_ref.h"
#include "feature/bank/epc_qr.h"

/* Check digits computed independently (Python int(c, 36), 98 - n % 97). */
static void test_make(void **state)
{
    (void)state;
    char ref[BANK_REF_SIZE], text[BANK_REF_FORMATTED_SIZE];
    bank_ref_make(1, ref);
    assert_string_equal(ref, "RF32SALDO00000001");
    bank_ref_make(42, ref);
    assert_string_equal(ref, "RF89SALDO00000042");
    bank_ref_make(BANK_REF_ID_MAX, ref);
    assert_string_equal(ref, "RF33SALDO99999999");
    bank_ref_format("RF89SALDO00000042", text);
    assert_string_equal(text, "RF89 SALD O000 0004 2");
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(bank_ref_valid("RF18539007547034")); /* the example of ISO 11649 */
    assert_true(bank_ref_valid("RF89SALDO00000042"));
    assert_false(bank_ref_valid("RF88SALDO00000042")); /* check digits */
    assert_false(bank_ref_valid("RF89SALDO00000043"));
    assert_false(bank_ref_valid("rf89SALDO00000042")); /* normalized input only */
    assert_false(bank_ref_valid("RF89SALDO 0000042"));
    assert_false(bank_ref_valid("RF89"));
    /* 00, 01 and 99 pass mod 97 as aliases of 97, 98 and 02, but ISO 11649 never gives them */
    assert_true(bank_ref_valid("RF97SALDO00000092"));
    assert_false(bank_ref_valid("RF00SALDO00000092"));
    assert_true(bank_ref_valid("RF98SALDO00000074"));
    assert_false(bank_ref_valid("RF01SALDO00000074"));
    assert_true(bank_ref_valid("RF02SALDO00000056"));
    assert_false(bank_ref_valid("RF99SALDO00000056"));
    assert_false(bank_ref_valid("RF18SALDO0000000000000000042")); /* body over 21 */
    assert_false(bank_ref_valid(""));
}

static void test_find(void **state)
{
    (void)state;
    assert_int_equal(bank_ref_find("RF89SALDO00000042"), 42);
    assert_int_equal(bank_ref_find("rf89 sald o000 0004 2"), 42);
    assert_int_equal(bank_ref_find("Invoice 7, ref. RF89-SALDO-00000042 thanks 2026"), 42);
    assert_int_equal(bank_ref_find("RF32SALDO000000011234"), 1); /* digits after it change nothing */
    assert_int_equal(bank_ref_find("RF88SALDO00000042"), 0);     /* a typo is no match */
    assert_int_equal(bank_ref_find("RF97SALDO00000092"), 92);
    assert_int_equal(bank_ref_find("RF00SALDO00000092"), 0); /* check digits out of range */
    assert_int_equal(bank_ref_find("RF99SALDO00000056"), 0);
    assert_int_equal(bank_ref_find("RF89SALDO0000042"), 0);      /* too short */
    assert_int_equal(bank_ref_find("SALDO00000042"), 0);
    assert_int_equal(bank_ref_find(""), 0);
    assert_int_equal(bank_ref_find("x RF18539007547034 RF89SALDO00000042"), 42); /* another RF first */
}

static void test_epc(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    epc_payment p = {"BPPIITRRXXX", "Saldo Hosting S.r.l.", "IT60X0542811101000000123456", 1234, "RF89SALDO00000042"};
    assert_true(epc_payload(&p, &b));
    assert_string_equal(buf_cstr(&b), "BCD\n002\n1\nSCT\nBPPIITRRXXX\nSaldo Hosting S.r.l.\n"
                                      "IT60X0542811101000000123456\nEUR12.34\n\nRF89SALDO00000042");
    buf_reset(&b);
    p.amount_cents = 0;
    p.bic = "";
    assert_true(epc_payload(&p, &b));
    assert_string_equal(buf_cstr(&b), "BCD\n002\n1\nSCT\n\nSaldo Hosting S.r.l.\n"
                                      "IT60X0542811101000000123456\n\n\nRF89SALDO00000042");
    buf_reset(&b);
    p.amount_cents = 5;
    assert_true(epc_payload(&p, &b));
    assert_non_null(strstr(buf_cstr(&b), "\nEUR0.05\n"));
    epc_payment bad[] = {
        {"BPPIIT", "N", "IT60X0542811101000000123456", 0, "RF89SALDO00000042"},
        {"", "", "IT60X0542811101000000123456", 0, "RF89SALDO00000042"},
        {"", "Two\nlines", "IT60X0542811101000000123456", 0, "RF89SALDO00000042"},
        {"", "N", "IT61X0542811101000000123456", 0, "RF89SALDO00000042"},
        {"", "N", "IT60X0542811101000000123456", -1, "RF89SALDO00000042"},
        {"", "N", "IT60X0542811101000000123456", EPC_AMOUNT_MAX + 1, "RF89SALDO00000042"},
        {"", "N", "IT60X0542811101000000123456", 0, "RF88SALDO00000042"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buf_reset(&b);
        assert_false(epc_payload(&bad[i], &b));
        assert_int_equal(b.len, 0);
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_make),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_epc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
