/* fuzz_upload_sniff.c - the content sniffing of uploads (ticket attachments,
 * organization logos) on arbitrary bytes: every answer is a known kind with its
 * MIME type, an image has a size within the limits, and what is let through as
 * plain text holds no NUL and none of the markup a browser might render. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/file_sniff.h"
#include "core/image_sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True when d holds tag (lower case) in any case: written apart from
 * file_sniff.c's, so the two would have to be wrong the same way. */
static bool holds_ci(const uint8_t *d, size_t len, const char *tag)
{
    for (size_t i = 0; i < len; i++) {
        size_t k = 0;
        for (; tag[k] && i + k < len; k++) {
            uint8_t c = d[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (uint8_t)(c + ('a' - 'A'));
            if (c != (uint8_t)tag[k])
                break;
        }
        if (!tag[k])
            return true;
    }
    return false;
}

static void check_text(const uint8_t *d, size_t len)
{
    static const char *const tags[] = {"<html", "<script", "<svg", "<iframe", "<!doctype", "<?xml", "<body"};
    for (size_t i = 0; i < len; i++)
        assert(d[i] != 0 && d[i] != 0x7f);
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
        assert(!holds_ci(d, len, tags[t]));
    size_t i = 0;
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n' || d[i] == '\f'))
        i++;
    assert(i == len || d[i] != '<');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t w = 0, h = 0;
    image_kind img = image_sniff(data, size, &w, &h);
    assert(img < IMAGE_KIND_COUNT);
    assert((img == IMAGE_NONE) == !image_mime(img));
    if (img != IMAGE_NONE)
        assert(w >= 1 && h >= 1 && w <= IMAGE_SIDE_MAX && h <= IMAGE_SIDE_MAX);
    else
        assert(w == 0 && h == 0);

    file_kind f = file_sniff(data, size);
    assert(f < FILE_KIND_COUNT);
    assert((f == FILE_NONE) == !file_mime(f));
    assert(f != FILE_PNG || img == IMAGE_PNG);
    assert(f != FILE_JPEG || img == IMAGE_JPEG);
    assert(img == IMAGE_NONE || f == (img == IMAGE_PNG ? FILE_PNG : FILE_JPEG));
    if (f == FILE_TEXT)
        check_text(data, size);
    return 0;
}
