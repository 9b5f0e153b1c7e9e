/* file_sniff.c - file kinds by magic bytes and text rules (see file_sniff.h). */
#include "core/file_sniff.h"

#include <stdbool.h>
#include <string.h>

#include "core/image_sniff.h"

static bool starts(const uint8_t *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* Length of the valid UTF-8 sequence at d[0..left), 0 when invalid
 * (overlongs and surrogates included). */
static size_t utf8_seq(const uint8_t *d, size_t left)
{
    uint8_t c = d[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (!n || n > left || (n == 2 && c < 0xc2) || c > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((d[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && c == 0xe0 && d[1] < 0xa0) || (n == 3 && c == 0xed && d[1] >= 0xa0) ||
        (n == 4 && c == 0xf0 && d[1] < 0x90) || (n == 4 && c == 0xf4 && d[1] >= 0x90))
        return 0;
    return n;
}

static bool plain_utf8(const uint8_t *d, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint8_t c = d[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f)
            return false;
        size_t n = utf8_seq(d + i, len - i);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

/* True when d holds tag (lower case, starting with '<') in any case. */
static bool holds_tag(const uint8_t *d, size_t len, const char *tag)
{
    size_t n = strlen(tag);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && (d[i + k] | (d[i + k] >= 'A' && d[i + k] <= 'Z' ? 0x20 : 0)) == (uint8_t)tag[k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static bool markup(const uint8_t *d, size_t len)
{
    static const char *const tags[] = {"<html", "<script", "<svg", "<iframe", "<!doctype", "<?xml", "<body"};
    size_t i = starts(d, len, "\xef\xbb\xbf", 3) ? 3 : 0;
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n' || d[i] == '\f'))
        i++;
    if (i < len && d[i] == '<')
        return true;
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++)
        if (holds_tag(d, len, tags[t]))
            return true;
    return false;
}

file_kind file_sniff(const uint8_t *data, size_t len)
{
    if (!data || !len)
        return FILE_NONE;
    image_kind img = image_sniff(data, len, NULL, NULL);
    if (img == IMAGE_PNG)
        return FILE_PNG;
    if (img == IMAGE_JPEG)
        return FILE_JPEG;
    if ((starts(data, len, "GIF87a", 6) || starts(data, len, "GIF89a", 6)) && len >= 10)
        return FILE_GIF;
    if (starts(data, len, "%PDF-", 5))
        return FILE_PDF;
    if (starts(data, len, "PK\x03\x04", 4) || starts(data, len, "PK\x05\x06", 4))
        return FILE_ZIP;
    if (plain_utf8(data, len) && !markup(data, len))
        return FILE_TEXT;
    return FILE_NONE;
}

const char *file_mime(file_kind kind)
{
    static const char *const mimes[FILE_KIND_COUNT] = {
        NULL, "image/png", "image/jpeg", "image/gif", "application/pdf", "application/zip", "text/plain; charset=utf-8",
    };
    return kind < FILE_KIND_COUNT ? mimes[kind] : NULL;
}
