/* ubl.c - see ubl.h. Checked whole first, then written in the order the
 * UBL 2.1 schema requires with xmlTextWriter. Amounts have two decimals
 * (EN 16931 BR-DEC) from minor units; a credit note saldo keeps with
 * negative amounts is written with positive ones, as the CreditNote itself
 * says it is a credit. An invoice is issued once paid, so its whole amount
 * is prepaid and nothing is left payable (BR-CO-16). The VAT categories
 * (UNCL5305) and exemption codes (CEF VATEX): S with the rate; AE, reverse
 * charge, VATEX-EU-AE, both VAT IDs present (BR-AE-02); O, not subject,
 * VATEX-EU-O, no rate and no VAT IDs (BR-O-02 to BR-O-05). */
#include "feature/invoices/ubl.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "feature/invoices/einvoice_xml.h"

#define UBL_NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define UBL_NS_CREDIT_NOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define UBL_NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define UBL_NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
#define EN16931 "urn:cen.eu:en16931:2017"

enum { UBL_TEXT_MAX = 1000 }; /* characters of a name or a description we write */

typedef struct ubl_category {
    const char *id;          /* UNCL5305 */
    const char *reason_code; /* CEF VATEX, NULL for S */
} ubl_category;

static const ubl_category category_standard = {"S", NULL};
static const ubl_category category_reverse_charge = {"AE", "VATEX-EU-AE"};
static const ubl_category category_not_subject = {"O", "VATEX-EU-O"};

/* The category of a rate on doc; NULL for a 0% without legal ground. */
static const ubl_category *category_of(const document *doc, int rate_bp)
{
    if (rate_bp > 0)
        return &category_standard;
    if (doc->vat.scheme == VAT_SCHEME_REVERSE_CHARGE)
        return &category_reverse_charge;
    return doc->vat.scheme == VAT_SCHEME_NOT_SUBJECT ? &category_not_subject : NULL;
}

/* ---- checks ---- */

static bool text_present(const char *s)
{
    char out[4 * 8 + 1];
    return einvoice_clean(s, false, 8, out, sizeof out) > 0;
}

static bool date_like(const char *s)
{
    return strlen(s) == 10 && strspn(s, "0123456789-") == 10;
}

static const char *check_party(const doc_party *p, bool needs_vat_id)
{
    if (!text_present(p->name) || !text_present(p->address.city))
        return "both parties need a name and a city";
    if (strlen(p->address.country) != 2)
        return "both parties need their country";
    return needs_vat_id && !p->vat_id[0] ? "reverse charge needs the VAT IDs of both parties" : NULL;
}

/* The seller's VAT ID is on every e-invoice but a not-subject one (BR-S-02,
 * BR-AE-02), which names it by its fiscal code or VAT ID instead (BR-CO-26). */
static const char *check_seller_id(const document *doc)
{
    const doc_party *p = &doc->seller;
    if (doc->vat.scheme == VAT_SCHEME_NOT_SUBJECT)
        return p->vat_id[0] || p->fiscal_code[0] ? NULL : "the seller needs a VAT ID or a fiscal code";
    return p->vat_id[0] ? NULL : "the seller needs a VAT ID";
}

static const char *check_document(const document *doc)
{
    const currency *cur = currency_find(doc->currency);
    const char *why;
    if (doc->kind != DOC_INVOICE && doc->kind != DOC_CREDIT_NOTE)
        return "only invoices and credit notes are e-invoices: pro-formas and receipts are not";
    if (!cur || cur->exponent > 2)
        return "the currency has more than 2 decimals";
    if (!text_present(doc->number) || !date_like(doc->issue_date))
        return "the document needs a number and a date";
    if (doc->kind == DOC_CREDIT_NOTE && (!text_present(doc->credits_number) || !date_like(doc->credits_date)))
        return "a credit note needs the number and date of its invoice";
    bool reverse = doc->vat.scheme == VAT_SCHEME_REVERSE_CHARGE;
    if ((why = check_party(&doc->seller, reverse)) || (why = check_party(&doc->buyer, reverse)) ||
        (why = check_seller_id(doc)))
        return why;
    if (doc->due_date[0] && !date_like(doc->due_date))
        return "the due date is not a date";
    if (doc->line_count < 1 || doc->total_count < 1)
        return "the document needs lines and a VAT summary";
    for (size_t i = 0; i < doc->line_count; i++) {
        if (!text_present(doc->lines[i].description))
            return "every line needs a description";
        if (!category_of(doc, doc->lines[i].rate_bp))
            return "a 0% line needs reverse charge or a sale not subject to VAT";
    }
    return NULL;
}

