/* test_accept_language.c - the page language from Accept-Language: what real
 * browsers send, weights, wildcards, regions, ties, refusals and headers that
 * do not parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "http/accept_language.h"

static const char *const langs[] = {"it", "en"};

/* The language picked for header, or "none". */
static const char *pick(const char *header)
{
    int i = accept_language_pick(header, langs, 2);
    assert_true(i >= -1 && i < 2);
    return i < 0 ? "none" : langs[i];
}

static void test_browsers(void **state)
{
    (void)state;
    assert_string_equal(pick("it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7"), "it"); /* Chrome, Italian */
    assert_string_equal(pick("en-US,en;q=0.9"), "en");
    assert_string_equal(pick("de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7"), "en"); /* a German reads English */
    assert_string_equal(pick("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), "en");
    assert_string_equal(pick("en-GB;q=0.5,en;q=0.5,it;q=0.9"), "it"); /* weights, not order */
    assert_string_equal(pick("de-DE,de;q=0.9"), "none");
    assert_string_equal(pick("pt-BR"), "none");
}

static void test_weights(void **state)
{
    (void)state;
    assert_string_equal(pick("en;q=0.5, it;q=0.5"), "en"); /* a tie: the one named first */
    assert_string_equal(pick("it;q=0.500, en;q=0.501"), "en");
    assert_string_equal(pick("en;Q=1.000, it"), "en");
    assert_string_equal(pick("en;q=0, it;q=0"), "none"); /* 0 is "not acceptable" */
    assert_string_equal(pick("en;q=0"), "none");
    assert_string_equal(pick("en-GB;q=0.2, en;q=0.8, it;q=0.5"), "en"); /* the highest range of a language */
    assert_string_equal(pick("en;q=1.5, it;q=0.1"), "it"); /* a weight above 1 does not parse */
    assert_string_equal(pick("en;q=.5, it;q=0.1"), "it");
    assert_string_equal(pick("en;level=1;q=0.9, it;q=0.8"), "en"); /* other parameters skipped */
}

static void test_wildcard(void **state)
{
    (void)state;
    assert_string_equal(pick("*"), "it"); /* the site's first language */
    assert_string_equal(pick("it;q=0, *"), "en");
    assert_string_equal(pick("de, *;q=0.1"), "it");
    assert_string_equal(pick("*;q=0.9, en"), "en");
    assert_string_equal(pick("*;q=0"), "none");
}

static void test_malformed(void **state)
{
    (void)state;
    assert_string_equal(pick(""), "none");
    assert_string_equal(pick(NULL), "none");
    assert_string_equal(pick(",,, ,"), "none");
    assert_string_equal(pick("english"), "none"); /* "english" is not "en" */
    assert_string_equal(pick("e, en-"), "none");
    assert_string_equal(pick("e n, en"), "en"); /* a broken range is skipped, not the rest */
    assert_string_equal(pick("en-toolongsubtag, it"), "it");
    assert_string_equal(pick("en_US, it;q=0.1"), "it");
    assert_string_equal(pick("EN-us"), "en");
    assert_string_equal(pick("\ten\t;\tq=0.3 ,it;q=0.2"), "en");
    /* only the first ACCEPT_LANGUAGE_RANGES_MAX ranges count */
    char many[ACCEPT_LANGUAGE_RANGES_MAX * 3 + 8] = "";
    size_t n = 0;
    for (int i = 0; i < ACCEPT_LANGUAGE_RANGES_MAX; i++, n += 3)
        memcpy(many + n, "de,", 3);
    memcpy(many + n, "en", 3);
    assert_string_equal(pick(many), "none");
    many[0] = 'e', many[1] = 'n';
    assert_string_equal(pick(many), "en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_browsers),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_wildcard),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
