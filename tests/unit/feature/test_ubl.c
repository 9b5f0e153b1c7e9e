/* test_ubl.c - EN 16931 UBL 2.1 invoices and credit notes of documents built
 * in C, each validated against the OASIS UBL 2.1 XSD (offline) and its key
 * values read back with XPath: reverse charge to a German business (AE with
 * its exemption reason, both VAT IDs), a sale not subject to VAT (O, no rate,
 * no VAT IDs), a credit note, several rates. Then einvoice_for: which
 * document gets which format, and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feature/invoices/einvoice.h"
#include "feature/invoices/ubl.h"
#include "einvoice_docs.h"
#include "xsd_check.h"

static xmlSchemaPtr invoice_schema, credit_note_schema;

/* The provider's invoice to a German business with a valid VAT ID: reverse charge. */
static document german_business(int64_t id)
{
    document d = tbase(id);
    snprintf(d.buyer.name, sizeof d.buyer.name, "Beispiel & Söhne GmbH");
    snprintf(d.buyer.vat_id, sizeof d.buyer.vat_id, "DE136695976");
    taddress(&d.buyer.address, "Hauptstraße 5", "10115", "Berlin", "", "DE");
    snprintf(d.vat.buyer_country, 3, "DE");
    d.vat.buyer_business = true;
    snprintf(d.vat.buyer_vat_id, sizeof d.vat.buyer_vat_id, "DE136695976");
    d.vat.scheme = VAT_SCHEME_REVERSE_CHARGE;
    d.vat.mention = VAT_MENTION_REVERSE_CHARGE;
    tline(0, "VPS M, 1 month", 1, 1990, 0, 0);
    tline(1, "Backup 100 GB", 3, 500, 100, 0);
    snprintf(tlines[0].period_start, 11, "2026-03-01");
    snprintf(tlines[0].period_end, 11, "2026-03-31");
    tfinish(&d, 2);
    return d;
}

static xmlDocPtr write_valid(const document *d, char *file_name)
{
    buf b;
    buf_init(&b, 0);
    const char *why = NULL;
    if (!ubl_write(d, &b, file_name, UBL_FILE_NAME_SIZE, &why))
        fail_msg("refused: %s", why);
    xmlDocPtr x = xsd_assert_valid(d->kind == DOC_CREDIT_NOTE ? credit_note_schema : invoice_schema, &b);
    buf_free(&b);
    return x;
}

static void test_reverse_charge_invoice(void **state)
{
    (void)state;
    document d = german_business(11);
    char name[UBL_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(name, "invoice_2026-000011.xml");
    assert_string_equal(xp(x, "string(/inv:Invoice/cbc:CustomizationID)"), "urn:cen.eu:en16931:2017");
    assert_string_equal(xp(x, "string(/inv:Invoice/cbc:ID)"), "2026/000011");
    assert_string_equal(xp(x, "string(/inv:Invoice/cbc:InvoiceTypeCode)"), "380");
    assert_string_equal(xp(x, "string(/inv:Invoice/cbc:DocumentCurrencyCode)"), "EUR");
    assert_string_equal(xp(x, "string(//cac:AccountingSupplierParty//cbc:CompanyID)"), "IT12345670017");
    assert_string_equal(xp(x, "string(//cac:AccountingCustomerParty//cbc:CompanyID)"), "DE136695976");
    assert_string_equal(xp(x, "string(//cac:AccountingCustomerParty//cbc:RegistrationName)"),
                        "Beispiel & Söhne GmbH");
    assert_string_equal(xp(x, "string(//cac:AccountingCustomerParty//cbc:StreetName)"), "Hauptstraße 5");
    assert_string_equal(xp(x, "string(//cac:AccountingCustomerParty//cac:Country/cbc:IdentificationCode)"), "DE");
    assert_string_equal(xp(x, "count(//cac:TaxSubtotal)"), "1");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal/cac:TaxCategory/cbc:ID)"), "AE");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent)"), "0.00");
    assert_string_equal(xp(x, "string(//cac:TaxCategory/cbc:TaxExemptionReasonCode)"), "VATEX-EU-AE");
    assert_string_equal(xp(x, "string(//cac:TaxCategory/cbc:TaxExemptionReason)"),
                        "Reverse charge – Art. 196 Directive 2006/112/EC");
    /* 19.90 + 3 x 5.00 - 1.00 = 33.90, no VAT */
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal/cbc:TaxableAmount)"), "33.90");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal/cbc:TaxableAmount/@currencyID)"), "EUR");
    assert_string_equal(xp(x, "string(/inv:Invoice/cac:TaxTotal/cbc:TaxAmount)"), "0.00");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:LineExtensionAmount)"), "33.90");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount)"), "33.90");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:PrepaidAmount)"), "33.90");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:PayableAmount)"), "0.00");
    assert_string_equal(xp(x, "count(//cac:InvoiceLine)"), "2");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cbc:InvoicedQuantity)"), "3");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cbc:InvoicedQuantity/@unitCode)"), "C62");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cbc:LineExtensionAmount)"), "14.00");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cac:AllowanceCharge/cbc:Amount)"), "1.00");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cac:Price/cbc:PriceAmount)"), "5.00");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[2]/cac:Price/cbc:BaseQuantity)"), "1");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[1]/cac:InvoicePeriod/cbc:EndDate)"), "2026-03-31");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[1]/cac:Item/cac:ClassifiedTaxCategory/cbc:ID)"), "AE");
    xmlFreeDoc(x);
}