/* ---- writing ---- */

typedef struct ubl_writer {
    exml x;
    const document *doc;
    int exponent;
    int64_t sign;  /* -1 for a credit note kept with negative amounts */
    bool vat_ids;  /* false when not subject: no VAT IDs (BR-O-02, BR-O-04) */
    char text[EINVOICE_TEXT_SIZE];
} ubl_writer;

static void put_text(ubl_writer *u, const char *name, const char *text)
{
    einvoice_clean(text, false, UBL_TEXT_MAX, u->text, sizeof u->text);
    exml_elem(&u->x, name, u->text);
}

static void put_amount(ubl_writer *u, const char *name, int64_t minor)
{
    char d[EINVOICE_DECIMAL_SIZE];
    bool ok = einvoice_decimal(minor, u->exponent, 2, d);
    assert(ok); /* the exponent was checked: at most 2 */
    exml_elem_attr(&u->x, name, "currencyID", u->doc->currency, d);
}

static void put_tax_scheme(ubl_writer *u)
{
    exml_start(&u->x, "cac:TaxScheme");
    exml_elem(&u->x, "cbc:ID", "VAT");
    exml_end(&u->x);
}

/* A TaxCategory (document level, with the exemption reason) or a
 * ClassifiedTaxCategory (a line's). */
static void put_category(ubl_writer *u, const char *element, int rate_bp, bool with_reason)
{
    const ubl_category *c = category_of(u->doc, rate_bp);
    assert(c);
    char rate[EINVOICE_DECIMAL_SIZE];
    einvoice_rate(rate_bp, rate);
    exml_start(&u->x, element);
    exml_elem(&u->x, "cbc:ID", c->id);
    if (c != &category_not_subject)
        exml_elem(&u->x, "cbc:Percent", rate);
    const char *reason = vat_mention_text(u->doc->vat.mention, u->doc->seller.address.country);
    if (with_reason && c->reason_code) {
        exml_elem(&u->x, "cbc:TaxExemptionReasonCode", c->reason_code);
        put_text(u, "cbc:TaxExemptionReason", reason ? reason : c == &category_not_subject ? "Not subject to VAT"
                                                                                          : "Reverse charge");
    }
    put_tax_scheme(u);
    exml_end(&u->x);
}

static void put_party(ubl_writer *u, const char *element, const doc_party *p)
{
    const doc_address *a = &p->address;
    exml_start(&u->x, element);
    exml_start(&u->x, "cac:Party");
    exml_start(&u->x, "cac:PostalAddress");
    if (text_present(a->street))
        put_text(u, "cbc:StreetName", a->street);
    if (text_present(a->extra))
        put_text(u, "cbc:AdditionalStreetName", a->extra);
    put_text(u, "cbc:CityName", a->city);
    if (text_present(a->postal_code))
        put_text(u, "cbc:PostalZone", a->postal_code);
    if (text_present(a->province))
        put_text(u, "cbc:CountrySubentity", a->province);
    exml_start(&u->x, "cac:Country");
    exml_elem(&u->x, "cbc:IdentificationCode", a->country);
    exml_end(&u->x);
    exml_end(&u->x);
    if (u->vat_ids && p->vat_id[0]) {
        exml_start(&u->x, "cac:PartyTaxScheme");
        put_text(u, "cbc:CompanyID", p->vat_id);
        put_tax_scheme(u);
        exml_end(&u->x);
    }
    exml_start(&u->x, "cac:PartyLegalEntity");
    put_text(u, "cbc:RegistrationName", p->name);
    if (!u->vat_ids && p == &u->doc->seller) /* BR-CO-26: the seller identified without its VAT ID */
        put_text(u, "cbc:CompanyID", p->fiscal_code[0] ? p->fiscal_code : p->vat_id);
    exml_end(&u->x);
    exml_end(&u->x);
    exml_end(&u->x);
}

