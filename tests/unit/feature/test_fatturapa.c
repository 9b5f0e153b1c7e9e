/* test_fatturapa.c - FatturaPA files of documents built in C: every file
 * produced is validated against the official 1.2.2 XSD (offline, the xmldsig
 * import through the catalog) and its key values read back with XPath: the
 * format, the recipient code or PEC, the buyer's identifiers, the totals, the
 * Natura of 0% lines, the file name and progressive. Documents that cannot be
 * e-invoices are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "feature/invoices/fatturapa.h"
#include "einvoice_docs.h"
#include "xsd_check.h"

static xmlSchemaPtr schema;

static const fatturapa_sender sender = {"IT", "12345670017", "RF01", 0};

/* Writes d, validates the file, checks the file name is the progressive's. */
static xmlDocPtr write_valid(const document *d, char *file_name)
{
    buf b;
    buf_init(&b, 0);
    const char *why = NULL;
    if (!fatturapa_write(d, &sender, &b, file_name, FATTURAPA_FILE_NAME_SIZE, &why))
        fail_msg("refused: %s", why);
    xmlDocPtr x = xsd_assert_valid(schema, &b);
    buf_free(&b);
    char want[FATTURAPA_FILE_NAME_SIZE];
    snprintf(want, sizeof want, "IT12345670017_%s.xml", xp(x, "string(//ProgressivoInvio)"));
    assert_string_equal(file_name, want);
    return x;
}

static void test_company_with_sdi_code(void **state)
{
    (void)state;
    document d = tbase(1);
    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC1234");
    snprintf(d.buyer.pec, sizeof d.buyer.pec, "rossi@pec.example.it"); /* the SDI code wins */
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(name, "IT12345670017_00001.xml");
    assert_string_equal(xp(x, "string(/p:FatturaElettronica/@versione)"), "FPR12");
    assert_string_equal(xp(x, "string(//FormatoTrasmissione)"), "FPR12");
    assert_string_equal(xp(x, "string(//IdTrasmittente/IdCodice)"), "12345670017");
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "ABC1234");
    assert_string_equal(xp(x, "count(//PECDestinatario)"), "0");
    assert_string_equal(xp(x, "string(//CedentePrestatore//RegimeFiscale)"), "RF01");
    assert_string_equal(xp(x, "string(//CedentePrestatore/Sede/CAP)"), "00184");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdCodice)"), "01234567890");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//Denominazione)"), "Rossi & Figli S.p.A.");
    assert_string_equal(xp(x, "string(//TipoDocumento)"), "TD01");
    assert_string_equal(xp(x, "string(//DatiGeneraliDocumento/Numero)"), "2026/000001");
    /* 19.90 + 2 x 8.50 = 36.90 net, VAT 22% = 8.118 -> 8.12, total 45.02 */
    assert_string_equal(xp(x, "string(//ImportoTotaleDocumento)"), "45.02");
    assert_string_equal(xp(x, "string(//DettaglioLinee[2]/Quantita)"), "2.00");
    assert_string_equal(xp(x, "string(//DettaglioLinee[2]/PrezzoUnitario)"), "8.50");
    assert_string_equal(xp(x, "string(//DettaglioLinee[2]/PrezzoTotale)"), "17.00");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/AliquotaIVA)"), "22.00");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/ImponibileImporto)"), "36.90");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/Imposta)"), "8.12");
    assert_string_equal(xp(x, "count(//Natura)"), "0");
    xmlFreeDoc(x);
}

static void test_company_with_pec_only(void **state)
{
    (void)state;
    document d = tbase(2);
    snprintf(d.buyer.pec, sizeof d.buyer.pec, "rossi@pec.example.it");
    d.buyer.vat_id[0] = '\0';
    snprintf(d.buyer.fiscal_code, sizeof d.buyer.fiscal_code, "01234567890");
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "0000000");
    assert_string_equal(xp(x, "string(//PECDestinatario)"), "rossi@pec.example.it");
    assert_string_equal(xp(x, "count(//CessionarioCommittente//IdFiscaleIVA)"), "0");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//CodiceFiscale)"), "01234567890");
    xmlFreeDoc(x);

    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "0000000"); /* the profile's way to say "by PEC" */
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "0000000");
    assert_string_equal(xp(x, "string(//PECDestinatario)"), "rossi@pec.example.it");
    xmlFreeDoc(x);
}

