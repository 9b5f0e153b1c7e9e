/* test_zone.c - local time in a zone to UTC and back, at the edges of the EU
 * summer time: the last Sunday of March (02:00-02:59 does not exist in Rome)
 * and of October (02:00-02:59 happens twice: the first, summer one is taken),
 * in other zones and years, and the malformed inputs refused; and the local
 * day of an instant, the date documents carry, around midnight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/zone.h"

/* UTC seconds of a UTC date and time (2026 and 2027 only: enough here). */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = (int64_t)(y - 1970) * 365 + (y - 1969) / 4 + before[mo - 1] + d - 1;
    return days * 86400 + h * 3600 + mi * 60;
}

static void parse_is(const char *text, const char *zone, int64_t want)
{
    int64_t got = 0;
    assert_true(zone_parse_local(text, zone, &got));
    assert_int_equal(got, want);
}

static void shows(int64_t t, const char *zone, const char *want)
{
    char out[64];
    zone_format(t, zone, out, sizeof out);
    assert_string_equal(out, want);
}

static void test_spring_edge(void **state)
{
    (void)state;
    parse_is("2026-03-29T01:59", "Europe/Rome", utc(2026, 3, 29, 0, 59));
    shows(utc(2026, 3, 29, 0, 59), "Europe/Rome", "2026-03-29 01:59 CET");
    int64_t t;
    assert_false(zone_parse_local("2026-03-29T02:00", "Europe/Rome", &t));
    assert_false(zone_parse_local("2026-03-29T02:59", "Europe/Rome", &t));
    parse_is("2026-03-29T03:00", "Europe/Rome", utc(2026, 3, 29, 1, 0));
    shows(utc(2026, 3, 29, 1, 0), "Europe/Rome", "2026-03-29 03:00 CEST");
    parse_is("2027-03-28T03:30", "Europe/Rome", utc(2027, 3, 28, 1, 30));
    assert_false(zone_parse_local("2027-03-28T02:30", "Europe/Rome", &t));
    parse_is("2026-03-29T00:30", "Europe/London", utc(2026, 3, 29, 0, 30));
    assert_false(zone_parse_local("2026-03-29T01:30", "Europe/London", &t)); /* London skips 01:00-01:59 */
    parse_is("2026-03-29T02:30", "Europe/Athens", utc(2026, 3, 29, 0, 30)); /* still EET */
    assert_false(zone_parse_local("2026-03-29T03:30", "Europe/Athens", &t)); /* Athens skips 03:00-03:59 */
}

static void test_autumn_edge(void **state)
{
    (void)state;
    parse_is("2026-10-25T01:59", "Europe/Rome", utc(2026, 10, 24, 23, 59));
    parse_is("2026-10-25T02:30", "Europe/Rome", utc(2026, 10, 25, 0, 30)); /* the first 02:30 */
    shows(utc(2026, 10, 25, 0, 30), "Europe/Rome", "2026-10-25 02:30 CEST");
    shows(utc(2026, 10, 25, 1, 30), "Europe/Rome", "2026-10-25 02:30 CET"); /* the second */
    parse_is("2026-10-25T03:00", "Europe/Rome", utc(2026, 10, 25, 2, 0));
    shows(utc(2026, 10, 25, 2, 0), "Europe/Rome", "2026-10-25 03:00 CET");
    parse_is("2026-10-25 01:30:15", "Europe/London", utc(2026, 10, 25, 0, 30) + 15);
    shows(utc(2026, 10, 25, 1, 30), "Europe/London", "2026-10-25 01:30 GMT");
}

static void test_other_zones(void **state)
{
    (void)state;
    parse_is("2026-07-01T12:00", "UTC", utc(2026, 7, 1, 12, 0));
    parse_is("2026-03-29T02:30", "UTC", utc(2026, 3, 29, 2, 30));
    shows(utc(2026, 7, 1, 12, 0), "UTC", "2026-07-01 12:00 UTC");
    parse_is("2026-01-15T10:00", "Europe/Athens", utc(2026, 1, 15, 8, 0));
    shows(utc(2026, 7, 1, 9, 0), "Europe/Athens", "2026-07-01 12:00 EEST");
    assert_true(zone_known("Europe/Rome"));
    assert_false(zone_known("Mars/Olympus"));
    assert_false(zone_known(NULL));
}

