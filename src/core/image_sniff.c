/* image_sniff.c - see image_sniff.h. Reads headers only; never decodes pixels. */
#include "core/image_sniff.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* PNG: signature, then the first chunk is IHDR of length 13 with width and height. */
static image_kind sniff_png(const uint8_t *d, size_t len, uint32_t *w, uint32_t *h)
{
    if (len < 8 + 8 + 13 + 4 || memcmp(d, png_signature, 8))
        return IMAGE_NONE;
    if (be32(d + 8) != 13 || memcmp(d + 12, "IHDR", 4))
        return IMAGE_NONE;
    uint32_t width = be32(d + 16), height = be32(d + 20);
    uint8_t depth = d[24], color = d[25];
    if (!width || !height || width > IMAGE_SIDE_MAX || height > IMAGE_SIDE_MAX)
        return IMAGE_NONE;
    if (!(depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16) || color > 6 || color == 1 || color == 5)
        return IMAGE_NONE;
    *w = width;
    *h = height;
    return IMAGE_PNG;
}

static bool is_sof(uint8_t m)
{
    /* SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* JPEG: SOI, then segments (marker, big-endian length including itself) until
 * a SOF gives the size; a scan (SOS) or the end before it means not an image. */
static image_kind sniff_jpeg(const uint8_t *d, size_t len, uint32_t *w, uint32_t *h)
{
    if (len < 4 || d[0] != 0xff || d[1] != 0xd8 || d[2] != 0xff)
        return IMAGE_NONE;
    size_t at = 2;
    for (int seg = 0; seg < IMAGE_JPEG_SEGMENTS_MAX; seg++) {
        while (at < len && d[at] == 0xff && at + 1 < len && d[at + 1] == 0xff)
            at++; /* fill bytes */
        if (at + 4 > len || d[at] != 0xff)
            return IMAGE_NONE;
        uint8_t marker = d[at + 1];
        if (marker == 0xd9 || marker == 0xda || marker == 0xd8 || marker == 0x00)
            return IMAGE_NONE; /* end, scan, second SOI or stuffing before any frame */
        if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
            at += 2; /* markers without a length */
            continue;
        }
        uint32_t seglen = be16(d + at + 2);
        if (seglen < 2 || at + 2 + seglen > len)
            return IMAGE_NONE;
        if (is_sof(marker)) {
            if (seglen < 8)
                return IMAGE_NONE;
            uint32_t height = be16(d + at + 5), width = be16(d + at + 7);
            if (!width || !height)
                return IMAGE_NONE;
            *w = width;
            *h = height;
            return IMAGE_JPEG;
        }
        at += 2 + seglen;
    }
    return IMAGE_NONE;
}

image_kind image_sniff(const uint8_t *data, size_t len, uint32_t *width, uint32_t *height)
{
    uint32_t w = 0, h = 0;
    if (!data)
        return IMAGE_NONE;
    image_kind k = sniff_png(data, len, &w, &h);
    if (k == IMAGE_NONE)
        k = sniff_jpeg(data, len, &w, &h);
    if (k == IMAGE_NONE)
        return k;
    assert(w > 0 && h > 0 && w <= IMAGE_SIDE_MAX && h <= IMAGE_SIDE_MAX);
    if (width)
        *width = w;
    if (height)
        *height = h;
    return k;
}

const char *image_mime(image_kind kind)
{
    switch (kind) {
    case IMAGE_PNG: return "image/png";
    case IMAGE_JPEG: return "image/jpeg";
    default: return NULL;
    }
}
