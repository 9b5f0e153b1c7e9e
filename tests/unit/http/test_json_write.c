/* test_json_write.c - the streaming JSON writer: commas and nesting, string
 * escaping, the full int64 range, and the money object written exactly as
 * json_out writes jout_money's tree (the API's two ways to answer agree). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/currency.h"
#include "http/json_in.h"
#include "http/json_out.h"
#include "http/json_write.h"

static void test_nesting(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    jw w;
    jw_init(&w, &b);
    jw_object(&w);
    jw_key(&w, "a");
    jw_array(&w);
    jw_array_end(&w);
    jw_key(&w, "b");
    jw_array(&w);
    jw_int(&w, 1);
    jw_object(&w);
    jw_object_end(&w);
    jw_array(&w);
    jw_null(&w);
    jw_str(&w, "x");
    jw_array_end(&w);
    jw_array_end(&w);
    jw_key(&w, "c");
    jw_object(&w);
    jw_key(&w, "d");
    jw_null(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    assert_string_equal(buf_cstr(&b), "{\"a\":[],\"b\":[1,{},[null,\"x\"]],\"c\":{\"d\":null}}");
    assert_int_equal(w.depth, 0);
    buf_free(&b);
}

static void test_strings_and_ints(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 0);
    jw w;
    jw_init(&w, &b);
    jw_array(&w);
    jw_str(&w, "quote \" back \\ nl \n tab \t ctl \x01 caf\xc3\xa9");
    jw_int(&w, 0);
    jw_int(&w, -42);
    jw_int(&w, INT64_MAX);
    jw_int(&w, INT64_MIN);
    jw_array_end(&w);
    assert_string_equal(buf_cstr(&b), "[\"quote \\\" back \\\\ nl \\n tab \\t ctl \\u0001 caf\xc3\xa9\","
                                      "0,-42,9223372036854775807,-9223372036854775808]");
    json_error_t err;
    json_t *back = json_loads(buf_cstr(&b), 0, &err);
    assert_non_null(back); /* valid JSON */
    json_decref(back);
    buf_free(&b);
}

static void check_money(int64_t minor, const char *code, const char *lang)
{
    money m = money_make(minor, currency_find(code));
    buf streamed, tree;
    buf_init(&streamed, 0);
    buf_init(&tree, 0);
    jw w;
    jw_init(&w, &streamed);
    jw_money(&w, m, lang);
    json_t *j = jout_money(m, lang);
    assert_true(json_out(&tree, j));
    json_decref(j);
    assert_string_equal(buf_cstr(&streamed), buf_cstr(&tree));
    buf_free(&streamed);
    buf_free(&tree);
}

static void test_money_as_jout_money(void **state)
{
    (void)state;
    check_money(123456, "EUR", "it");
    check_money(-5, "EUR", "en");
    check_money(1000, "JPY", "en");
    check_money(1, "BHD", "it");
    check_money(0, "USD", "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_strings_and_ints),
        cmocka_unit_test(test_money_as_jout_money),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
