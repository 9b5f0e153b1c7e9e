/* fuzz_text.h - what the fuzz targets of text parsers share: the input as a
 * C string. */
#ifndef SALDO_FUZZ_TEXT_H
#define SALDO_FUZZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* data[0..size) into buf (cap bytes) with a NUL after it; false (buf
 * untouched) when it does not fit. */
static inline bool fuzz_text(const uint8_t *data, size_t size, char *buf, size_t cap)
{
    if (size >= cap)
        return false;
    memcpy(buf, data, size);
    buf[size] = '\0';
    return true;
}

#endif