static void test_consumer_with_fiscal_code_only(void **state)
{
    (void)state;
    document d = tbase(3);
    d.buyer.kind = DOC_BUYER_PERSON;
    snprintf(d.buyer.name, sizeof d.buyer.name, "Mario Rossi");
    snprintf(d.buyer.fiscal_code, sizeof d.buyer.fiscal_code, "RSSMRA80A01H501U");
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "0000000");
    assert_string_equal(xp(x, "count(//PECDestinatario)"), "0");
    assert_string_equal(xp(x, "count(//CessionarioCommittente//IdFiscaleIVA)"), "0"); /* a consumer: no VAT ID */
    assert_string_equal(xp(x, "string(//CessionarioCommittente//CodiceFiscale)"), "RSSMRA80A01H501U");
    xmlFreeDoc(x);

    d.buyer.fiscal_code[0] = '\0';
    buf b;
    buf_init(&b, 0);
    const char *why = NULL;
    assert_false(fatturapa_write(&d, &sender, &b, name, sizeof name, &why));
    assert_string_equal(why, "an Italian consumer needs a fiscal code");
    buf_free(&b);
}

static void test_public_administration(void **state)
{
    (void)state;
    document d = tbase(4);
    d.buyer.kind = DOC_BUYER_PUBLIC;
    snprintf(d.buyer.name, sizeof d.buyer.name, "Comune di Roma");
    d.buyer.vat_id[0] = '\0';
    snprintf(d.buyer.fiscal_code, sizeof d.buyer.fiscal_code, "02438750586");
    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "UFY9MH");
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(/p:FatturaElettronica/@versione)"), "FPA12");
    assert_string_equal(xp(x, "string(//FormatoTrasmissione)"), "FPA12");
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "UFY9MH");
    xmlFreeDoc(x);

    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC1234"); /* 7: a private recipient's code */
    buf b;
    buf_init(&b, 0);
    const char *why = NULL;
    assert_false(fatturapa_write(&d, &sender, &b, name, sizeof name, &why));
    assert_string_equal(why, "a public administration needs its office code of 6 letters and digits");
    buf_free(&b);
}

/* A credit note kept with negative amounts is written positive, as TD04,
 * with the invoice it credits. */
static void test_credit_note(void **state)
{
    (void)state;
    document d = tbase(5);
    d.kind = DOC_CREDIT_NOTE;
    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC1234");
    snprintf(d.credits_number, sizeof d.credits_number, "2026/000001");
    snprintf(d.credits_date, sizeof d.credits_date, "2026-03-01");
    tline(0, "Refund: VPS M, unused days", 1, -1000, 0, 2200);
    tfinish(&d, 1);
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//TipoDocumento)"), "TD04");
    assert_string_equal(xp(x, "string(//DatiFattureCollegate/IdDocumento)"), "2026/000001");
    assert_string_equal(xp(x, "string(//DatiFattureCollegate/Data)"), "2026-03-01");
    assert_string_equal(xp(x, "string(//ImportoTotaleDocumento)"), "12.20");
    assert_string_equal(xp(x, "string(//DettaglioLinee/PrezzoUnitario)"), "10.00");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/Imposta)"), "2.20");
    xmlFreeDoc(x);

    d.credits_number[0] = '\0';
    buf b;
    buf_init(&b, 0);
    const char *why = NULL;
    assert_false(fatturapa_write(&d, &sender, &b, name, sizeof name, &why));
    assert_string_equal(why, "a credit note needs the number and date of its invoice");
    buf_free(&b);
}

