/* test_file_sniff.c - attachment kinds by content: real magic bytes of PNG,
 * JPEG, GIF, PDF and ZIP; plain UTF-8 text; and what must be refused: HTML
 * (also renamed, with a BOM or leading spaces), SVG, XML, markup inside text,
 * binary data, invalid UTF-8, NUL bytes, empty input, a truncated GIF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/file_sniff.h"

static file_kind sniff(const char *s)
{
    return file_sniff((const uint8_t *)s, strlen(s));
}

static void test_magic_bytes(void **state)
{
    (void)state;
    static const uint8_t png[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
        0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
        0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x56, 0xc7, 0x2f, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
        0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    };
    assert_int_equal(file_sniff(png, sizeof png), FILE_PNG);
    static const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, 0x01,
                                   0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b,
                                   0x08, 0x00, 0x78, 0x01, 0x2c, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9};
    assert_int_equal(file_sniff(jpeg, sizeof jpeg), FILE_JPEG);
    assert_int_equal(file_sniff((const uint8_t *)"GIF89a\x01\x00\x01\x00", 10), FILE_GIF);
    assert_int_equal(file_sniff((const uint8_t *)"GIF87a\x01\x00\x01\x00", 10), FILE_GIF);
    assert_int_equal(file_sniff((const uint8_t *)"GIF89a\x01\x00", 8), FILE_NONE); /* truncated */
    assert_int_equal(sniff("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), FILE_PDF);
    assert_int_equal(file_sniff((const uint8_t *)"PK\x03\x04\x14\x00", 6), FILE_ZIP);
    assert_int_equal(file_sniff((const uint8_t *)"PK\x05\x06\0\0\0\0", 8), FILE_ZIP);
    assert_string_equal(file_mime(FILE_PDF), "application/pdf");
    assert_null(file_mime(FILE_NONE));
}

static void test_text(void **state)
{
    (void)state;
    assert_int_equal(sniff("ping 192.0.2.1\r\n\tno answer; caffè 10 €\n"), FILE_TEXT);
    assert_int_equal(sniff("a < b and c > d"), FILE_TEXT);
    assert_string_equal(file_mime(FILE_TEXT), "text/plain; charset=utf-8");
    assert_int_equal(file_sniff((const uint8_t *)"a\0b", 3), FILE_NONE);
    assert_int_equal(sniff("bell \x07"), FILE_NONE);
    assert_int_equal(sniff("latin1 caf\xe9"), FILE_NONE);
    assert_int_equal(sniff("overlong \xc0\xaf"), FILE_NONE);
    assert_int_equal(sniff("surrogate \xed\xa0\x80"), FILE_NONE);
    assert_int_equal(file_sniff(NULL, 0), FILE_NONE);
    assert_int_equal(sniff(""), FILE_NONE);
}

static void test_markup_refused(void **state)
{
    (void)state;
    assert_int_equal(sniff("<!DOCTYPE html><html><body>hi</body></html>"), FILE_NONE);
    assert_int_equal(sniff("\xef\xbb\xbf  \n<html>"), FILE_NONE);
    assert_int_equal(sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), FILE_NONE);
    assert_int_equal(sniff("<?xml version=\"1.0\"?><a/>"), FILE_NONE);
    assert_int_equal(sniff("log line\n<SCRIPT>alert(1)</SCRIPT>"), FILE_NONE);
    assert_int_equal(sniff("see <iframe src=x>"), FILE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_magic_bytes),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_markup_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
