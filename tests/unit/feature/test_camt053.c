/* test_camt053.c - the camt.053 parser on the shared samples (.001.02), on our
 * own .001.08 statement (several statements, amounts with 0, 2 and 3
 * decimals, structured and unstructured references, pending entries), and on
 * malformed or hostile files, each refused with its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "feature/bank/camt053.h"

#define DATA "tests/unit/feature/data/camt053/"

static camt_doc doc;
static char err[256];

static bool parse_file(const char *path)
{
    static char data[CAMT_INPUT_BYTES_MAX];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    return camt053_parse(data, len, &doc, err, sizeof err);
}

static bool parse(const char *text)
{
    return camt053_parse(text, strlen(text), &doc, err, sizeof err);
}

static void test_v2_minimal(void **state)
{
    (void)state;
    assert_true(parse_file(DATA "sample.v2.minimal.xml"));
    assert_int_equal(doc.version, 2);
    assert_int_equal(doc.statement_count, 1);
    assert_string_equal(doc.statements[0].id, "253EURNL26VAYB8060476890");
    assert_string_equal(doc.statements[0].iban, "NL26VAYB8060476890");
    assert_int_equal(doc.entry_count, 1);
    const camt_entry *e = &doc.entries[0];
    assert_true(e->credit && e->booked && !e->reversal);
    assert_int_equal(e->amount_minor, 885);
    assert_string_equal(e->currency, "EUR");
    assert_string_equal(e->booking_date, "2014-12-31");
    assert_string_equal(e->ref, "");
    assert_string_equal(e->remittance, "4654654654654654");
    assert_string_equal(e->debtor_name, "NAME NAME");
    assert_string_equal(e->debtor_iban, "NL56AGDH9619008421");
}

static void test_v2_multi(void **state)
{
    (void)state;
    assert_true(parse_file(DATA "sample.v2.multi-statement.xml"));
    assert_int_equal(doc.statement_count, 2);
    assert_int_equal(doc.entry_count, 2);
    assert_int_equal(doc.statements[0].entry_count, 1);
    assert_int_equal(doc.statements[1].first_entry, 1);
    assert_int_equal(doc.statements[1].entry_count, 1);
    assert_string_equal(doc.statements[1].id, "254EURNL26VAYB8060476890");
    assert_string_equal(doc.entries[0].remittance, "Transaction Description 1");
    assert_true(doc.entries[0].credit);
    assert_int_equal(doc.entries[1].amount_minor, 700);
    assert_false(doc.entries[1].credit);
    assert_string_equal(doc.entries[1].remittance, "Transaction Description 2");
}

static void test_v8(void **state)
{
    (void)state;
    assert_true(parse_file(DATA "v8.multi.xml"));
    assert_int_equal(doc.version, 8);
    assert_int_equal(doc.statement_count, 2);
    assert_int_equal(doc.entry_count, 4);
    const camt_entry *e = doc.entries;
    assert_int_equal(e[0].amount_minor, 1234);
    assert_string_equal(e[0].ref, "BANKREF-0001");
    assert_string_equal(e[0].remittance, "RF89SALDO00000042");
    assert_string_equal(e[0].debtor_name, "Mario Rossi");
    assert_string_equal(e[0].debtor_iban, "DE89370400440532013000");
    assert_int_equal(e[1].amount_minor, 1500); /* JPY: no decimals */
    assert_string_equal(e[1].currency, "JPY");
    assert_string_equal(e[1].booking_date, "2026-11-20");
    assert_string_equal(e[1].remittance, "invoice 7 rf89 sald o000 0004 2 thanks");
    assert_int_equal(e[2].amount_minor, 7125); /* KWD: three decimals */
    assert_false(e[2].credit);
    assert_false(e[3].booked);
    assert_string_equal(e[3].remittance, "pending");
}

#define DOC_HEAD "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>" \
                 "<Stmt><Id>S1</Id><Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id></Acct>"
#define DOC_TAIL "</Stmt></BkToCstmrStmt></Document>"
#define ENTRY(amt, ind) "<Ntry><Amt Ccy=\"EUR\">" amt "</Amt><CdtDbtInd>" ind "</CdtDbtInd><Sts>BOOK</Sts></Ntry>"