/* Two rates, a discount, a service period, text FatturaPA's Latin-1 fields
 * cannot hold, a note. */
static void test_multi_rate(void **state)
{
    (void)state;
    document d = tbase(6);
    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC1234");
    snprintf(d.buyer.name, sizeof d.buyer.name, "Caffè «Tōkyō» – <Società>");
    snprintf(d.note, sizeof d.note, "Grazie!\nPagato con carta.");
    tline(0, "Hosting – “Pro” plan € 10", 3, 1000, 500, 2200);
    tline(1, "Manuale stampato", 1, 2000, 0, 400);
    tline(2, "Formazione", 1, 333, 0, 2200);
    snprintf(tlines[0].period_start, 11, "2026-03-01");
    snprintf(tlines[0].period_end, 11, "2026-03-31");
    tfinish(&d, 3);
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "count(//DatiRiepilogo)"), "2");
    assert_string_equal(xp(x, "string(//DatiRiepilogo[1]/AliquotaIVA)"), "22.00");
    assert_string_equal(xp(x, "string(//DatiRiepilogo[1]/ImponibileImporto)"), "28.33");
    assert_string_equal(xp(x, "string(//DatiRiepilogo[1]/Imposta)"), "6.23");
    assert_string_equal(xp(x, "string(//DatiRiepilogo[2]/AliquotaIVA)"), "4.00");
    assert_string_equal(xp(x, "string(//DatiRiepilogo[2]/Imposta)"), "0.80");
    assert_string_equal(xp(x, "string(//ImportoTotaleDocumento)"), "55.36");
    assert_string_equal(xp(x, "string(//DettaglioLinee[1]/ScontoMaggiorazione/Tipo)"), "SC");
    assert_string_equal(xp(x, "string(//DettaglioLinee[1]/ScontoMaggiorazione/Importo)"), "5.00");
    assert_string_equal(xp(x, "string(//DettaglioLinee[1]/PrezzoTotale)"), "25.00");
    assert_string_equal(xp(x, "string(//DettaglioLinee[1]/DataInizioPeriodo)"), "2026-03-01");
    assert_string_equal(xp(x, "string(//DettaglioLinee[1]/Descrizione)"), "Hosting - \"Pro\" plan EUR 10");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//Denominazione)"), "Caffè «T?ky?» - <Società>");
    assert_string_equal(xp(x, "string(//Causale)"), "Grazie! Pagato con carta.");
    xmlFreeDoc(x);
}

/* A business in Germany (reverse charge) and a consumer in the US (not
 * subject, e-service): XXXXXXX, N2.1 with its legal reference. */
