/* fatturapa.h - the Italian e-invoice (FatturaPA 1.2.2, the XML the Sistema
 * di Interscambio takes) of an issued invoice or credit note: FPR12 for
 * businesses and consumers, FPA12 for a public administration, with the file
 * name the format requires. The seller, buyer, lines and totals come from
 * the frozen document; what only the transmission needs (the transmitter,
 * the fiscal regime, the progressive) from the configuration. Pure: no I/O.
 * docs/EINVOICES.md maps every element to the document. */
#ifndef SALDO_FATTURAPA_H
#define SALDO_FATTURAPA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/invoices/document.h"
#include "lib/buf.h"
#include "lib/config.h"

enum {
    FATTURAPA_PROGRESSIVE_LEN = 5,    /* base 36, upper case */
    FATTURAPA_FILE_NAME_SIZE = 48,    /* "IT" + up to 28 + "_" + 5 + ".xml" + NUL */
    FATTURAPA_LINES_MAX = 9999,       /* NumeroLinea */
};

/* What the transmission needs beyond the document. */
typedef struct fatturapa_sender {
    char country[3];           /* IdTrasmittente/IdPaese: the provider's VAT ID's country */
    char code[29];             /* IdTrasmittente/IdCodice: its number */
    char tax_regime[5];        /* RegimeFiscale: RF01 ... */
    int64_t progressive_offset; /* added to the document's id for ProgressivoInvio */
} fatturapa_sender;

/* Fills s from provider.vat_id, provider.tax_regime and
 * provider.fatturapa_progressive_offset. */
void fatturapa_sender_from_config(const saldo_config *cfg, fatturapa_sender *s);

/* The 5-character progressive of document id (> 0) with offset: id + offset
 * in base 36, upper case, zero-padded ("0000A"). False when it does not fit
 * in 5 characters (id + offset >= 36^5). */
bool fatturapa_progressive(int64_t id, int64_t offset, char out[FATTURAPA_PROGRESSIVE_LEN + 1]);

/* Appends the FatturaPA XML of doc (an invoice or a credit note) to out and
 * writes its file name (IT<code>_<progressive>.xml) into file_name. Returns
 * false with *why (a static English sentence) when the document cannot be
 * one: a pro-forma or a receipt, an OSS sale, a seller without an Italian VAT
 * ID or a complete Italian address, a buyer without the identifiers or the
 * SDI code the format needs, a 0% line with no legal ground, too many lines;
 * or when out or file_name is too small. out may then hold a part. */
bool fatturapa_write(const document *doc, const fatturapa_sender *s, buf *out, char *file_name, size_t size,
                     const char **why);

#endif
