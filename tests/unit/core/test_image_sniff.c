/* test_image_sniff.c - PNG and JPEG recognized by their content: real headers
 * (a 1x1 PNG, a baseline and a progressive JPEG with an EXIF segment before the
 * frame), and the fakes that must fail: text renamed to .png, a GIF, truncated
 * headers, zero sizes, a scan before any frame, lengths past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/image_sniff.h"

/* A complete 1x1 RGBA PNG. */
static const uint8_t png_1x1[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x56, 0xc7, 0x2f, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* SOI, APP0 (JFIF), SOF0 of 300x120, then EOI (enough for the header check). */
static const uint8_t jpeg_baseline[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x78, 0x01, 0x2c, 0x01, 0x01, 0x11,
    0x00, 0xff, 0xd9,
};

/* SOI, APP1 (Exif, 8 bytes), DQT-like segment, SOF2 (progressive) of 16x9. */
static const uint8_t jpeg_progressive[] = {
    0xff, 0xd8, 0xff, 0xe1, 0x00, 0x08, 'E',  'x',  'i',  'f',  0x00, 0x00, 0xff, 0xdb, 0x00, 0x04,
    0x00, 0x01, 0xff, 0xc2, 0x00, 0x0b, 0x08, 0x00, 0x09, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
};

static void test_real_images(void **state)
{
    (void)state;
    uint32_t w = 0, h = 0;
    assert_int_equal(image_sniff(png_1x1, sizeof png_1x1, &w, &h), IMAGE_PNG);
    assert_int_equal(w, 1);
    assert_int_equal(h, 1);
    assert_int_equal(image_sniff(jpeg_baseline, sizeof jpeg_baseline, &w, &h), IMAGE_JPEG);
    assert_int_equal(w, 300);
    assert_int_equal(h, 120);
    assert_int_equal(image_sniff(jpeg_progressive, sizeof jpeg_progressive, &w, &h), IMAGE_JPEG);
    assert_int_equal(w, 16);
    assert_int_equal(h, 9);
    assert_string_equal(image_mime(IMAGE_PNG), "image/png");
    assert_string_equal(image_mime(IMAGE_JPEG), "image/jpeg");
    assert_null(image_mime(IMAGE_NONE));
}

static void test_fakes(void **state)
{
    (void)state;
    static const char text[] = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    assert_int_equal(image_sniff((const uint8_t *)text, sizeof text - 1, NULL, NULL), IMAGE_NONE);
    static const uint8_t gif[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
    assert_int_equal(image_sniff(gif, sizeof gif, NULL, NULL), IMAGE_NONE);
    assert_int_equal(image_sniff(NULL, 0, NULL, NULL), IMAGE_NONE);
    assert_int_equal(image_sniff(png_1x1, 0, NULL, NULL), IMAGE_NONE);
    /* Every truncation of the PNG's header fails. */
    for (size_t n = 0; n < 8 + 8 + 13 + 4; n++)
        assert_int_equal(image_sniff(png_1x1, n, NULL, NULL), IMAGE_NONE);
    /* The signature alone, followed by text. */
    uint8_t fake[64];
    memcpy(fake, png_1x1, 8);
    memset(fake + 8, 'A', sizeof fake - 8);
    assert_int_equal(image_sniff(fake, sizeof fake, NULL, NULL), IMAGE_NONE);
}

static void test_png_header_checks(void **state)
{
    (void)state;
    uint8_t p[sizeof png_1x1];
    memcpy(p, png_1x1, sizeof p);
    memset(p + 16, 0, 4); /* width 0 */
    assert_int_equal(image_sniff(p, sizeof p, NULL, NULL), IMAGE_NONE);
    memcpy(p, png_1x1, sizeof p);
    p[20] = 0x7f; /* height beyond IMAGE_SIDE_MAX */
    assert_int_equal(image_sniff(p, sizeof p, NULL, NULL), IMAGE_NONE);
    memcpy(p, png_1x1, sizeof p);
    p[12] = 'X'; /* first chunk is not IHDR */
    assert_int_equal(image_sniff(p, sizeof p, NULL, NULL), IMAGE_NONE);
    memcpy(p, png_1x1, sizeof p);
    p[24] = 3; /* bit depth 3 */
    assert_int_equal(image_sniff(p, sizeof p, NULL, NULL), IMAGE_NONE);
}

static void test_jpeg_header_checks(void **state)
{
    (void)state;
    uint8_t j[sizeof jpeg_baseline];
    for (size_t n = 0; n < 33; n++) /* cut anywhere before the end of the SOF */
        assert_int_equal(image_sniff(jpeg_baseline, n, NULL, NULL), IMAGE_NONE);
    memcpy(j, jpeg_baseline, sizeof j);
    j[27] = 0, j[28] = 0; /* width 0 */
    assert_int_equal(image_sniff(j, sizeof j, NULL, NULL), IMAGE_NONE);
    memcpy(j, jpeg_baseline, sizeof j);
    j[21] = 0xda; /* a scan before any frame */
    assert_int_equal(image_sniff(j, sizeof j, NULL, NULL), IMAGE_NONE);
    memcpy(j, jpeg_baseline, sizeof j);
    j[4] = 0xff; /* APP0 length past the end */
    assert_int_equal(image_sniff(j, sizeof j, NULL, NULL), IMAGE_NONE);
    memcpy(j, jpeg_baseline, sizeof j);
    j[21] = 0xc4; /* DHT is not a frame */
    assert_int_equal(image_sniff(j, sizeof j, NULL, NULL), IMAGE_NONE);
    static const uint8_t soi_only[] = {0xff, 0xd8, 0xff, 0xd9};
    assert_int_equal(image_sniff(soi_only, sizeof soi_only, NULL, NULL), IMAGE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_images),
        cmocka_unit_test(test_fakes),
        cmocka_unit_test(test_png_header_checks),
        cmocka_unit_test(test_jpeg_header_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