static void test_malformed(void **state)
{
    (void)state;
    int64_t t;
    const char *bad[] = {"", "2026-03-29", "2026-3-29T10:00", "2026-03-29T10:00Z", "2026-03-29T24:00",
                         "2026-13-01T10:00", "2026-02-30T10:00", "2026-04-31T10:00", "2026-03-29T10:60",
                         "2026-03-29T10:00:60", "1969-12-31T23:00", "2026-03-29X10:00", "yesterday at ten"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(zone_parse_local(bad[i], "Europe/Rome", &t));
    assert_false(zone_parse_local("2026-03-29T10:00", "Mars/Olympus", &t));
    parse_is("2028-02-29T10:00", "UTC", utc(2028, 2, 29, 10, 0));
}

/* Expects the day of the UTC instant in zone. */
static void day_is(int64_t t, const char *zone, const char *want)
{
    char out[11] = "";
    assert_true(zone_date_text(t, zone, out));
    assert_string_equal(out, want);
}

static void test_local_day(void **state)
{
    (void)state;
    /* New Year's night: already 2027 in Rome (CET, +1), still 2026 in UTC and London */
    day_is(utc(2026, 12, 31, 23, 30), "Europe/Rome", "2027-01-01");
    day_is(utc(2026, 12, 31, 23, 30), "UTC", "2026-12-31");
    day_is(utc(2026, 12, 31, 23, 30), "Europe/London", "2026-12-31");
    day_is(utc(2026, 12, 31, 22, 59), "Europe/Rome", "2026-12-31");
    day_is(utc(2026, 12, 31, 22, 0), "Europe/Athens", "2027-01-01");
    /* summer time: +2 in Rome, +1 in London */
    day_is(utc(2026, 7, 31, 21, 59), "Europe/Rome", "2026-07-31");
    day_is(utc(2026, 7, 31, 22, 0), "Europe/Rome", "2026-08-01");
    day_is(utc(2026, 6, 30, 23, 0), "Europe/London", "2026-07-01");
    /* the night summer time starts (29 March 2026): midnight is still CET */
    day_is(utc(2026, 3, 28, 22, 59), "Europe/Rome", "2026-03-28");
    day_is(utc(2026, 3, 28, 23, 0), "Europe/Rome", "2026-03-29");
    /* and ends (25 October 2026): midnight is still CEST */
    day_is(utc(2026, 10, 24, 21, 59), "Europe/Rome", "2026-10-24");
    day_is(utc(2026, 10, 24, 22, 0), "Europe/Rome", "2026-10-25");
    char out[11] = "unchanged", rome[11];
    assert_false(zone_date_text(utc(2026, 1, 1, 0, 0), "Mars/Olympus", out));
    assert_false(zone_date_text(-1, "UTC", out));
    assert_false(zone_date_text(INT64_MAX, "Europe/Rome", out));
    assert_string_equal(out, "unchanged");
    assert_true(zone_provider_date(utc(2026, 12, 31, 23, 30), out) && zone_date_text(utc(2026, 12, 31, 23, 30), ZONE_PROVIDER, rome));
    assert_string_equal(out, rome);
}

/* A day in Italy as instants: 24 hours, 23 the day summer time starts, 25 the
 * day it ends; and the wall clock there. */
static void test_provider_day(void **state)
{
    (void)state;
    int64_t start, end, wall;
    assert_true(zone_provider_day("2026-12-01", &start, &end));
    assert_int_equal(start, utc(2026, 11, 30, 23, 0));
    assert_int_equal(end, utc(2026, 12, 1, 23, 0));
    assert_true(zone_provider_day("2026-07-15", &start, &end));
    assert_int_equal(start, utc(2026, 7, 14, 22, 0));
    assert_int_equal(end - start, 24 * 3600);
    assert_true(zone_provider_day("2026-03-29", &start, &end));
    assert_int_equal(end - start, 23 * 3600);
    assert_true(zone_provider_day("2026-10-25", &start, &end));
    assert_int_equal(end - start, 25 * 3600);
    assert_true(zone_provider_day("2026-12-31", &start, &end));
    assert_int_equal(end, utc(2026, 12, 31, 23, 0)); /* New Year in Rome */
    const char *bad[] = {"2026-02-29", "2026-13-01", "2026-1-01", "yesterday", "", "2026-12-011", "1969-12-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(zone_provider_day(bad[i], &start, &end));
    assert_true(zone_wall_clock(utc(2026, 7, 1, 12, 0), "Europe/Rome", &wall));
    assert_int_equal(wall, utc(2026, 7, 1, 14, 0));
    assert_true(zone_wall_clock(utc(2026, 1, 1, 12, 0), "Europe/London", &wall));
    assert_int_equal(wall, utc(2026, 1, 1, 12, 0));
    assert_false(zone_wall_clock(utc(2026, 1, 1, 12, 0), "Nowhere", &wall));
    struct tm tm;
    assert_true(zone_wall_tm(utc(2026, 12, 31, 23, 30), "Europe/Rome", &tm));
    assert_int_equal(tm.tm_year + 1900, 2027);
    assert_int_equal(tm.tm_mon, 0);
    assert_int_equal(tm.tm_mday, 1);
    assert_int_equal(tm.tm_hour, 0);
    assert_int_equal(tm.tm_min, 30);
    assert_false(zone_wall_tm(-1, "Europe/Rome", &tm));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spring_edge),
        cmocka_unit_test(test_autumn_edge),
        cmocka_unit_test(test_other_zones),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_provider_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