static void test_credit_note(void **state)
{
    (void)state;
    document d = german_business(12);
    d.kind = DOC_CREDIT_NOTE;
    snprintf(d.number, sizeof d.number, "2026/000012");
    snprintf(d.credits_number, sizeof d.credits_number, "2026/000011");
    snprintf(d.credits_date, sizeof d.credits_date, "2026-03-15");
    tline(0, "Refund: VPS M, unused days", 1, -995, 0, 0);
    tfinish(&d, 1);
    char name[UBL_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(name, "credit_note_2026-000012.xml");
    assert_string_equal(xp(x, "string(/cn:CreditNote/cbc:CreditNoteTypeCode)"), "381");
    assert_string_equal(xp(x, "string(//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID)"), "2026/000011");
    assert_string_equal(xp(x, "string(//cac:CreditNoteLine/cbc:CreditedQuantity)"), "1");
    assert_string_equal(xp(x, "string(//cac:CreditNoteLine/cac:Price/cbc:PriceAmount)"), "9.95");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount)"), "9.95");
    xmlFreeDoc(x);
}

/* Several rates (an Austrian seller's domestic lines, say) and an unpaid
 * document: S per rate, the whole amount payable. */
static void test_multi_rate(void **state)
{
    (void)state;
    document d = german_business(13);
    d.status = DOC_UNPAID;
    d.vat.scheme = VAT_SCHEME_DOMESTIC;
    d.vat.mention = VAT_MENTION_NONE;
    tline(0, "Hosting <Pro> \"A\" & B", 1, 1000, 0, 1900);
    tline(1, "Book", 2, 1000, 0, 700);
    tfinish(&d, 2);
    char name[UBL_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "count(//cac:TaxSubtotal)"), "2");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal[1]/cac:TaxCategory/cbc:ID)"), "S");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal[1]/cac:TaxCategory/cbc:Percent)"), "19.00");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal[1]/cbc:TaxAmount)"), "1.90");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal[2]/cac:TaxCategory/cbc:Percent)"), "7.00");
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal[2]/cbc:TaxAmount)"), "1.40");
    assert_string_equal(xp(x, "count(//cac:TaxCategory/cbc:TaxExemptionReasonCode)"), "0");
    assert_string_equal(xp(x, "string(/inv:Invoice/cac:TaxTotal/cbc:TaxAmount)"), "3.30");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount)"), "33.30");
    assert_string_equal(xp(x, "count(//cac:LegalMonetaryTotal/cbc:PrepaidAmount)"), "0");
    assert_string_equal(xp(x, "string(//cac:LegalMonetaryTotal/cbc:PayableAmount)"), "33.30");
    assert_string_equal(xp(x, "string(//cac:InvoiceLine[1]/cac:Item/cbc:Name)"), "Hosting <Pro> \"A\" & B");
    assert_string_equal(xp(x, "count(/inv:Invoice/cbc:DueDate)"), "0");
    assert_string_equal(xp(x, "string(//cac:PaymentTerms/cbc:Note)"), "Payable on receipt");
    xmlFreeDoc(x);

    snprintf(d.due_date, sizeof d.due_date, "2026-04-14");
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(/inv:Invoice/cbc:DueDate)"), "2026-04-14");
    assert_string_equal(xp(x, "string(//cac:PaymentTerms/cbc:Note)"), "Payable by the due date");
    xmlFreeDoc(x);
    d.kind = DOC_CREDIT_NOTE; /* a CreditNote has no DueDate */
    snprintf(d.credits_number, sizeof d.credits_number, "2026/000001");
    snprintf(d.credits_date, sizeof d.credits_date, "2026-03-01");
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "count(//cbc:DueDate)"), "0");
    assert_string_equal(xp(x, "string(//cac:PaymentTerms/cbc:Note)"), "Payable by the due date");
    xmlFreeDoc(x);
}

