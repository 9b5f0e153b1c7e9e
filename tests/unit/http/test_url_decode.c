/* test_url_decode.c - percent-decoding of paths and query strings: what is
 * decoded, what stays as sent (%00, a '%' without two hex digits, '+'). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/url_decode.h"

/* Decodes in (copied) and checks the result and its length. */
static void expect(const char *in, const char *out)
{
    char s[256];
    snprintf(s, sizeof s, "%s", in);
    size_t n = url_unescape(s);
    assert_string_equal(s, out);
    assert_int_equal(n, strlen(out));
}

static void test_decodes(void **state)
{
    (void)state;
    expect("", "");
    expect("/api/v1/orgs/1/wallets", "/api/v1/orgs/1/wallets");
    expect("%41%62c", "Abc");
    expect("caf%C3%A9", "caf\xC3\xA9");
    expect("a%2fb%2Fc", "a/b/c");
    expect("%25", "%");
    expect("%2541", "%41"); /* decoded once, not twice */
    expect("%%41", "%A");
    expect("%0a%7F", "\n\x7F");
}

static void test_keeps(void **state)
{
    (void)state;
    expect("/static/saldo.css%00.db", "/static/saldo.css%00.db"); /* never a NUL */
    expect("%", "%");
    expect("%4", "%4");
    expect("a%", "a%");
    expect("%zz%4g%g4", "%zz%4g%g4");
    expect("a+b", "a+b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decodes),
        cmocka_unit_test(test_keeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
