/* test_vat.c - the VAT decision for each case of docs/VAT.md (domestic,
 * EU business reverse charged, EU consumer at the buyer country's rate with
 * a rate change, outside the EU, unknown country, a date before any rate),
 * the mentions, and the arithmetic: VAT of an amount half up, totals per rate
 * rounded once (where rounding each line would give another total). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/vat.h"

typedef struct rate_row {
    const char *country, *from;
    int rate_bp;
} rate_row;

/* Rows of a country in date order; AT has no rate before 2020. */
static const rate_row rows[] = {
    {"IT", "0000-01-01", 2200}, {"DE", "0000-01-01", 1900}, {"FR", "0000-01-01", 2000},
    {"FR", "2027-01-01", 2100}, {"AT", "2020-01-01", 2000},
};

static int lookup_calls;

static int lookup(void *ctx, const char *country, const char *date)
{
    assert_ptr_equal(ctx, rows);
    lookup_calls++;
    int rate = -1;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (!strcmp(rows[i].country, country) && strcmp(rows[i].from, date) <= 0)
            rate = rows[i].rate_bp;
    return rate;
}

static vat_status decide(const char *seller, const char *buyer, bool business, bool electronic, const char *date,
                         vat_decision *d)
{
    vat_sale s = {seller, buyer, business, electronic, date};
    return vat_decide(&s, lookup, (void *)rows, d);
}

static void test_domestic(void **state)
{
    (void)state;
    vat_decision d;
    for (int business = 0; business < 2; business++) {
        assert_int_equal(decide("IT", "IT", business, true, "2026-11-22", &d), VAT_OK);
        assert_int_equal(d.scheme, VAT_SCHEME_DOMESTIC);
        assert_int_equal(d.rate_bp, 2200);
        assert_string_equal(d.rate_country, "IT");
        assert_int_equal(d.mention, VAT_MENTION_NONE);
        assert_null(d.mention_text);
    }
}

static void test_eu_business_reverse_charge(void **state)
{
    (void)state;
    vat_decision d;
    lookup_calls = 0;
    assert_int_equal(decide("IT", "DE", true, true, "2026-11-22", &d), VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_REVERSE_CHARGE);
    assert_int_equal(d.rate_bp, 0);
    assert_string_equal(d.rate_country, "");
    assert_int_equal(d.mention, VAT_MENTION_REVERSE_CHARGE);
    assert_string_equal(d.mention_text, "Reverse charge – Art. 196 Directive 2006/112/EC");
    assert_int_equal(lookup_calls, 0);
    /* A seller of another member state cites the Directive only. */
    assert_int_equal(decide("DE", "IT", true, false, "2026-11-22", &d), VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_REVERSE_CHARGE);
    assert_non_null(strstr(d.mention_text, "customer accounts for the VAT"));
}

static void test_eu_consumer_at_buyer_rate(void **state)
{
    (void)state;
    vat_decision d;
    assert_int_equal(decide("IT", "DE", false, true, "2026-11-22", &d), VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_OSS);
    assert_int_equal(d.rate_bp, 1900);
    assert_string_equal(d.rate_country, "DE");
    assert_int_equal(d.mention, VAT_MENTION_NONE);
    /* FR changes its rate on 2027-01-01: the day before, the old one. */
    assert_int_equal(decide("IT", "FR", false, true, "2026-12-31", &d), VAT_OK);
    assert_int_equal(d.rate_bp, 2000);
    assert_int_equal(decide("IT", "FR", false, true, "2027-01-01", &d), VAT_OK);
    assert_int_equal(d.rate_bp, 2100);
    assert_string_equal(d.rate_country, "FR");
    /* Not an e-service: taxed where the seller is (Art. 45). */
    assert_int_equal(decide("IT", "FR", false, false, "2027-01-01", &d), VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_DOMESTIC);
    assert_int_equal(d.rate_bp, 2200);
    assert_string_equal(d.rate_country, "IT");
}

static void test_outside_eu(void **state)
{
    (void)state;
    vat_decision d;
    const char *buyers[] = {"CH", "US", "GB"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(decide("IT", buyers[i], true, true, "2026-11-22", &d), VAT_OK);
        assert_int_equal(d.scheme, VAT_SCHEME_NOT_SUBJECT);
        assert_int_equal(d.rate_bp, 0);
        assert_string_equal(d.mention_text, "Not subject to VAT – art. 7-ter DPR 633/72");
        assert_int_equal(decide("IT", buyers[i], false, true, "2026-11-22", &d), VAT_OK);
        assert_int_equal(d.scheme, VAT_SCHEME_NOT_SUBJECT);
        assert_int_equal(d.mention, VAT_MENTION_NOT_SUBJECT_ESERV);
        assert_string_equal(d.mention_text, "Not subject to VAT – art. 7-octies DPR 633/72");
    }
    /* A consumer outside the EU buying an ordinary service: where the seller is. */
    assert_int_equal(decide("IT", "US", false, false, "2026-11-22", &d), VAT_OK);
    assert_int_equal(d.scheme, VAT_SCHEME_DOMESTIC);
    assert_int_equal(d.rate_bp, 2200);
    assert_int_equal(decide("FR", "CH", true, true, "2026-11-22", &d), VAT_OK);
    assert_non_null(strstr(d.mention_text, "Art. 44 Directive"));
}

