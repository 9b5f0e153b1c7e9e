/* test_totp.c - TOTP against the RFC 6238 test vectors (SHA-1), the check
 * window and step reporting, secret sealing, and the otpauth URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "feature/auth/totp.h"

static int setup(void **state)
{
    (void)state;
    return sodium_init() >= 0 && totp_init() ? 0 : -1;
}

/* RFC 6238 appendix B, SHA-1 column: key "12345678901234567890", 8 digits. */
static void test_rfc6238_vectors(void **state)
{
    (void)state;
    static const struct { int64_t t; const char *code; } v[] = {
        {59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    const unsigned char *key = (const unsigned char *)"12345678901234567890";
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[9];
        assert_true(totp_code_raw(key, 20, v[i].t, 8, out));
        assert_string_equal(out, v[i].code);
    }
}

/* The same key in base32 through the 6-digit path: the last 6 digits. */
static void test_six_digit_codes_and_window(void **state)
{
    (void)state;
    const char *secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; /* base32 of "12345678901234567890" */
    char code[7];
    uint64_t step = 0;
    assert_true(totp_code(secret, 59, code));
    assert_string_equal(code, "287082");
    assert_true(totp_check(secret, 59, "287082", &step));
    assert_int_equal(step, 1);
    assert_true(totp_check(secret, 59 + 30, "287 082", &step)); /* one step late, spaces allowed */
    assert_int_equal(step, 1);
    assert_false(totp_check(secret, 59 + 90, "287082", &step)); /* outside the window */
    assert_false(totp_check(secret, 59, "287083", &step));
    assert_false(totp_check(secret, 59, "28708", &step));
    assert_false(totp_check(secret, 59, "2870822", &step));
    assert_false(totp_check(secret, 59, "28708a", &step));
    assert_false(totp_check("NOT-BASE32", 59, "287082", &step));
    assert_false(totp_check(secret, 59, NULL, &step));
}

static void test_new_secrets_are_random_and_usable(void **state)
{
    (void)state;
    char a[TOTP_SECRET_B32 + 1], b[TOTP_SECRET_B32 + 1], code[7];
    totp_secret_new(a);
    totp_secret_new(b);
    assert_int_equal(strlen(a), TOTP_SECRET_B32);
    assert_string_not_equal(a, b);
    uint64_t step;
    assert_true(totp_code(a, 1700000000, code));
    assert_true(totp_check(a, 1700000000, code, &step));
    assert_int_equal(step, 1700000000 / 30);
}

static void test_seal_and_open(void **state)
{
    (void)state;
    char secret[TOTP_SECRET_B32 + 1], sealed[TOTP_SEALED_HEX_MAX], again[TOTP_SEALED_HEX_MAX], out[TOTP_SECRET_B32 + 1];
    totp_secret_new(secret);
    assert_true(totp_seal("server key one", secret, sealed, sizeof sealed));
    assert_true(totp_seal("server key one", secret, again, sizeof again));
    assert_string_not_equal(sealed, again); /* a fresh nonce each time */
    assert_null(strstr(sealed, secret));
    assert_true(totp_open("server key one", sealed, out));
    assert_string_equal(out, secret);
    assert_false(totp_open("server key two", sealed, out));
    sealed[60] = sealed[60] == '0' ? '1' : '0';
    assert_false(totp_open("server key one", sealed, out));
    assert_false(totp_open("server key one", "abcd", out));
    assert_false(totp_seal("", secret, sealed, sizeof sealed));
}

static void test_uri(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    totp_uri("Saldo Hosting S.r.l.", "mario+x@example.com", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", &b);
    assert_string_equal(buf_cstr(&b),
                        "otpauth://totp/Saldo%20Hosting%20S.r.l.:mario%2Bx@example.com"
                        "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Saldo%20Hosting%20S.r.l."
                        "&algorithm=SHA1&digits=6&period=30");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors),
        cmocka_unit_test(test_six_digit_codes_and_window),
        cmocka_unit_test(test_new_secrets_are_random_and_usable),
        cmocka_unit_test(test_seal_and_open),
        cmocka_unit_test(test_uri),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