static void put_tax_total(ubl_writer *u)
{
    const document *d = u->doc;
    exml_start(&u->x, "cac:TaxTotal");
    put_amount(u, "cbc:TaxAmount", u->sign * d->vat_minor);
    for (size_t i = 0; i < d->total_count; i++) {
        exml_start(&u->x, "cac:TaxSubtotal");
        put_amount(u, "cbc:TaxableAmount", u->sign * d->totals[i].net_minor);
        put_amount(u, "cbc:TaxAmount", u->sign * d->totals[i].vat_minor);
        put_category(u, "cac:TaxCategory", d->totals[i].rate_bp, true);
        exml_end(&u->x);
    }
    exml_end(&u->x);
}

/* The sum of the lines is the net (no document-level allowances). */
static void put_monetary_total(ubl_writer *u)
{
    const document *d = u->doc;
    bool paid = d->status == DOC_PAID;
    exml_start(&u->x, "cac:LegalMonetaryTotal");
    put_amount(u, "cbc:LineExtensionAmount", u->sign * d->net_minor);
    put_amount(u, "cbc:TaxExclusiveAmount", u->sign * d->net_minor);
    put_amount(u, "cbc:TaxInclusiveAmount", u->sign * d->gross_minor);
    if (paid)
        put_amount(u, "cbc:PrepaidAmount", u->sign * d->gross_minor);
    put_amount(u, "cbc:PayableAmount", paid ? 0 : u->sign * d->gross_minor);
    exml_end(&u->x);
}

/* Quantity >= 0 and the price carries the sign, so that quantity x price -
 * discount = the line's amount (BR-LIN). */