static void test_buyers_abroad(void **state)
{
    (void)state;
    document d = tbase(7);
    snprintf(d.buyer.name, sizeof d.buyer.name, "Beispiel GmbH");
    snprintf(d.buyer.vat_id, sizeof d.buyer.vat_id, "DE136695976");
    taddress(&d.buyer.address, "Hauptstraße 5", "10115", "Berlin", "", "DE");
    d.vat.scheme = VAT_SCHEME_REVERSE_CHARGE;
    d.vat.mention = VAT_MENTION_REVERSE_CHARGE;
    tline(0, "VPS M, 1 month", 1, 1990, 0, 0);
    tfinish(&d, 1);
    char name[FATTURAPA_FILE_NAME_SIZE];
    xmlDocPtr x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CodiceDestinatario)"), "XXXXXXX");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdPaese)"), "DE");
    assert_string_equal(xp(x, "string(//CessionarioCommittente/Sede/CAP)"), "00000");
    assert_string_equal(xp(x, "string(//DettaglioLinee/Natura)"), "N2.1");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/Natura)"), "N2.1");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/RiferimentoNormativo)"),
                        "Inversione contabile - art. 7-ter DPR 633/72");
    assert_string_equal(xp(x, "string(//ImportoTotaleDocumento)"), "19.90");
    xmlFreeDoc(x);

    d.buyer.kind = DOC_BUYER_PERSON;
    d.buyer.vat_id[0] = '\0';
    taddress(&d.buyer.address, "1 Main St", "10001", "New York", "", "US");
    d.vat.scheme = VAT_SCHEME_NOT_SUBJECT;
    d.vat.mention = VAT_MENTION_NOT_SUBJECT_ESERV;
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdPaese)"), "US");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdCodice)"), "99999999999");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/RiferimentoNormativo)"),
                        "Operazione non soggetta - art. 7-octies DPR 633/72");
    xmlFreeDoc(x);

    d.buyer.kind = DOC_BUYER_COMPANY; /* a business in Greece (EL in VAT IDs, GR as a country) */
    snprintf(d.buyer.vat_id, sizeof d.buyer.vat_id, "EL094259216");
    taddress(&d.buyer.address, "Odos 1", "10557", "Athina", "", "GR");
    d.vat.scheme = VAT_SCHEME_REVERSE_CHARGE;
    d.vat.mention = VAT_MENTION_REVERSE_CHARGE;
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdPaese)"), "GR");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdCodice)"), "094259216");
    xmlFreeDoc(x);

    snprintf(d.buyer.vat_id, sizeof d.buyer.vat_id, "123456789"); /* a number without a country prefix */
    taddress(&d.buyer.address, "1 Main St", "10001", "New York", "", "US");
    d.vat.scheme = VAT_SCHEME_NOT_SUBJECT;
    d.vat.mention = VAT_MENTION_NOT_SUBJECT;
    x = write_valid(&d, name);
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdPaese)"), "US");
    assert_string_equal(xp(x, "string(//CessionarioCommittente//IdFiscaleIVA/IdCodice)"), "123456789");
    assert_string_equal(xp(x, "string(//DatiRiepilogo/RiferimentoNormativo)"),
                        "Operazione non soggetta - art. 7-ter DPR 633/72");
    xmlFreeDoc(x);
}

static void refused(const document *d, const char *reason)
{
    buf b;
    buf_init(&b, 0);
    char name[FATTURAPA_FILE_NAME_SIZE] = "";
    const char *why = NULL;
    assert_false(fatturapa_write(d, &sender, &b, name, sizeof name, &why));
    assert_string_equal(why, reason);
    buf_free(&b);
}

static void test_refusals(void **state)
{
    (void)state;
    const char *not_einvoice = "only invoices and credit notes are e-invoices: pro-formas and receipts are not";
    document d = tbase(8);
    d.kind = DOC_PROFORMA;
    refused(&d, not_einvoice);
    d.kind = DOC_RECEIPT;
    refused(&d, not_einvoice);
    d = tbase(8);
    d.vat.scheme = VAT_SCHEME_OSS;
    refused(&d, "an OSS sale is declared through the One Stop Shop, not the SDI");
    d = tbase(8);
    snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC12");
    refused(&d, "the buyer's SDI code is not 7 letters and digits");
    d = tbase(8);
    d.seller.address.postal_code[0] = '\0';
    refused(&d, "an Italian address needs a postal code of 5 digits");
    d = tbase(8);
    snprintf(d.seller.vat_id, sizeof d.seller.vat_id, "DE136695976");
    refused(&d, "the seller needs an Italian VAT ID (IT and 11 digits)");
    d = tbase(8);
    tline(0, "Free month", 1, 1000, 0, 0);
    tfinish(&d, 1);
    refused(&d, "a 0% line needs reverse charge or a sale not subject to VAT");
    d = tbase(8);
    tline(0, " \t ", 1, 1000, 0, 2200);
    tfinish(&d, 1);
    refused(&d, "every line needs a description");
    d = tbase(8);
    snprintf(d.number, sizeof d.number, "2026/0000000000000001");
    refused(&d, "the document needs a number of 1-20 ASCII characters and a date");
    d = tbase(8);
    snprintf(d.currency, sizeof d.currency, "BHD");
    refused(&d, "the currency has more than 2 decimals");
}

