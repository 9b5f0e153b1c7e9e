/* test_buf.c - growth, limits, HTML escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "lib/buf.h"

static void test_append_and_printf(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    assert_string_equal(buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_true(buf_printf(&b, "%d,", i));
    assert_int_equal(b.len, 3890);
    assert_memory_equal(b.data, "0,1,2,", 6);
    buf_free(&b);
}

static void test_limit_sets_overflow(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_true(buf_puts(&b, "12345678"));
    assert_false(buf_putc(&b, '9'));
    assert_true(b.overflow);
    assert_false(buf_puts(&b, ""));
    assert_string_equal(buf_cstr(&b), "12345678");
    buf_free(&b);
}

static void test_html_escape(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    const char *s = "<a href=\"x\">Tom & 'Jerry'</a>";
    assert_true(buf_put_html(&b, s, __builtin_strlen(s)));
    assert_string_equal(buf_cstr(&b),
                        "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
    buf_free(&b);
}

static void test_copy_utf8(void **state)
{
    (void)state;
    char out[6];
    buf_copy_utf8(out, sizeof out, "ciao");
    assert_string_equal(out, "ciao");
    buf_copy_utf8(out, sizeof out, "abcdefgh");
    assert_string_equal(out, "abcde");
    buf_copy_utf8(out, sizeof out, "abcd\xc3\xa8"); /* "abcdè": the è would be split: left out */
    assert_string_equal(out, "abcd");
    buf_copy_utf8(out, sizeof out, "ab\xe2\x82\xac!"); /* "ab€!" fits: 6 bytes with the NUL */
    assert_string_equal(out, "ab\xe2\x82\xac");
    buf_copy_utf8(out, sizeof out, "abc\xe2\x82\xac"); /* "abc€": the euro would be split */
    assert_string_equal(out, "abc");
    buf_copy_utf8(out, 1, "x");
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf),
        cmocka_unit_test(test_limit_sets_overflow),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_copy_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
