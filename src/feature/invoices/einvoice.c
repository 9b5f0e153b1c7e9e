/* einvoice.c - see einvoice.h. */
#include "feature/invoices/einvoice.h"

#include <assert.h>
#include <string.h>

#include "core/country.h"
#include "feature/invoices/fatturapa.h"
#include "feature/invoices/ubl.h"

static const char *const format_names[EINVOICE_FORMAT_COUNT] = {"none", "fatturapa", "ubl", "refused"};

const char *einvoice_format_name(einvoice_format f)
{
    assert(f < EINVOICE_FORMAT_COUNT);
    return format_names[f];
}

/* The country of the VAT evidence, else of the address. */
static const char *country_of(const char *evidence, const doc_party *p)
{
    return evidence[0] ? evidence : p->address.country;
}

einvoice_format einvoice_format_of(const document *doc)
{
    const char *seller = country_of(doc->vat.seller_country, &doc->seller);
    const char *buyer = country_of(doc->vat.buyer_country, &doc->buyer);
    if (doc->kind != DOC_INVOICE && doc->kind != DOC_CREDIT_NOTE)
        return EINVOICE_NONE;
    if (!strcmp(seller, "IT") && !strcmp(buyer, "IT"))
        return EINVOICE_FATTURAPA;
    if (doc->vat.buyer_business && country_in_eu(buyer) && strcmp(buyer, seller))
        return EINVOICE_UBL;
    return EINVOICE_NONE;
}

einvoice_format einvoice_for(const document *doc, const saldo_config *cfg, buf *out, char *file_name, size_t size,
                             const char **why)
{
    assert(doc && cfg && out && file_name && why);
    einvoice_format f = einvoice_format_of(doc);
    bool ok;
    if (f == EINVOICE_FATTURAPA) {
        fatturapa_sender s;
        fatturapa_sender_from_config(cfg, &s);
        ok = fatturapa_write(doc, &s, out, file_name, size, why);
    } else if (f == EINVOICE_UBL) {
        ok = ubl_write(doc, out, file_name, size, why);
    } else {
        *why = doc->kind == DOC_INVOICE || doc->kind == DOC_CREDIT_NOTE
                   ? "e-invoices are for Italian buyers and EU businesses abroad"
                   : "only invoices and credit notes are e-invoices: pro-formas and receipts are not";
        return EINVOICE_NONE;
    }
    return ok ? f : EINVOICE_REFUSED;
}
