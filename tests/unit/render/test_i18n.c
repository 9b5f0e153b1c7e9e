/* test_i18n.c - the .mo parser on files built here (both byte orders, any
 * entry order) and on malformed ones (short, bad magic, unknown revision,
 * tables and strings outside the file, missing NULs, duplicates, every
 * truncation), plus the embedded catalogs: Italian covers every msgid of
 * po/saldo.pot. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "render/i18n.h"

typedef struct pair {
    const char *id, *str;
} pair;

enum { MO_CAP = 4096 };

static void put_word(unsigned char *at, uint32_t w, bool big_endian)
{
    for (int i = 0; i < 4; i++)
        at[i] = (unsigned char)(big_endian ? w >> (24 - 8 * i) : w >> (8 * i));
}

/* Writes a .mo of the n pairs (in the order given) into out; returns its size. */
static size_t build_mo(unsigned char *out, const pair *p, size_t n, bool big_endian)
{
    memset(out, 0, MO_CAP);
    size_t orig = 28, trans = orig + 8 * n, at = trans + 8 * n;
    put_word(out, 0x950412de, big_endian);
    put_word(out + 4, 0, big_endian);
    put_word(out + 8, (uint32_t)n, big_endian);
    put_word(out + 12, (uint32_t)orig, big_endian);
    put_word(out + 16, (uint32_t)trans, big_endian);
    for (size_t i = 0; i < n; i++) {
        const char *s[2] = {p[i].id, p[i].str};
        size_t table[2] = {orig, trans};
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(s[k]);
            assert_true(at + len + 1 <= MO_CAP);
            put_word(out + table[k] + 8 * i, (uint32_t)len, big_endian);
            put_word(out + table[k] + 8 * i + 4, (uint32_t)at, big_endian);
            memcpy(out + at, s[k], len + 1);
            at += len + 1;
        }
    }
    return at;
}

static const pair sample[] = {
    {"", "Content-Type: text/plain; charset=UTF-8\n"},
    {"Wallet", "Portafoglio"},
    {"Sign in", "Accedi"},
    {"Balance", "Saldo"},
    {"Untranslated", ""},
    {"Wall", "Muro"},
};
enum { SAMPLE_COUNT = sizeof sample / sizeof sample[0] };

static void check_sample(const i18n_catalog *c)
{
    assert_non_null(c);
    assert_int_equal(i18n_catalog_count(c), 4); /* header and empty translation left out */
    assert_string_equal(i18n_catalog_lookup(c, "Wallet"), "Portafoglio");
    assert_string_equal(i18n_catalog_lookup(c, "Sign in"), "Accedi");
    assert_string_equal(i18n_catalog_lookup(c, "Balance"), "Saldo");
    assert_string_equal(i18n_catalog_lookup(c, "Wall"), "Muro");
    assert_null(i18n_catalog_lookup(c, "Walle"));
    assert_null(i18n_catalog_lookup(c, "Untranslated"));
    assert_null(i18n_catalog_lookup(c, ""));
    assert_null(i18n_catalog_lookup(c, "wallet"));
    const char *prev = "", *id, *str;
    for (size_t i = 0; i < i18n_catalog_count(c); i++) {
        i18n_catalog_entry(c, i, &id, &str);
        assert_true(strcmp(prev, id) < 0);
        assert_string_equal(i18n_catalog_lookup(c, id), str);
        prev = id;
    }
}

static void test_both_byte_orders(void **state)
{
    (void)state;
    static unsigned char mo[MO_CAP];
    char err[128];
    for (int big = 0; big < 2; big++) {
        size_t len = build_mo(mo, sample, SAMPLE_COUNT, big);
        i18n_catalog *c = i18n_catalog_parse(mo, len, err, sizeof err);
        if (!c)
            fail_msg("rejected: %s", err);
        check_sample(c);
        i18n_catalog_free(c);
    }
}

static void test_empty_catalog(void **state)
{
    (void)state;
    static unsigned char mo[MO_CAP];
    size_t len = build_mo(mo, sample, 0, false);
    i18n_catalog *c = i18n_catalog_parse(mo, len, NULL, 0);
    assert_non_null(c);
    assert_int_equal(i18n_catalog_count(c), 0);
    assert_null(i18n_catalog_lookup(c, "Wallet"));
    i18n_catalog_free(c);
    i18n_catalog_free(NULL);
}

/* Parses a damaged copy of the sample and expects a refusal naming why. */
static void expect_refused(const unsigned char *mo, size_t len, const char *why)
{
    char err[128] = "untouched";
    i18n_catalog *c = i18n_catalog_parse(mo, len, err, sizeof err);
    if (c)
        fail_msg("accepted a file that is %s", why);
    if (!strstr(err, why))
        fail_msg("message '%s' does not say '%s'", err, why);
}

