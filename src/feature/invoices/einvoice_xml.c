/* einvoice_xml.c - see einvoice_xml.h. */
#include "feature/invoices/einvoice_xml.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool exml_open(exml *x)
{
    xmlInitParser(); /* idempotent; a threaded program calls it first (main) */
    x->ok = false;
    x->mem = xmlBufferCreate();
    x->w = x->mem ? xmlNewTextWriterMemory(x->mem, 0) : NULL;
    if (!x->w) {
        if (x->mem)
            xmlBufferFree(x->mem);
        x->mem = NULL;
        return false;
    }
    x->ok = xmlTextWriterSetIndent(x->w, 1) >= 0 && xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") >= 0 &&
            xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) >= 0;
    return true;
}

bool exml_close(exml *x, buf *out)
{
    assert(x->w && x->mem);
    if (x->ok)
        x->ok = xmlTextWriterEndDocument(x->w) >= 0;
    xmlFreeTextWriter(x->w); /* flushes into mem */
    bool ok = x->ok && buf_append(out, xmlBufferContent(x->mem), (size_t)xmlBufferLength(x->mem));
    xmlBufferFree(x->mem);
    x->w = NULL;
    x->mem = NULL;
    return ok;
}

void exml_start(exml *x, const char *name)
{
    if (x->ok)
        x->ok = xmlTextWriterStartElement(x->w, (const xmlChar *)name) >= 0;
}

void exml_end(exml *x)
{
    if (x->ok)
        x->ok = xmlTextWriterEndElement(x->w) >= 0;
}

void exml_attr(exml *x, const char *name, const char *value)
{
    if (x->ok)
        x->ok = xmlTextWriterWriteAttribute(x->w, (const xmlChar *)name, (const xmlChar *)value) >= 0;
}

void exml_elem(exml *x, const char *name, const char *text)
{
    assert(text);
    if (x->ok)
        x->ok = xmlTextWriterWriteElement(x->w, (const xmlChar *)name, (const xmlChar *)text) >= 0;
}

void exml_elem_attr(exml *x, const char *name, const char *attr, const char *value, const char *text)
{
    exml_start(x, name);
    exml_attr(x, attr, value);
    if (x->ok)
        x->ok = xmlTextWriterWriteString(x->w, (const xmlChar *)text) >= 0;
    exml_end(x);
}

/* Decodes one UTF-8 character at s into *cp; returns its length, or 0 for a
 * broken sequence (then *cp is U+FFFD and one byte should be skipped). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    size_t n;
    uint32_t c, min;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2, c = s[0] & 0x1Fu, min = 0x80;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3, c = s[0] & 0x0Fu, min = 0x800;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4, c = s[0] & 0x07u, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    bool bad = c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF);
    *cp = bad ? 0xFFFD : c;
    return bad ? 0 : n;
}

/* The ASCII stand-in of a character FatturaPA cannot carry. */
static const char *latin1_substitute(uint32_t cp)
{
    if (cp >= 0x2010 && cp <= 0x2015)
        return "-";
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x2032)
        return "'";
    if (cp == 0x201C || cp == 0x201D || cp == 0x201E)
        return "\"";
    if (cp == 0x20AC)
        return "EUR";
    if (cp == 0x2026)
        return "...";
    return "?";
}

static size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The characters XML 1.0 does not allow, and the C1 controls: a space. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

size_t einvoice_clean(const char *src, bool latin1, size_t max_chars, char *out, size_t size)
{
    assert(size >= max_chars * 4 + 1);
    const unsigned char *s = (const unsigned char *)src;
    size_t len = 0, chars = 0;
    bool space = false;
    while (*s && chars < max_chars) {
        uint32_t cp;
        size_t n = utf8_decode(s, &cp);
        s += n ? n : 1;
        if (cp == 0xFFFD && !n)
            cp = '?';
        if (is_control(cp) || cp == ' ' || cp == 0xA0) {
            space = len > 0;
            continue;
        }
        if (space) { /* a space only between words, never last */
            if (chars + 1 >= max_chars)
                break;
            out[len++] = ' ';
            chars++;
            space = false;
        }
        const char *sub = latin1 && cp > 0xFF ? latin1_substitute(cp) : NULL;
        if (sub) {
            for (; *sub && chars < max_chars; sub++, chars++)
                out[len++] = *sub;
        } else {
            len += utf8_encode(cp, out + len);
            chars++;
        }
    }
    assert(len < size);
    out[len] = '\0';
    return chars;
}

bool einvoice_decimal(int64_t minor, int exponent, int decimals, char out[EINVOICE_DECIMAL_SIZE])
{
    assert(exponent >= 0 && exponent <= 4);
    if (decimals > 8 || decimals < 0)
        return false;
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t unit = 1;
    for (int i = 0; i < exponent; i++)
        unit *= 10;
    uint64_t whole = mag / unit, frac = mag % unit;
    int e = exponent;
    while (e > decimals) { /* dropping digits: only zeros may go */
        if (frac % 10)
            return false;
        frac /= 10;
        e--;
    }
    char digits[24] = "";
    if (e > 0)
        snprintf(digits, sizeof digits, "%0*" PRIu64, e, frac);
    int n = snprintf(out, EINVOICE_DECIMAL_SIZE, "%s%" PRIu64 "%s%s%.*s", minor < 0 ? "-" : "", whole,
                     decimals > 0 ? "." : "", digits, decimals - e, "00000000");
    return n > 0 && n < EINVOICE_DECIMAL_SIZE;
}

void einvoice_rate(int rate_bp, char out[EINVOICE_DECIMAL_SIZE])
{
    assert(rate_bp >= 0 && rate_bp <= 10000);
    snprintf(out, EINVOICE_DECIMAL_SIZE, "%d.%02d", rate_bp / 100, rate_bp % 100);
}