static void put_line(ubl_writer *u, size_t i)
{
    const doc_line *l = &u->doc->lines[i];
    bool credit = u->doc->kind == DOC_CREDIT_NOTE;
    char number[24], quantity[EINVOICE_DECIMAL_SIZE];
    snprintf(number, sizeof number, "%zu", i + 1);
    int64_t q_sign = l->quantity < 0 ? -1 : 1;
    snprintf(quantity, sizeof quantity, "%lld", (long long)(q_sign * l->quantity));
    exml_start(&u->x, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    exml_elem(&u->x, "cbc:ID", number);
    exml_elem_attr(&u->x, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", "unitCode", "C62", quantity);
    put_amount(u, "cbc:LineExtensionAmount", u->sign * l->net_minor);
    if (l->period_start[0] && l->period_end[0]) {
        exml_start(&u->x, "cac:InvoicePeriod");
        exml_elem(&u->x, "cbc:StartDate", l->period_start);
        exml_elem(&u->x, "cbc:EndDate", l->period_end);
        exml_end(&u->x);
    }
    int64_t discount = u->sign * l->discount_minor;
    if (discount) {
        exml_start(&u->x, "cac:AllowanceCharge");
        exml_elem(&u->x, "cbc:ChargeIndicator", discount > 0 ? "false" : "true");
        exml_elem(&u->x, "cbc:AllowanceChargeReason", discount > 0 ? "Discount" : "Surcharge");
        put_amount(u, "cbc:Amount", discount > 0 ? discount : -discount);
        exml_end(&u->x);
    }
    exml_start(&u->x, "cac:Item");
    put_text(u, "cbc:Name", l->description);
    put_category(u, "cac:ClassifiedTaxCategory", l->rate_bp, false);
    exml_end(&u->x);
    exml_start(&u->x, "cac:Price");
    put_amount(u, "cbc:PriceAmount", u->sign * q_sign * l->unit_net_minor);
    exml_elem_attr(&u->x, "cbc:BaseQuantity", "unitCode", "C62", "1");
    exml_end(&u->x);
    exml_end(&u->x);
}

static void put_head(ubl_writer *u)
{
    const document *d = u->doc;
    bool credit = d->kind == DOC_CREDIT_NOTE;
    exml_elem(&u->x, "cbc:CustomizationID", EN16931);
    put_text(u, "cbc:ID", d->number);
    exml_elem(&u->x, "cbc:IssueDate", d->issue_date);
    if (!credit && d->status != DOC_PAID && d->due_date[0])
        exml_elem(&u->x, "cbc:DueDate", d->due_date);
    exml_elem(&u->x, credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", credit ? "381" : "380");
    if (text_present(d->note))
        put_text(u, "cbc:Note", d->note);
    exml_elem(&u->x, "cbc:DocumentCurrencyCode", d->currency);
    if (credit) {
        exml_start(&u->x, "cac:BillingReference");
        exml_start(&u->x, "cac:InvoiceDocumentReference");
        put_text(u, "cbc:ID", d->credits_number);
        exml_elem(&u->x, "cbc:IssueDate", d->credits_date);
        exml_end(&u->x);
        exml_end(&u->x);
    }
}

static void put_document(ubl_writer *u)
{
    const document *d = u->doc;
    bool credit = d->kind == DOC_CREDIT_NOTE;
    exml_start(&u->x, credit ? "CreditNote" : "Invoice");
    exml_attr(&u->x, "xmlns", credit ? UBL_NS_CREDIT_NOTE : UBL_NS_INVOICE);
    exml_attr(&u->x, "xmlns:cac", UBL_NS_CAC);
    exml_attr(&u->x, "xmlns:cbc", UBL_NS_CBC);
    put_head(u);
    put_party(u, "cac:AccountingSupplierParty", &d->seller);
    put_party(u, "cac:AccountingCustomerParty", &d->buyer);
    if (d->status != DOC_PAID) { /* BR-CO-25: an amount due needs a due date or terms */
        exml_start(&u->x, "cac:PaymentTerms");
        exml_elem(&u->x, "cbc:Note", d->due_date[0] ? "Payable by the due date" : "Payable on receipt");
        exml_end(&u->x);
    }
    put_tax_total(u);
    put_monetary_total(u);
    for (size_t i = 0; i < d->line_count; i++)
        put_line(u, i);
    exml_end(&u->x);
}

static bool file_name_of(const document *doc, char *file_name, size_t size)
{
    char number[DOC_NUMBER_MAX + 1];
    size_t n = strnlen(doc->number, DOC_NUMBER_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = doc->number[i];
        bool keep = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        number[i] = keep ? c : '-';
    }
    number[n] = '\0';
    int w = snprintf(file_name, size, "%s_%s.xml", doc_kind_name(doc->kind), number);
    return w > 0 && (size_t)w < size;
}

bool ubl_write(const document *doc, buf *out, char *file_name, size_t size, const char **why)
{
    assert(doc && out && file_name && why);
    if ((*why = check_document(doc)))
        return false;
    assert(doc->total_count <= VAT_TOTALS_MAX);
    if (!file_name_of(doc, file_name, size)) {
        *why = "the file name does not fit";
        return false;
    }
    ubl_writer u = {.doc = doc, .exponent = currency_find(doc->currency)->exponent,
                    .sign = doc->kind == DOC_CREDIT_NOTE && doc->gross_minor < 0 ? -1 : 1,
                    .vat_ids = doc->vat.scheme != VAT_SCHEME_NOT_SUBJECT};
    if (!exml_open(&u.x)) {
        *why = "out of memory";
        return false;
    }
    put_document(&u);
    if (!exml_close(&u.x, out)) {
        *why = "out of memory, or the output is too large";
        return false;
    }
    return true;
}
