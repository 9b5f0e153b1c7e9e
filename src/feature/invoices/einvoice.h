/* einvoice.h - which e-invoice an issued document gets, and writing it: the
 * one entry point the invoices routes (GET .../invoices/{id}.xml) call.
 *
 * An invoice or credit note of an Italian seller to an Italian buyer is a
 * FatturaPA (the SDI takes nothing else); one to a business with a VAT ID in
 * another member state is an EN 16931 UBL invoice; anything else (consumers
 * abroad, buyers outside the EU, pro-formas, receipts) gets none. */
#ifndef SALDO_EINVOICE_H
#define SALDO_EINVOICE_H

#include <stddef.h>

#include "feature/invoices/document.h"
#include "lib/buf.h"
#include "lib/config.h"

typedef enum einvoice_format {
    EINVOICE_NONE,      /* the document gets no e-invoice */
    EINVOICE_FATTURAPA, /* FatturaPA 1.2.2 (fatturapa.h) */
    EINVOICE_UBL,       /* EN 16931 in UBL 2.1 (ubl.h) */
    EINVOICE_REFUSED,   /* it should get one, but lacks data the format requires */
    EINVOICE_FORMAT_COUNT
} einvoice_format;

enum { EINVOICE_FILE_NAME_SIZE = 64 }; /* holds both writers' file names */

/* The format doc gets, from its kind, the seller's and the buyer's
 * countries (those of the VAT evidence, doc->vat, else of the addresses)
 * and whether the buyer is a business (doc->vat.buyer_business: a valid VAT
 * ID at issue). Never EINVOICE_REFUSED: only writing can refuse. */
einvoice_format einvoice_format_of(const document *doc);

/* "none", "fatturapa", "ubl", "refused". */
const char *einvoice_format_name(einvoice_format f);

/* Writes doc's e-invoice into out and its file name into file_name (size
 * bytes, EINVOICE_FILE_NAME_SIZE is enough) and returns its format;
 * EINVOICE_NONE when the document gets none (*why says why, out untouched).
 * FatturaPA takes the transmitter, fiscal regime and progressive offset from
 * cfg. When the document should have one but cannot be written (data the
 * format requires is missing: see fatturapa_write, ubl_write), returns
 * EINVOICE_REFUSED with *why (out may then hold a part: discard it). */
einvoice_format einvoice_for(const document *doc, const saldo_config *cfg, buf *out, char *file_name, size_t size,
                             const char **why);

#endif