/* Not subject (a business outside the EU): O, no rate, no VAT IDs. */
static void test_not_subject(void **state)
{
    (void)state;
    document d = german_business(14);
    taddress(&d.buyer.address, "1 Main St", "10001", "New York", "NY", "US");
    d.vat.scheme = VAT_SCHEME_NOT_SUBJECT;
    d.vat.mention = VAT_MENTION_NOT_SUBJECT;
    char name[UBL_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//cac:TaxSubtotal/cac:TaxCategory/cbc:ID)"), "O");
    assert_string_equal(xp(x, "count(//cac:TaxCategory/cbc:Percent)"), "0");
    assert_string_equal(xp(x, "count(//cac:ClassifiedTaxCategory/cbc:Percent)"), "0");
    assert_string_equal(xp(x, "string(//cac:TaxCategory/cbc:TaxExemptionReasonCode)"), "VATEX-EU-O");
    assert_string_equal(xp(x, "count(//cac:PartyTaxScheme)"), "0");
    assert_string_equal(xp(x, "string(//cac:AccountingSupplierParty//cac:PartyLegalEntity/cbc:CompanyID)"),
                        "IT12345670017");
    assert_string_equal(xp(x, "count(//cac:AccountingCustomerParty//cbc:CompanyID)"), "0");
    xmlFreeDoc(x);
}

static void refused(const document *d, const char *reason)
{
    buf b;
    buf_init(&b, 0);
    char name[UBL_FILE_NAME_SIZE];
    const char *why = NULL;
    assert_false(ubl_write(d, &b, name, sizeof name, &why));
    assert_string_equal(why, reason);
    buf_free(&b);
}

static void test_refusals(void **state)
{
    (void)state;
    document d = german_business(15);
    d.kind = DOC_PROFORMA;
    refused(&d, "only invoices and credit notes are e-invoices: pro-formas and receipts are not");
    d.kind = DOC_RECEIPT;
    refused(&d, "only invoices and credit notes are e-invoices: pro-formas and receipts are not");
    d = german_business(15);
    d.buyer.vat_id[0] = '\0';
    refused(&d, "reverse charge needs the VAT IDs of both parties");
    d = german_business(15);
    d.vat.scheme = VAT_SCHEME_DOMESTIC;
    refused(&d, "a 0% line needs reverse charge or a sale not subject to VAT");
    d = german_business(15);
    d.kind = DOC_CREDIT_NOTE;
    refused(&d, "a credit note needs the number and date of its invoice");
    d = german_business(15);
    d.buyer.address.city[0] = '\0';
    refused(&d, "both parties need a name and a city");
    d = german_business(15);
    d.vat.scheme = VAT_SCHEME_DOMESTIC;
    tline(0, "VPS", 1, 1000, 0, 2200);
    tfinish(&d, 1);
    d.seller.vat_id[0] = '\0';
    refused(&d, "the seller needs a VAT ID");
}

/* Which document gets which format, and einvoice_for writing it. */
static void test_einvoice_for(void **state)
{
    (void)state;
    saldo_config cfg;
    config_defaults(&cfg);
    char name[EINVOICE_FILE_NAME_SIZE];
    const char *why = NULL;
    buf b;

    document it = tbase(21); /* Italian seller, Italian buyer: FatturaPA */
    snprintf(it.buyer.sdi_code, sizeof it.buyer.sdi_code, "ABC1234");
    assert_int_equal(einvoice_format_of(&it), EINVOICE_FATTURAPA);
    buf_init(&b, 0);
    assert_int_equal(einvoice_for(&it, &cfg, &b, name, sizeof name, &why), EINVOICE_FATTURAPA);
    assert_string_equal(name, "IT12345670017_0000L.xml");
    assert_non_null(strstr(buf_cstr(&b), "<FormatoTrasmissione>FPR12</FormatoTrasmissione>"));
    buf_free(&b);

    cfg.provider.fatturapa_progressive_offset = 36 * 36 * 36 * 36; /* another program sent 1679616 files */
    buf_init(&b, 0);
    assert_int_equal(einvoice_for(&it, &cfg, &b, name, sizeof name, &why), EINVOICE_FATTURAPA);
    assert_string_equal(name, "IT12345670017_1000L.xml");
    buf_free(&b);

    document de = german_business(22); /* EU business abroad: UBL */
    assert_int_equal(einvoice_format_of(&de), EINVOICE_UBL);
    buf_init(&b, 0);
    assert_int_equal(einvoice_for(&de, &cfg, &b, name, sizeof name, &why), EINVOICE_UBL);
    assert_string_equal(name, "invoice_2026-000022.xml");
    xmlFreeDoc(xsd_assert_valid(invoice_schema, &b));
    buf_free(&b);

    document consumer = german_business(23); /* EU consumer abroad (OSS): none */
    consumer.vat.buyer_business = false;
    assert_int_equal(einvoice_format_of(&consumer), EINVOICE_NONE);
    buf_init(&b, 0);
    assert_int_equal(einvoice_for(&consumer, &cfg, &b, name, sizeof name, &why), EINVOICE_NONE);
    assert_string_equal(why, "e-invoices are for Italian buyers and EU businesses abroad");
    assert_int_equal(b.len, 0);

    document us = german_business(24); /* a business outside the EU: none */
    taddress(&us.buyer.address, "1 Main St", "10001", "New York", "NY", "US");
    snprintf(us.vat.buyer_country, 3, "US");
    assert_int_equal(einvoice_format_of(&us), EINVOICE_NONE);
    us.vat.buyer_country[0] = '\0'; /* no evidence: the address's country */
    assert_int_equal(einvoice_format_of(&us), EINVOICE_NONE);
    snprintf(us.vat.buyer_country, 3, "DE"); /* the evidence wins */
    assert_int_equal(einvoice_format_of(&us), EINVOICE_UBL);

    document proforma = tbase(25);
    proforma.kind = DOC_PROFORMA;
    assert_int_equal(einvoice_for(&proforma, &cfg, &b, name, sizeof name, &why), EINVOICE_NONE);
    assert_string_equal(why, "only invoices and credit notes are e-invoices: pro-formas and receipts are not");
    proforma.kind = DOC_RECEIPT;
    assert_int_equal(einvoice_format_of(&proforma), EINVOICE_NONE);

    document foreign_seller = tbase(26); /* a seller outside Italy to an Italian business: UBL */
    taddress(&foreign_seller.seller.address, "Ringstraße 1", "1010", "Wien", "", "AT");
    snprintf(foreign_seller.seller.vat_id, sizeof foreign_seller.seller.vat_id, "ATU13585627");
    snprintf(foreign_seller.vat.seller_country, 3, "AT");
    foreign_seller.vat.buyer_business = true;
    assert_int_equal(einvoice_format_of(&foreign_seller), EINVOICE_UBL);

    document bad = tbase(27); /* should be FatturaPA, but the consumer has no fiscal code */
    bad.buyer.kind = DOC_BUYER_PERSON;
    assert_int_equal(einvoice_for(&bad, &cfg, &b, name, sizeof name, &why), EINVOICE_REFUSED);
    assert_string_equal(why, "an Italian consumer needs a fiscal code");
    buf_free(&b);

    assert_string_equal(einvoice_format_name(EINVOICE_NONE), "none");
    assert_string_equal(einvoice_format_name(EINVOICE_FATTURAPA), "fatturapa");
    assert_string_equal(einvoice_format_name(EINVOICE_UBL), "ubl");
    assert_string_equal(einvoice_format_name(EINVOICE_REFUSED), "refused");
}

/* The whole reverse-charge invoice against its golden copy. */
static void test_golden(void **state)
{
    (void)state;
    document d = german_business(43);
    snprintf(d.note, sizeof d.note, "Thank you for your order.");
    buf b;
    buf_init(&b, 0);
    char name[UBL_FILE_NAME_SIZE];
    const char *why = NULL;
    assert_true(ubl_write(&d, &b, name, sizeof name, &why));
    xmlFreeDoc(xsd_assert_valid(invoice_schema, &b));
    golden_check(&b, "tests/unit/feature/data/einvoice/invoice_2026-000043.xml");
    buf_free(&b);
}

static int setup(void **state)
{
    (void)state;
    invoice_schema = xsd_load("tests/data/ubl21/maindoc/UBL-Invoice-2.1.xsd", NULL);
    credit_note_schema = xsd_load("tests/data/ubl21/maindoc/UBL-CreditNote-2.1.xsd", NULL);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reverse_charge_invoice),
        cmocka_unit_test(test_credit_note),
        cmocka_unit_test(test_multi_rate),
        cmocka_unit_test(test_not_subject),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_einvoice_for),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
