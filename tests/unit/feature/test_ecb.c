/* test_ecb.c - the ECB eurofxref parser on the published sample and on
 * inputs that must fail: hostile XML (DOCTYPE, entities), wrong structure,
 * bad dates, unknown currencies, invalid rates, limits. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "feature/fx/ecb.h"

#define SAMPLE_PATH "tests/unit/feature/data/eurofxref-daily.sample.xml"

static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run the tests from the repository root)", path);
    static char data[64 * 1024];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    assert_true(len > 0 && len < sizeof data);
    *len_out = len;
    return data;
}

static void test_sample(void **state)
{
    (void)state;
    size_t len;
    const char *data = read_file(SAMPLE_PATH, &len);
    static ecb_rates r;
    char err[200];
    if (!ecb_parse(data, len, &r, err, sizeof err))
        fail_msg("sample rejected: %s", err);
    assert_string_equal(err, "");
    assert_string_equal(r.date, "2026-11-20");
    assert_int_equal(r.count, 14);
    assert_ptr_equal(r.rates[0].cur, currency_find("USD"));
    assert_true(r.rates[0].rate.units == INT64_C(1156200000000));
    assert_ptr_equal(r.rates[13].cur, currency_find("CNY"));
    assert_true(r.rates[13].rate.units == INT64_C(8214700000000));
    const ecb_rate *jpy = ecb_rates_find(&r, currency_find("JPY"));
    assert_non_null(jpy);
    assert_true(jpy->rate.units == INT64_C(178410000000000));
    assert_true(ecb_rates_find(&r, currency_find("GBP"))->rate.units == INT64_C(878150000000));
    assert_null(ecb_rates_find(&r, currency_find("AUD")));
    /* The quotes feed fx directly: 100.00 EUR = 115.62 USD. */
    money usd;
    assert_int_equal(fx_convert(money_make(10000, currency_find("EUR")), r.rates[0].rate,
                                r.rates[0].cur, ROUND_HALF_EVEN, &usd),
                     MONEY_OK);
    assert_true(usd.minor == 11562);
}

/* A well-formed envelope around `cubes` (the content of the outer Cube). */
static void wrap(char *out, size_t size, const char *cubes)
{
    int n = snprintf(out, size,
                     "<?xml version='1.0' encoding='UTF-8'?>\n"
                     "<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01' "
                     "xmlns='http://www.ecb.int/vocabulary/2002-08-01/eurofxref'>\n"
                     "<gesmes:subject>Reference rates</gesmes:subject>\n"
                     "<Cube>%s</Cube>\n</gesmes:Envelope>\n",
                     cubes);
    assert_true(n > 0 && (size_t)n < size);
}

/* Parses text and expects failure with `want` inside the message. */
static void expect_fail(const char *text, const char *want)
{
    static ecb_rates r;
    char err[256];
    if (ecb_parse(text, strlen(text), &r, err, sizeof err))
        fail_msg("accepted, expected '%s':\n%s", want, text);
    if (!strstr(err, want))
        fail_msg("message '%s' lacks '%s'", err, want);
}

static void expect_day_fail(const char *day_cube, const char *want)
{
    static char doc[16 * 1024];
    wrap(doc, sizeof doc, day_cube);
    expect_fail(doc, want);
}

static void test_minimal_document(void **state)
{
    (void)state;
    static char doc[4096];
    static ecb_rates r;
    char err[128];
    wrap(doc, sizeof doc,
         "<Cube time='2024-02-29'><Cube currency='CHF' rate='0.9251'/>"
         "<!-- a comment --><Cube currency='BHD' rate=\"0.41\"></Cube></Cube>");
    assert_true(ecb_parse(doc, strlen(doc), &r, err, sizeof err));
    assert_string_equal(r.date, "2024-02-29");
    assert_int_equal(r.count, 2);
    assert_ptr_equal(r.rates[1].cur, currency_find("BHD"));
    assert_true(r.rates[1].rate.units == INT64_C(410000000000));
}

static void test_hostile_xml(void **state)
{
    (void)state;
    expect_fail("", "malformed XML");
    expect_fail("not xml at all", "malformed XML");
    expect_fail("<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'>",
                "malformed XML");
    expect_fail("<?xml version='1.0'?>\n<!DOCTYPE lolz [<!ENTITY lol 'lol'>"
                "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>\n"
                "<lolz>&lol2;</lolz>",
                "DOCTYPE not allowed");
    expect_fail("<?xml version='1.0'?>\n<!DOCTYPE x SYSTEM 'file:///etc/passwd'>\n<x/>",
                "DOCTYPE not allowed");
    expect_fail("<!DOCTYPE x SYSTEM 'http://example.invalid/x.dtd'><x/>",
                "DOCTYPE not allowed");
    /* Without a DTD an entity reference is undeclared, never fetched. */
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='&ext;'/></Cube>",
                    "malformed XML");
    static char big[ECB_INPUT_BYTES_MAX + 2];
    memset(big, ' ', sizeof big - 1);
    static ecb_rates r;
    char err[128];
    assert_false(ecb_parse(big, sizeof big - 1, &r, err, sizeof err));
    assert_non_null(strstr(err, "input larger than"));
}