static void test_amounts(void **state)
{
    (void)state;
    assert_true(parse(DOC_HEAD ENTRY("10", "CRDT") ENTRY("10.5", "CRDT") ENTRY("10.500", "DBIT") DOC_TAIL));
    assert_int_equal(doc.entries[0].amount_minor, 1000);
    assert_int_equal(doc.entries[1].amount_minor, 1050);
    assert_int_equal(doc.entries[2].amount_minor, 1050); /* trailing zeros past the cents */
    assert_false(parse(DOC_HEAD ENTRY("10.505", "CRDT") DOC_TAIL));
    assert_string_equal(err, "entry 1 of statement 'S1': amount '10.505' has too many decimals for EUR");
    const char *bad[] = {"-1.00", "0", "0.00", "1e3", "1,00", " ", "", "99999999999999999999.00", "0x10", ".5", "10."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, DOC_HEAD ENTRY("%s", "CRDT") DOC_TAIL, bad[i]);
        assert_false(parse(text));
        assert_non_null(strstr(err, "is not a positive decimal"));
    }
    assert_false(parse(DOC_HEAD "<Ntry><Amt Ccy=\"XYZ\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>" DOC_TAIL));
    assert_string_equal(err, "entry 1 of statement 'S1': unknown currency 'XYZ'");
    assert_false(parse(DOC_HEAD "<Ntry><Amt>1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>" DOC_TAIL));
    assert_string_equal(err, "entry 1 of statement 'S1': unknown currency ''");
}

static void test_malformed(void **state)
{
    (void)state;
    assert_false(parse(DOC_HEAD ENTRY("1.00", "CRED") DOC_TAIL));
    assert_string_equal(err, "entry 1 of statement 'S1': credit/debit indicator 'CRED' is neither CRDT nor DBIT");
    assert_false(parse(DOC_HEAD "<Ntry><Amt Ccy=\"EUR\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>" DOC_TAIL));
    assert_string_equal(err, "entry 1 of statement 'S1': no status");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
                       "<Stmt><Id>S1</Id><Acct><Id><IBAN>NL27VAYB8060476890</IBAN></Id></Acct>" DOC_TAIL));
    assert_string_equal(err, "statement 'S1': account IBAN: check digits do not match");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
                       "<Stmt><Acct><Id><IBAN>NL26VAYB8060476890</IBAN></Id></Acct>" DOC_TAIL));
    assert_string_equal(err, "statement 1: missing or too long Id");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
                       "<Stmt><Id>S1</Id>" DOC_TAIL));
    assert_string_equal(err, "statement 'S1': no account IBAN");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>"));
    assert_string_equal(err, "no statement in the document");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\"/>"));
    assert_string_equal(err, "not a camt.053 statement (version 001.02 or 001.08)");
    assert_false(parse("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><X/></Document>"));
    assert_string_equal(err, "not a camt.053 statement: no Document/BkToCstmrStmt");
    assert_false(parse("<Document"));
    assert_non_null(strstr(err, "malformed XML at line 1"));
    assert_false(parse(""));
    assert_false(parse_file(DATA "../eurofxref-daily.sample.xml"));
}

static void test_hostile(void **state)
{
    (void)state;
    assert_false(parse("<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                       "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&x;</Document>"));
    assert_string_equal(err, "DOCTYPE not allowed");
    assert_false(parse("<!DOCTYPE d SYSTEM \"http://example.com/x.dtd\"><Document/>"));
    assert_string_equal(err, "DOCTYPE not allowed");
    char *big = malloc(CAMT_INPUT_BYTES_MAX + 2);
    assert_non_null(big);
    memset(big, ' ', CAMT_INPUT_BYTES_MAX + 1);
    assert_false(camt053_parse(big, CAMT_INPUT_BYTES_MAX + 1, &doc, err, sizeof err));
    assert_non_null(strstr(err, "input larger than"));
    free(big);
    char ref[128];
    memset(ref, 'A', 40);
    ref[40] = '\0';
    char text[1024];
    snprintf(text, sizeof text, DOC_HEAD "<Ntry><Amt Ccy=\"EUR\">1</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
             "<AcctSvcrRef>%s</AcctSvcrRef></Ntry>" DOC_TAIL, ref);
    assert_false(parse(text));
    assert_string_equal(err, "entry 1 of statement 'S1': entry reference longer than 35 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v2_minimal),
        cmocka_unit_test(test_v2_multi),
        cmocka_unit_test(test_v8),
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
