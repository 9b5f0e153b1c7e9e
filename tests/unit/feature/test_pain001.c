/* test_pain001.c - the pain.001 writer: amounts with exactly two decimals from
 * minor units, XML escaping and cutting of free text (never inside a UTF-8
 * character), and the totals and elements of a whole document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <string.h>

#include "feature/withdrawals/pain001.h"

static void test_amounts(void **state)
{
    (void)state;
    char out[24];
    const struct { int64_t minor; const char *text; } cases[] = {
        {0, "0.00"}, {1, "0.01"}, {5, "0.05"}, {10, "0.10"}, {99, "0.99"}, {100, "1.00"},
        {12345, "123.45"}, {100000, "1000.00"}, {INT64_C(1000000000000000), "10000000000000.00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pain001_amount(cases[i].minor, out, sizeof out);
        assert_string_equal(out, cases[i].text);
    }
}

static const char *text(const char *s, size_t max)
{
    static buf b;
    buf_free(&b);
    buf_init(&b, 0);
    assert_true(pain001_put_text(&b, s, max));
    return b.data ? buf_cstr(&b) : "";
}

static void test_escaping(void **state)
{
    (void)state;
    assert_string_equal(text("Rossi & Figli <srl> \"x\" 'y'", 70),
                        "Rossi &amp; Figli &lt;srl&gt; &quot;x&quot; &apos;y&apos;");
    assert_string_equal(text("a\tb\nc", 70), "a b c"); /* no control characters in XML 1.0 text */
    assert_string_equal(text("Zoë", 70), "Zoë");
    assert_string_equal(text("", 70), "");
}

static void test_cut_by_characters(void **state)
{
    (void)state;
    assert_string_equal(text("abcdef", 3), "abc");
    assert_string_equal(text("ëëëë", 2), "ëë"); /* two characters, four bytes */
    assert_string_equal(text("a&b", 2), "a&amp;"); /* an escape counts as one character */
    assert_string_equal(text("ab\xC3", 10), "ab"); /* a cut sequence at the end is dropped */
}

static void test_document(void **state)
{
    (void)state;
    pain001_tx tx[] = {
        {"SALDO-W-1", 12345, "Mario <Rossi>", "DE89370400440532013000", "SALDO-W-1 note"},
        {"SALDO-W-2", 5, "Anna", "IT60X0542811101000000123456", "SALDO-W-2"},
    };
    pain001_head h = {"SALDO-CT-1-0", 1763776800, "Saldo & Co", "IT60X0542811101000000123456", ""};
    buf b;
    buf_init(&b, 0);
    assert_true(pain001_write(&b, &h, tx, 2));
    const char *x = buf_cstr(&b);
    assert_non_null(strstr(x, "<GrpHdr><MsgId>SALDO-CT-1-0</MsgId><CreDtTm>2025-11-22T03:00:00</CreDtTm>"
                              "<NbOfTxs>2</NbOfTxs><CtrlSum>123.50</CtrlSum><InitgPty><Nm>Saldo &amp; Co</Nm>"));
    assert_non_null(strstr(x, "<ReqdExctnDt>2025-11-22</ReqdExctnDt>")); /* 02:00 UTC is 03:00 in Rome */
    assert_non_null(strstr(x, "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>"));
    assert_non_null(strstr(x, "<EndToEndId>SALDO-W-1</EndToEndId></PmtId><Amt><InstdAmt Ccy=\"EUR\">123.45</InstdAmt>"));
    assert_non_null(strstr(x, "<Cdtr><Nm>Mario &lt;Rossi&gt;</Nm></Cdtr>"));
    assert_non_null(strstr(x, "<InstdAmt Ccy=\"EUR\">0.05</InstdAmt>"));
    buf_free(&b);
    h.debtor_bic = "BPMOIT22XXX";
    buf_init(&b, 0);
    assert_true(pain001_write(&b, &h, tx, 1));
    assert_non_null(strstr(buf_cstr(&b), "<DbtrAgt><FinInstnId><BIC>BPMOIT22XXX</BIC></FinInstnId></DbtrAgt>"));
    assert_non_null(strstr(buf_cstr(&b), "<CtrlSum>123.45</CtrlSum>"));
    buf_free(&b);
    /* a file made at 23:30 UTC on 31 December asks for 1 January: the day in Rome */
    h.created_at = 1767223800; /* 2025-12-31T23:30:00Z */
    buf_init(&b, 0);
    assert_true(pain001_write(&b, &h, tx, 1));
    assert_non_null(strstr(buf_cstr(&b), "<CreDtTm>2026-01-01T00:30:00</CreDtTm>"));
    assert_non_null(strstr(buf_cstr(&b), "<ReqdExctnDt>2026-01-01</ReqdExctnDt>"));
    buf_free(&b);
}

static void test_limit_reached(void **state)
{
    (void)state;
    pain001_tx tx = {"SALDO-W-1", 100, "A", "DE89370400440532013000", "r"};
    pain001_head h = {"M", 0, "P", "IT60X0542811101000000123456", ""};
    buf b;
    buf_init(&b, 100);
    assert_false(pain001_write(&b, &h, &tx, 1));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amounts),          cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_cut_by_characters), cmocka_unit_test(test_document),
        cmocka_unit_test(test_limit_reached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
