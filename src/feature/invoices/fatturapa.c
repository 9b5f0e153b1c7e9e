/* fatturapa.c - see fatturapa.h. The document is checked whole first
 * (fatturapa_check: every refusal has its sentence), then written in the
 * schema's order with xmlTextWriter, so writing fails only for lack of
 * memory. Amounts come from minor units as decimals with two digits; a
 * credit note saldo keeps with negative amounts is written with positive
 * ones, as TD04 itself says it is a credit.
 *
 * Natura of the 0% lines (Agenzia delle Entrate, specifiche tecniche
 * FatturaPA 1.7, codes from 2021): saldo's 0% sales are services taxed
 * where the buyer is, so they are outside the field of Italian VAT for want
 * of territoriality, which is N2.1 ("non soggette ad IVA ai sensi degli artt.
 * da 7 a 7-septies del DPR 633/72"): to an EU business, art. 7-ter with the
 * "inversione contabile" mention of art. 21 c. 6-bis lett. a; to a buyer
 * outside the EU, art. 7-ter (business) or 7-octies (consumer of an
 * e-service), art. 21 c. 6-bis lett. b. N6.x (domestic reverse charge, art.
 * 17 c. 6 and 74) never applies to what saldo sells: the Italian seller of a
 * service to an Italian buyer charges 22%. OSS sales (an EU consumer taxed at
 * their country's rate) are declared through the One Stop Shop, not the SDI:
 * refused here. */
#include "feature/invoices/fatturapa.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "feature/invoices/einvoice_xml.h"

#define FATTURAPA_NS "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"

/* Field limits of schema 1.2.2 (characters). */
enum { FP_NAME_MAX = 80, FP_ADDRESS_MAX = 60, FP_DESCRIPTION_MAX = 1000, FP_REFERENCE_MAX = 100,
       FP_CAUSALE_MAX = 200, FP_NUMBER_MAX = 20, FP_PEC_MAX = 256 };

/* The Natura of saldo's 0% lines and the legal reference written beside it. */
typedef struct fp_natura {
    const char *code;
    const char *reference;
} fp_natura;

static const fp_natura natura_reverse_charge = {"N2.1", "Inversione contabile - art. 7-ter DPR 633/72"};
static const fp_natura natura_not_subject = {"N2.1", "Operazione non soggetta - art. 7-ter DPR 633/72"};
static const fp_natura natura_not_subject_eservice = {"N2.1", "Operazione non soggetta - art. 7-octies DPR 633/72"};

/* NULL when doc's 0% has no legal ground (a domestic or OSS sale). */
static const fp_natura *natura_of(const document *doc)
{
    if (doc->vat.scheme == VAT_SCHEME_REVERSE_CHARGE)
        return &natura_reverse_charge;
    if (doc->vat.scheme != VAT_SCHEME_NOT_SUBJECT)
        return NULL;
    return doc->vat.mention == VAT_MENTION_NOT_SUBJECT_ESERV ? &natura_not_subject_eservice : &natura_not_subject;
}

void fatturapa_sender_from_config(const saldo_config *cfg, fatturapa_sender *s)
{
    memset(s, 0, sizeof *s);
    memcpy(s->country, cfg->provider.vat_id, 2);
    snprintf(s->code, sizeof s->code, "%s", cfg->provider.vat_id + 2);
    memcpy(s->tax_regime, cfg->provider.tax_regime, 4);
    s->progressive_offset = cfg->provider.fatturapa_progressive_offset;
    assert(s->country[0] && s->code[0] && s->tax_regime[0]);
}

bool fatturapa_progressive(int64_t id, int64_t offset, char out[FATTURAPA_PROGRESSIVE_LEN + 1])
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const int64_t limit = INT64_C(36) * 36 * 36 * 36 * 36;
    assert(id > 0 && offset >= 0);
    if (id >= limit || offset >= limit - id)
        return false;
    int64_t n = id + offset;
    for (int i = FATTURAPA_PROGRESSIVE_LEN - 1; i >= 0; i--, n /= 36)
        out[i] = digits[n % 36];
    out[FATTURAPA_PROGRESSIVE_LEN] = '\0';
    return true;
}

/* ---- checks ---- */

static bool all_of(const char *s, size_t min, size_t max, const char *set)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, set) == n;
}

