/* test_qr.c - QR codes as SVG: size from the QR version plus the quiet zone,
 * the finder pattern where it belongs, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "render/qr.h"

static void test_small_text_is_version_one(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(qr_svg("hello", "code <for> you", &b));
    const char *s = buf_cstr(&b);
    assert_non_null(strstr(s, "viewBox=\"0 0 29 29\"")); /* 21 modules + 2 x 4 quiet */
    assert_non_null(strstr(s, "<title>code &lt;for&gt; you</title>"));
    assert_non_null(strstr(s, "d=\"M4 4h7v1h-7z")); /* top row of the top-left finder */
    assert_non_null(strstr(s, "M18 4h7v1h-7z"));     /* and of the top-right one */
    buf_free(&b);
}

static void test_otpauth_uri_fits(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_true(qr_svg("otpauth://totp/Saldo%20Hosting:mario@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                       "&issuer=Saldo%20Hosting&algorithm=SHA1&digits=6&period=30", "2FA", &b));
    assert_true(b.len > 1000);
    buf_free(&b);
}

static void test_limits(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_false(qr_svg("", "t", &b));
    assert_false(qr_svg(NULL, "t", &b));
    char big[QR_TEXT_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_false(qr_svg(big, "t", &b));
    buf small;
    buf_init(&small, 64);
    assert_false(qr_svg("hello", "t", &small)); /* the output limit is reported */
    buf_free(&small);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_text_is_version_one),
        cmocka_unit_test(test_otpauth_uri_fits),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