static void test_malformed(void **state)
{
    (void)state;
    static unsigned char good[MO_CAP], mo[MO_CAP];
    size_t len = build_mo(good, sample, SAMPLE_COUNT, false);
    expect_refused(good, 27, "size");
    expect_refused(good, 0, "size");
    memcpy(mo, good, len);
    mo[0] ^= 1;
    expect_refused(mo, len, "magic");
    memcpy(mo, good, len);
    put_word(mo + 4, 2u << 16, false);
    expect_refused(mo, len, "revision");
    memcpy(mo, good, len);
    put_word(mo + 8, I18N_STRINGS_MAX + 1, false);
    expect_refused(mo, len, "strings");
    memcpy(mo, good, len);
    put_word(mo + 8, 0xffffffffu, false);
    expect_refused(mo, len, "strings");
    memcpy(mo, good, len);
    put_word(mo + 12, (uint32_t)len - 8, false); /* originals' table runs past the end */
    expect_refused(mo, len, "table");
    memcpy(mo, good, len);
    put_word(mo + 16, 0xfffffff0u, false);
    expect_refused(mo, len, "table");
    memcpy(mo, good, len);
    put_word(mo + 28 + 8 + 4, (uint32_t)len, false); /* entry 1's msgid offset = end */
    expect_refused(mo, len, "outside");
    memcpy(mo, good, len);
    put_word(mo + 28 + 8, 0xffffffffu, false); /* entry 1's msgid length huge */
    expect_refused(mo, len, "outside");
    memcpy(mo, good, len);
    mo[len - 1] = 'x'; /* the last translation loses its NUL */
    expect_refused(mo, len, "NUL");
    memcpy(mo, good, len);
    put_word(mo + 28 + 8, 3, false); /* "Wallet" becomes "Wal": NUL not where it should be */
    expect_refused(mo, len, "NUL");
}

static void test_duplicate_msgid(void **state)
{
    (void)state;
    static unsigned char mo[MO_CAP];
    const pair dup[] = {{"Wallet", "Portafoglio"}, {"Balance", "Saldo"}, {"Wallet", "Borsellino"}};
    size_t len = build_mo(mo, dup, 3, false);
    expect_refused(mo, len, "twice");
}

/* Every prefix of a valid file is either refused or parsed; none is read
 * past its end (AddressSanitizer would say so in the sanitizer build). */
static void test_every_truncation(void **state)
{
    (void)state;
    static unsigned char good[MO_CAP];
    size_t len = build_mo(good, sample, SAMPLE_COUNT, true);
    for (size_t n = 0; n < len; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, good, n);
        i18n_catalog *c = i18n_catalog_parse(copy, n, NULL, 0);
        assert_null(c); /* the last string's NUL is the last byte */
        free(copy);
    }
}

static void test_embedded(void **state)
{
    (void)state;
    char err[256];
    if (!i18n_init(err, sizeof err))
        fail_msg("embedded catalogs: %s", err);
    assert_true(i18n_known("it"));
    assert_true(i18n_known("en"));
    assert_false(i18n_known("fr"));
    assert_false(i18n_known(NULL));
    assert_string_equal(i18n_text("it", "Sign in"), "Accedi");
    assert_string_equal(i18n_text("en", "Sign in"), "Sign in");
    assert_string_equal(i18n_text("fr", "Sign in"), "Sign in");
    assert_string_equal(i18n_text(NULL, "Sign in"), "Sign in");
    assert_string_equal(i18n_text("it", "no such message, surely"), "no such message, surely");
}

/* The msgid of a `msgid "..."` line of our own POT (one line per string). */
static bool pot_msgid(const char *line, char *out, size_t size)
{
    if (strncmp(line, "msgid \"", 7))
        return false;
    size_t n = 0;
    for (const char *p = line + 7; *p && *p != '"'; p++) {
        if (*p == '\\') {
            p++;
            char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            if (n + 1 < size)
                out[n++] = c;
        } else if (n + 1 < size) {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return n > 0;
}

static void test_italian_covers_pot(void **state)
{
    (void)state;
    FILE *f = fopen("po/saldo.pot", "r");
    if (!f)
        fail_msg("cannot open po/saldo.pot (run the tests from the repository root)");
    char line[4096], msgid[4096];
    int count = 0, missing = 0;
    while (fgets(line, sizeof line, f)) {
        if (!pot_msgid(line, msgid, sizeof msgid))
            continue;
        count++;
        if (i18n_text("it", msgid) == msgid) {
            print_error("no Italian translation in the binary for '%s'\n", msgid);
            missing++;
        }
    }
    fclose(f);
    assert_true(count > 50);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_byte_orders),
        cmocka_unit_test(test_empty_catalog),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_duplicate_msgid),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_embedded),
        cmocka_unit_test(test_italian_covers_pot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