static void test_wrong_structure(void **state)
{
    (void)state;
    expect_fail("<Envelope/>", "root element is not gesmes:Envelope");
    expect_fail("<gesmes:Envelope xmlns:gesmes='urn:other'/>", "root element");
    expect_fail("<gesmes:Envelope xmlns:gesmes='http://www.gesmes.org/xml/2002-08-01'>"
                "<Cube/></gesmes:Envelope>",
                "no Cube in Envelope"); /* Cube without the eurofxref namespace */
    expect_day_fail("", "no Cube in the outer Cube");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='1.1'/></Cube>"
                    "<Cube time='2026-11-19'><Cube currency='USD' rate='1.2'/></Cube>",
                    "more than one Cube");
    expect_day_fail("<Other/>", "unexpected element <Other>");
    expect_day_fail("<Cube time='2026-11-20'><Rate currency='USD' rate='1'/></Cube>",
                    "unexpected element <Rate>");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='1'><Cube/></Cube>"
                    "</Cube>",
                    "unexpected element inside rate Cube");
    expect_day_fail("<Cube time='2026-11-20'></Cube>", "no rates for 2026-11-20");
}

static void test_bad_dates(void **state)
{
    (void)state;
    const char *dates[] = {"2026-02-29", "2023-02-29", "1900-02-29", "2026-13-01",
                           "2026-00-10", "2026-04-31", "2026-11-00", "26-11-20",
                           "2026/11/20", "2026-11-20T00:00", "1998-12-31", "",
                           "2026-1-20", "2026-11-2a", " 2026-11-20"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        char day[128];
        snprintf(day, sizeof day, "<Cube time='%s'><Cube currency='USD' rate='1'/></Cube>",
                 dates[i]);
        expect_day_fail(day, "invalid date");
    }
    expect_day_fail("<Cube><Cube currency='USD' rate='1'/></Cube>",
                    "missing attribute 'time'");
    expect_day_fail("<Cube time='2000-02-29-2000-02-29-2000-02-29-2000-02-29-2000-02-29'>"
                    "<Cube currency='USD' rate='1'/></Cube>",
                    "attribute 'time' too long");
}

static void test_bad_rates(void **state)
{
    (void)state;
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='XYZ' rate='1'/></Cube>",
                    "unknown currency code 'XYZ'");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='usd' rate='1'/></Cube>",
                    "unknown currency code 'usd'");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='XAU' rate='1'/></Cube>",
                    "unknown currency code 'XAU'");
    /* Non-ASCII in a message is replaced, never copied raw. */
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='\xC3\xA9Z' rate='1'/></Cube>",
                    "unknown currency code '??Z'");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='EUR' rate='1'/></Cube>",
                    "EUR quoted against itself");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='1'/>"
                    "<Cube currency='USD' rate='1.1'/></Cube>",
                    "currency USD quoted twice");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='0'/></Cube>",
                    "invalid rate '0' for USD");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='-1.1'/></Cube>",
                    "invalid rate '-1.1' for USD");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='1,1562'/></Cube>",
                    "not a valid amount");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate='1.0000000000001'/>"
                    "</Cube>",
                    "too many decimals");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD' rate=' 1.1'/></Cube>",
                    "invalid rate");
    expect_day_fail("<Cube time='2026-11-20'><Cube currency='USD'/></Cube>",
                    "missing attribute 'rate'");
    expect_day_fail("<Cube time='2026-11-20'><Cube rate='1'/></Cube>",
                    "missing attribute 'currency'");
}

static void test_too_many_rates(void **state)
{
    (void)state;
    static char day[16 * 1024];
    size_t len = (size_t)snprintf(day, sizeof day, "<Cube time='2026-11-20'>");
    size_t added = 0;
    for (size_t i = 0; added <= ECB_RATES_MAX; i++) {
        const currency *c = currency_at(i);
        if (strcmp(c->code, "EUR") == 0)
            continue;
        len += (size_t)snprintf(day + len, sizeof day - len,
                                "<Cube currency='%s' rate='1.5'/>", c->code);
        added++;
        assert_true(len < sizeof day - 16);
    }
    memcpy(day + len, "</Cube>", 8);
    expect_day_fail(day, "more than 64 rates");
}

static void test_error_buffer_limits(void **state)
{
    (void)state;
    static ecb_rates r;
    char err[8];
    memset(err, 'x', sizeof err);
    assert_false(ecb_parse("junk", 4, &r, err, sizeof err));
    assert_int_equal(strlen(err), sizeof err - 1); /* truncated, terminated */
    assert_false(ecb_parse("junk", 4, &r, NULL, 0));
    assert_false(ecb_parse(NULL, 0, &r, err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_minimal_document),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_wrong_structure),
        cmocka_unit_test(test_bad_dates),
        cmocka_unit_test(test_bad_rates),
        cmocka_unit_test(test_too_many_rates),
        cmocka_unit_test(test_error_buffer_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