static void test_refusals(void **state)
{
    (void)state;
    vat_decision d;
    assert_int_equal(decide("IT", "XX", false, true, "2026-11-22", &d), VAT_UNKNOWN_COUNTRY);
    assert_int_equal(decide("IT", "it", false, true, "2026-11-22", &d), VAT_UNKNOWN_COUNTRY);
    assert_int_equal(decide("IT", NULL, false, true, "2026-11-22", &d), VAT_UNKNOWN_COUNTRY);
    assert_int_equal(decide("CH", "IT", false, true, "2026-11-22", &d), VAT_SELLER_NOT_EU);
    assert_int_equal(decide("IT", "AT", false, true, "2019-12-31", &d), VAT_NO_RATE);
    assert_int_equal(d.rate_bp, 0);
    assert_int_equal(decide("IT", "AT", false, true, "2020-01-01", &d), VAT_OK);
    assert_int_equal(d.rate_bp, 2000);
    assert_int_equal(decide("IT", "PL", false, true, "2026-11-22", &d), VAT_NO_RATE); /* no row at all */
    assert_int_equal(decide("IT", "PL", true, true, "2026-11-22", &d), VAT_OK);       /* 0% by rule: no rate needed */
    assert_string_equal(vat_status_name(VAT_NO_RATE), "no_rate");
    assert_string_equal(vat_scheme_name(VAT_SCHEME_OSS), "oss");
    assert_string_equal(vat_mention_name(VAT_MENTION_NOT_SUBJECT_ESERV), "not_subject_eservice");
}

static void test_amount_half_up(void **state)
{
    (void)state;
    int64_t v;
    assert_true(vat_amount(1000, 2200, &v)); /* 10.00 at 22% */
    assert_int_equal(v, 220);
    assert_true(vat_amount(25, 2200, &v)); /* 5.5 -> 6 */
    assert_int_equal(v, 6);
    assert_true(vat_amount(2, 2200, &v)); /* 0.44 -> 0 */
    assert_int_equal(v, 0);
    assert_true(vat_amount(-25, 2200, &v)); /* a credit: halves away from zero */
    assert_int_equal(v, -6);
    assert_true(vat_amount(INT64_MAX, 3000, &v));
    assert_int_equal(v, INT64_MAX / 10 * 3 + 2); /* exact, no overflow */
    assert_false(vat_amount(100, 3001, &v));
    assert_false(vat_amount(100, -1, &v));
}

static void test_totals_per_rate(void **state)
{
    (void)state;
    /* Three lines of 0.25 at 22%: each line's VAT would round 5.5 -> 6 (18 in
     * all); on the total of 0.75 it is 16.5 -> 17. The rule is per rate. */
    vat_line lines[] = {{2200, 25}, {0, 5000}, {2200, 25}, {1000, 999}, {2200, 25}};
    vat_total t[VAT_TOTALS_MAX];
    size_t n;
    assert_true(vat_totals(lines, 5, t, &n));
    assert_int_equal(n, 3);
    assert_int_equal(t[0].rate_bp, 2200);
    assert_int_equal(t[0].net_minor, 75);
    assert_int_equal(t[0].vat_minor, 17);
    int64_t per_line = 0, v;
    for (int i = 0; i < 3; i++) {
        assert_true(vat_amount(25, 2200, &v));
        per_line += v;
    }
    assert_int_equal(per_line, 18);
    assert_int_equal(t[1].rate_bp, 1000);
    assert_int_equal(t[1].vat_minor, 100); /* 99.9 -> 100 */
    assert_int_equal(t[2].rate_bp, 0);
    assert_int_equal(t[2].net_minor, 5000);
    assert_int_equal(t[2].vat_minor, 0);
    assert_true(vat_totals(NULL, 0, t, &n));
    assert_int_equal(n, 0);
}

static void test_totals_refusals(void **state)
{
    (void)state;
    vat_total t[VAT_TOTALS_MAX];
    size_t n;
    vat_line overflow[] = {{2200, INT64_MAX}, {2200, 1}};
    assert_false(vat_totals(overflow, 2, t, &n));
    vat_line bad_rate[] = {{3100, 1}};
    assert_false(vat_totals(bad_rate, 1, t, &n));
    vat_line many[VAT_TOTALS_MAX + 1];
    for (int i = 0; i <= VAT_TOTALS_MAX; i++)
        many[i] = (vat_line){i * 100, 1};
    assert_false(vat_totals(many, VAT_TOTALS_MAX + 1, t, &n));
    assert_true(vat_totals(many, VAT_TOTALS_MAX, t, &n));
    assert_int_equal(n, VAT_TOTALS_MAX);
    for (size_t i = 1; i < n; i++)
        assert_true(t[i - 1].rate_bp > t[i].rate_bp);
}

static void test_rate_text(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int bp;
        const char *shown;
    } ok[] = {{"22", 2200, "22"}, {"25.5", 2550, "25.5"}, {"19.60", 1960, "19.6"}, {"0", 0, "0"},
              {"30", 3000, "30"}, {"8.25", 825, "8.25"}, {"007", 700, "7"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int bp = -1;
        char shown[8];
        assert_true(vat_rate_parse(ok[i].text, &bp));
        assert_int_equal(bp, ok[i].bp);
        vat_rate_text(bp, shown);
        assert_string_equal(shown, ok[i].shown);
    }
    static const char *const bad[] = {"", "30.01", "31", "-1", "+5", "2.", ".5", "2.555", "22%", " 22", "1e1",
                                      "1000", "abc", "25,5" /* the API takes a point only */, NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int bp = -7;
        assert_false(vat_rate_parse(bad[i], &bp));
        assert_int_equal(bp, -7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domestic),         cmocka_unit_test(test_eu_business_reverse_charge),
        cmocka_unit_test(test_eu_consumer_at_buyer_rate), cmocka_unit_test(test_outside_eu),
        cmocka_unit_test(test_refusals),         cmocka_unit_test(test_amount_half_up),
        cmocka_unit_test(test_totals_per_rate),  cmocka_unit_test(test_totals_refusals),
        cmocka_unit_test(test_rate_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
