/* einvoice_xml.h - what the two e-invoice writers (fatturapa.c, ubl.c) share:
 * an xmlTextWriter into memory that remembers its first failure, so a writer
 * can emit a whole document and check once; free text made safe for XML (and
 * for FatturaPA's Latin-1-only fields) and cut by characters; amounts and
 * rates as decimals from integers, never through floating point. */
#ifndef SALDO_EINVOICE_XML_H
#define SALDO_EINVOICE_XML_H

#include <libxml/xmlwriter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum {
    EINVOICE_DECIMAL_SIZE = 32, /* "-92233720368547758.07" and its NUL */
    EINVOICE_TEXT_SIZE = 4096,  /* a cleaned text: 1000 characters of up to 4 bytes */
};

typedef struct exml {
    xmlBufferPtr mem;
    xmlTextWriterPtr w;
    bool ok; /* false from the first failed call on */
} exml;

/* Starts a UTF-8 document in memory, indented by two spaces per level. False (nothing to free) when out of
 * memory. Calls xmlInitParser(); a threaded program should call it once
 * before its threads start, as libxml2 asks. */
bool exml_open(exml *x);
/* Ends the document and appends it to out when every call succeeded; frees x
 * either way. True when out received the whole document. */
bool exml_close(exml *x, buf *out);

void exml_start(exml *x, const char *name);
void exml_end(exml *x);
void exml_attr(exml *x, const char *name, const char *value);
/* <name>text</name>, text escaped by the writer (it must be valid UTF-8
 * without control characters: pass free text through einvoice_clean first). */
void exml_elem(exml *x, const char *name, const char *text);
/* <name attr="value">text</name>: the currencyID and unitCode of UBL. */
void exml_elem_attr(exml *x, const char *name, const char *attr, const char *value, const char *text);

/* Copies the UTF-8 text src into out (size bytes) as at most max_chars
 * characters: control characters become spaces, runs of spaces one, the ends
 * trimmed, a broken UTF-8 byte '?'. With latin1, characters beyond U+00FF
 * (FatturaPA's fields accept Basic Latin and Latin-1 only) become their
 * nearest ASCII (dashes '-', quotes ' and ", the euro sign "EUR", the
 * ellipsis "...") or '?'. Returns the number of characters written (0: the
 * text was blank). size must hold max_chars * 4 + 1 bytes. */
size_t einvoice_clean(const char *src, bool latin1, size_t max_chars, char *out, size_t size);

/* minor units with `exponent` decimals written as a decimal with exactly
 * `decimals` digits after the point ("-12.30"). False when that would lose a
 * digit (exponent > decimals with a remainder) or decimals > 8. */
bool einvoice_decimal(int64_t minor, int exponent, int decimals, char out[EINVOICE_DECIMAL_SIZE]);

/* A rate in basis points as a percentage with two decimals: 2200 -> "22.00". */
void einvoice_rate(int rate_bp, char out[EINVOICE_DECIMAL_SIZE]);

#endif