#define DIGITS "0123456789"
#define UPPER_ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static bool printable_ascii(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7E)
            return false;
    return n >= min && n <= max;
}

static bool text_present(const char *s)
{
    char out[4 * 8 + 1];
    return einvoice_clean(s, true, 8, out, sizeof out) > 0;
}

static bool italian_vat_id(const char *v)
{
    return v[0] == 'I' && v[1] == 'T' && all_of(v + 2, 11, 11, DIGITS);
}

static const char *check_address(const doc_address *a, bool italian)
{
    if (!text_present(a->street) || !text_present(a->city))
        return "the address needs a street and a city";
    if (italian && !all_of(a->postal_code, 5, 5, DIGITS))
        return "an Italian address needs a postal code of 5 digits";
    if (!all_of(a->country, 2, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        return "the address needs its country code";
    return NULL;
}

static const char *check_seller(const document *doc)
{
    const doc_party *p = &doc->seller;
    if (!italian_vat_id(p->vat_id))
        return "the seller needs an Italian VAT ID (IT and 11 digits)";
    if (p->fiscal_code[0] && !all_of(p->fiscal_code, 11, 16, UPPER_ALNUM))
        return "the seller's fiscal code is not 11-16 letters and digits";
    if (!text_present(p->name))
        return "the seller needs a name";
    if (strcmp(p->address.country, "IT"))
        return "the seller's address must be in Italy";
    return check_address(&p->address, true);
}

static const char *check_buyer_ids(const doc_party *p, bool italian)
{
    if (p->fiscal_code[0] && !all_of(p->fiscal_code, 11, 16, UPPER_ALNUM))
        return "the buyer's fiscal code is not 11-16 letters and digits";
    if (!italian)
        return p->vat_id[0] && !all_of(p->vat_id, 2, 28, UPPER_ALNUM)
                   ? "the buyer's VAT ID is not 2-28 letters and digits" : NULL;
    if (p->kind == DOC_BUYER_PERSON)
        return p->fiscal_code[0] ? NULL : "an Italian consumer needs a fiscal code";
    if (p->vat_id[0] && !italian_vat_id(p->vat_id))
        return "the buyer's VAT ID is not IT and 11 digits";
    return p->vat_id[0] || p->fiscal_code[0] ? NULL : "an Italian business needs a VAT ID or a fiscal code";
}

static const char *check_recipient(const doc_party *p, bool italian)
{
    if (p->kind == DOC_BUYER_PUBLIC)
        return italian && all_of(p->sdi_code, 6, 6, UPPER_ALNUM)
                   ? NULL : "a public administration needs its office code of 6 letters and digits";
    if (!italian || !p->sdi_code[0])
        return p->pec[0] && (!printable_ascii(p->pec, 7, FP_PEC_MAX) || !strchr(p->pec, '@'))
                   ? "the buyer's PEC address is not an email address" : NULL;
    return all_of(p->sdi_code, 7, 7, UPPER_ALNUM) ? NULL : "the buyer's SDI code is not 7 letters and digits";
}

static const char *check_buyer(const document *doc)
{
    const doc_party *p = &doc->buyer;
    bool italian = !strcmp(p->address.country, "IT");
    const char *why;
    if (!text_present(p->name))
        return "the buyer needs a name";
    if ((why = check_buyer_ids(p, italian)) || (why = check_recipient(p, italian)))
        return why;
    return check_address(&p->address, italian);
}

static const char *check_lines(const document *doc)
{
    if (doc->line_count < 1 || doc->line_count > FATTURAPA_LINES_MAX)
        return "the document needs 1 to 9999 lines";
    if (doc->total_count < 1)
        return "the document has no VAT summary";
    for (size_t i = 0; i < doc->line_count; i++) {
        if (!text_present(doc->lines[i].description))
            return "every line needs a description";
        if (doc->lines[i].rate_bp == 0 && !natura_of(doc))
            return "a 0% line needs reverse charge or a sale not subject to VAT";
    }
    return NULL;
}

static const char *check_document(const document *doc, const fatturapa_sender *s)
{
    const currency *cur = currency_find(doc->currency);
    const char *why;
    if (doc->kind != DOC_INVOICE && doc->kind != DOC_CREDIT_NOTE)
        return "only invoices and credit notes are e-invoices: pro-formas and receipts are not";
    if (doc->vat.scheme == VAT_SCHEME_OSS)
        return "an OSS sale is declared through the One Stop Shop, not the SDI";
    if (!cur || cur->exponent > 2)
        return "the currency has more than 2 decimals";
    if (!printable_ascii(doc->number, 1, FP_NUMBER_MAX) || !all_of(doc->issue_date, 10, 10, DIGITS "-"))
        return "the document needs a number of 1-20 ASCII characters and a date";
    if (doc->kind == DOC_CREDIT_NOTE &&
        (!printable_ascii(doc->credits_number, 1, FP_NUMBER_MAX) || !all_of(doc->credits_date, 10, 10, DIGITS "-")))
        return "a credit note needs the number and date of its invoice";
    if (!all_of(s->country, 2, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !all_of(s->code, 1, 28, UPPER_ALNUM))
        return "the transmitter's id is not a country and letters and digits";
    if ((why = check_seller(doc)) || (why = check_buyer(doc)))
        return why;
    return check_lines(doc);
}

/* ---- writing ---- */

typedef struct fp_writer {
    exml x;
    const document *doc;
    int exponent;
    int64_t sign;   /* -1 for a credit note kept with negative amounts */
    char text[EINVOICE_TEXT_SIZE];
} fp_writer;

/* <name> with free text cleaned to Latin-1 and cut at max characters. */
static void put_text(fp_writer *f, const char *name, const char *text, size_t max)
{
    einvoice_clean(text, true, max, f->text, sizeof f->text);
    exml_elem(&f->x, name, f->text);
}

static void put_amount(fp_writer *f, const char *name, int64_t minor)
{
    char d[EINVOICE_DECIMAL_SIZE];
    bool ok = einvoice_decimal(minor, f->exponent, 2, d);
    assert(ok); /* the exponent was checked: at most 2 */
    exml_elem(&f->x, name, d);
}

static void put_rate(fp_writer *f, int rate_bp)
{
    char d[EINVOICE_DECIMAL_SIZE];
    einvoice_rate(rate_bp, d);
    exml_elem(&f->x, "AliquotaIVA", d);
}

static void put_id(fp_writer *f, const char *name, const char *country, const char *code)
{
    exml_start(&f->x, name);
    exml_elem(&f->x, "IdPaese", country);
    exml_elem(&f->x, "IdCodice", code);
    exml_end(&f->x);
}

static void put_address(fp_writer *f, const doc_address *a)
{
    bool italian = !strcmp(a->country, "IT");
    char street[2 * DOC_TEXT_MAX + 4];
    snprintf(street, sizeof street, "%s%s%s", a->street, a->extra[0] ? ", " : "", a->extra);
    exml_start(&f->x, "Sede");
    put_text(f, "Indirizzo", street, FP_ADDRESS_MAX);
    exml_elem(&f->x, "CAP", italian ? a->postal_code : "00000"); /* abroad: 00000 (specifiche tecniche) */
    put_text(f, "Comune", a->city, FP_ADDRESS_MAX);
    if (italian && all_of(a->province, 2, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        exml_elem(&f->x, "Provincia", a->province);
    exml_elem(&f->x, "Nazione", a->country);
    exml_end(&f->x);
}

static void put_name(fp_writer *f, const char *name)
{
    exml_start(&f->x, "Anagrafica");
    put_text(f, "Denominazione", name, FP_NAME_MAX);
    exml_end(&f->x);
}

static void put_transmission(fp_writer *f, const fatturapa_sender *s, const char *progressive)
{
    const doc_party *b = &f->doc->buyer;
    bool italian = !strcmp(b->address.country, "IT");
    bool pa = b->kind == DOC_BUYER_PUBLIC;
    exml_start(&f->x, "DatiTrasmissione");
    put_id(f, "IdTrasmittente", s->country, s->code);
    exml_elem(&f->x, "ProgressivoInvio", progressive);
    exml_elem(&f->x, "FormatoTrasmissione", pa ? "FPA12" : "FPR12");
    /* The SDI code; a buyer abroad XXXXXXX; else 0000000, with the PEC when there is one. */
    const char *code = pa || (italian && b->sdi_code[0]) ? b->sdi_code : italian ? "0000000" : "XXXXXXX";
    exml_elem(&f->x, "CodiceDestinatario", code);
    if (!strcmp(code, "0000000") && b->pec[0])
        exml_elem(&f->x, "PECDestinatario", b->pec);
    exml_end(&f->x);
}

static void put_seller(fp_writer *f, const fatturapa_sender *s)
{
    const doc_party *p = &f->doc->seller;
    exml_start(&f->x, "CedentePrestatore");
    exml_start(&f->x, "DatiAnagrafici");
    put_id(f, "IdFiscaleIVA", "IT", p->vat_id + 2);
    if (p->fiscal_code[0])
        exml_elem(&f->x, "CodiceFiscale", p->fiscal_code);
    put_name(f, p->name);
    exml_elem(&f->x, "RegimeFiscale", s->tax_regime);
    exml_end(&f->x);
    put_address(f, &p->address);
    exml_end(&f->x);
}

/* An Italian consumer: the fiscal code only. An Italian business or public
 * administration: its VAT ID and/or fiscal code. A buyer abroad: its VAT ID,
 * or its country and 99999999999 when it has none (specifiche tecniche). */
static void put_buyer(fp_writer *f)
{
    const doc_party *p = &f->doc->buyer;
    bool italian = !strcmp(p->address.country, "IT");
    exml_start(&f->x, "CessionarioCommittente");
    exml_start(&f->x, "DatiAnagrafici");
    char prefix[3] = {p->vat_id[0], p->vat_id[1], '\0'};
    bool prefixed = all_of(prefix, 2, 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && p->vat_id[2];
    if (!italian && p->vat_id[0] && prefixed)
        put_id(f, "IdFiscaleIVA", strcmp(prefix, "EL") ? prefix : "GR", p->vat_id + 2); /* Greece: EL in VAT IDs */
    else if (!italian && p->vat_id[0])
        put_id(f, "IdFiscaleIVA", p->address.country, p->vat_id);
    else if (!italian)
        put_id(f, "IdFiscaleIVA", p->address.country, "99999999999");
    else if (p->kind != DOC_BUYER_PERSON && p->vat_id[0])
        put_id(f, "IdFiscaleIVA", "IT", p->vat_id + 2);
    if (italian && p->fiscal_code[0])
        exml_elem(&f->x, "CodiceFiscale", p->fiscal_code);
    put_name(f, p->name);
    exml_end(&f->x);
    put_address(f, &p->address);
    exml_end(&f->x);
}

static void put_general(fp_writer *f)
{
    const document *d = f->doc;
    exml_start(&f->x, "DatiGenerali");
    exml_start(&f->x, "DatiGeneraliDocumento");
    exml_elem(&f->x, "TipoDocumento", d->kind == DOC_CREDIT_NOTE ? "TD04" : "TD01");
    exml_elem(&f->x, "Divisa", d->currency);
    exml_elem(&f->x, "Data", d->issue_date);
    exml_elem(&f->x, "Numero", d->number);
    put_amount(f, "ImportoTotaleDocumento", f->sign * d->gross_minor);
    if (text_present(d->note))
        put_text(f, "Causale", d->note, FP_CAUSALE_MAX);
    exml_end(&f->x);
    if (d->kind == DOC_CREDIT_NOTE) {
        exml_start(&f->x, "DatiFattureCollegate");
        exml_elem(&f->x, "IdDocumento", d->credits_number);
        exml_elem(&f->x, "Data", d->credits_date);
        exml_end(&f->x);
    }
    exml_end(&f->x);
}

/* Quantita >= 0; the unit price carries the sign, so that Quantita x
 * PrezzoUnitario - discount = PrezzoTotale as the SDI checks. */
static void put_line(fp_writer *f, size_t i)
{
    const doc_line *l = &f->doc->lines[i];
    const fp_natura *n = l->rate_bp == 0 ? natura_of(f->doc) : NULL;
    char number[24], quantity[EINVOICE_DECIMAL_SIZE];
    snprintf(number, sizeof number, "%zu", i + 1);
    int64_t q_sign = l->quantity < 0 ? -1 : 1;
    bool ok = einvoice_decimal(q_sign * l->quantity, 0, 2, quantity);
    assert(ok);
    exml_start(&f->x, "DettaglioLinee");
    exml_elem(&f->x, "NumeroLinea", number);
    put_text(f, "Descrizione", l->description, FP_DESCRIPTION_MAX);
    exml_elem(&f->x, "Quantita", quantity);
    if (l->period_start[0] && l->period_end[0]) {
        exml_elem(&f->x, "DataInizioPeriodo", l->period_start);
        exml_elem(&f->x, "DataFinePeriodo", l->period_end);
    }
    put_amount(f, "PrezzoUnitario", f->sign * q_sign * l->unit_net_minor);
    int64_t discount = f->sign * l->discount_minor;
    if (discount) {
        exml_start(&f->x, "ScontoMaggiorazione");
        exml_elem(&f->x, "Tipo", discount > 0 ? "SC" : "MG");
        put_amount(f, "Importo", discount > 0 ? discount : -discount);
        exml_end(&f->x);
    }
    put_amount(f, "PrezzoTotale", f->sign * l->net_minor);
    put_rate(f, l->rate_bp);
    if (n)
        exml_elem(&f->x, "Natura", n->code);
    exml_end(&f->x);
}

static void put_summary(fp_writer *f, const vat_total *t)
{
    const fp_natura *n = t->rate_bp == 0 ? natura_of(f->doc) : NULL;
    exml_start(&f->x, "DatiRiepilogo");
    put_rate(f, t->rate_bp);
    if (n)
        exml_elem(&f->x, "Natura", n->code);
    put_amount(f, "ImponibileImporto", f->sign * t->net_minor);
    put_amount(f, "Imposta", f->sign * t->vat_minor);
    if (!n)
        exml_elem(&f->x, "EsigibilitaIVA", "I"); /* immediate; split payment is not modelled */
    if (n)
        put_text(f, "RiferimentoNormativo", n->reference, FP_REFERENCE_MAX);
    exml_end(&f->x);
}

static void put_document(fp_writer *f, const fatturapa_sender *s, const char *progressive)
{
    const document *d = f->doc;
    exml_start(&f->x, "p:FatturaElettronica");
    exml_attr(&f->x, "versione", d->buyer.kind == DOC_BUYER_PUBLIC ? "FPA12" : "FPR12");
    exml_attr(&f->x, "xmlns:p", FATTURAPA_NS);
    exml_start(&f->x, "FatturaElettronicaHeader");
    put_transmission(f, s, progressive);
    put_seller(f, s);
    put_buyer(f);
    exml_end(&f->x);
    exml_start(&f->x, "FatturaElettronicaBody");
    put_general(f);
    exml_start(&f->x, "DatiBeniServizi");
    for (size_t i = 0; i < d->line_count; i++)
        put_line(f, i);
    for (size_t i = 0; i < d->total_count; i++)
        put_summary(f, &d->totals[i]);
    exml_end(&f->x);
    exml_end(&f->x);
    exml_end(&f->x);
}

bool fatturapa_write(const document *doc, const fatturapa_sender *s, buf *out, char *file_name, size_t size,
                     const char **why)
{
    assert(doc && s && out && file_name && why);
    char progressive[FATTURAPA_PROGRESSIVE_LEN + 1];
    if ((*why = check_document(doc, s)))
        return false;
    assert(doc->total_count <= VAT_TOTALS_MAX);
    if (doc->id <= 0 || !fatturapa_progressive(doc->id, s->progressive_offset, progressive)) {
        *why = "the document's id does not fit the 5 characters of the progressive";
        return false;
    }
    int n = snprintf(file_name, size, "%s%s_%s.xml", s->country, s->code, progressive);
    if (n < 0 || (size_t)n >= size) {
        *why = "the file name does not fit";
        return false;
    }
    fp_writer f = {.doc = doc, .exponent = currency_find(doc->currency)->exponent,
                   .sign = doc->kind == DOC_CREDIT_NOTE && doc->gross_minor < 0 ? -1 : 1};
    if (!exml_open(&f.x)) {
        *why = "out of memory";
        return false;
    }
    put_document(&f, s, progressive);
    if (!exml_close(&f.x, out)) {
        *why = "out of memory, or the output is too large";
        return false;
    }
    return true;
}
