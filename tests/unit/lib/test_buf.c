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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf),
        cmocka_unit_test(test_limit_sets_overflow),
        cmocka_unit_test(test_html_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