/* One progressive, and so one file name, per document. */
static void test_progressive(void **state)
{
    (void)state;
    char p[FATTURAPA_PROGRESSIVE_LEN + 1];
    assert_true(fatturapa_progressive(1, 0, p));
    assert_string_equal(p, "00001");
    assert_true(fatturapa_progressive(35, 0, p));
    assert_string_equal(p, "0000Z");
    assert_true(fatturapa_progressive(36, 0, p));
    assert_string_equal(p, "00010");
    assert_true(fatturapa_progressive(1, 1295, p));
    assert_string_equal(p, "00100");
    assert_true(fatturapa_progressive(60466175, 0, p));
    assert_string_equal(p, "ZZZZZ");
    assert_false(fatturapa_progressive(60466176, 0, p));
    assert_false(fatturapa_progressive(60466175, 1, p));

    char seen[20][FATTURAPA_FILE_NAME_SIZE];
    for (int i = 0; i < 20; i++) {
        document d = tbase(1000 + i * 37);
        snprintf(d.buyer.sdi_code, sizeof d.buyer.sdi_code, "ABC1234");
        xmlDocPtr x = write_valid(&d, seen[i]);
        xmlFreeDoc(x);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(seen[i], seen[j]);
    }
}

/* The whole file of a credit note with two rates, a discount and a PEC,
 * against its golden copy (a change of the output shows in review). */
static void test_golden(void **state)
{
    (void)state;
    document d = tbase(42);
    d.kind = DOC_CREDIT_NOTE;
    snprintf(d.buyer.pec, sizeof d.buyer.pec, "rossi@pec.example.it");
    snprintf(d.credits_number, sizeof d.credits_number, "2026/000041");
    snprintf(d.credits_date, sizeof d.credits_date, "2026-03-01");
    tline(0, "Rimborso – VPS M, giorni non usati", 1, -1000, -100, 2200);
    tline(1, "Rimborso: manuale", 2, -500, 0, 400);
    snprintf(tlines[0].period_start, 11, "2026-03-16");
    snprintf(tlines[0].period_end, 11, "2026-03-31");
    tfinish(&d, 2);
    buf b;
    buf_init(&b, 0);
    char name[FATTURAPA_FILE_NAME_SIZE];
    const char *why = NULL;
    assert_true(fatturapa_write(&d, &sender, &b, name, sizeof name, &why));
    assert_string_equal(name, "IT12345670017_00016.xml");
    xmlFreeDoc(xsd_assert_valid(schema, &b));
    golden_check(&b, "tests/unit/feature/data/einvoice/IT12345670017_00016.xml");
    buf_free(&b);
}

static int setup(void **state)
{
    (void)state;
    schema = xsd_load("tests/data/fatturapa/Schema_del_file_xml_FatturaPA_v1.2.2.xsd",
                      "tests/data/fatturapa/catalog.xml");
    return 0;
}

/* The validator itself: the official example passes, a broken copy does not. */
static void test_validator(void **state)
{
    (void)state;
    FILE *f = fopen("tests/data/fatturapa/IT01234567890_FPR01.xml", "rb");
    assert_non_null(f);
    buf b;
    buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    xmlFreeDoc(xsd_assert_valid(schema, &b));
    char *cap = strstr(b.data, "<CAP>07100</CAP>");
    assert_non_null(cap);
    memcpy(cap, "<CAP>0710X</CAP>", 16);
    char err[1024];
    assert_null(xsd_validate(schema, &b, err, sizeof err));
    assert_non_null(strstr(err, "CAP"));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validator),
        cmocka_unit_test(test_company_with_sdi_code),
        cmocka_unit_test(test_company_with_pec_only),
        cmocka_unit_test(test_consumer_with_fiscal_code_only),
        cmocka_unit_test(test_public_administration),
        cmocka_unit_test(test_credit_note),
        cmocka_unit_test(test_multi_rate),
        cmocka_unit_test(test_buyers_abroad),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_progressive),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
