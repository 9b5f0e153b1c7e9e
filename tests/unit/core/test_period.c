/* test_period.c - renewal periods and month arithmetic on UTC dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/period.h"

static int64_t date(const char *text)
{
    int64_t t;
    assert_true(period_parse_date(text, &t));
    return t;
}

static void assert_date(int64_t t, const char *want)
{
    char got[11];
    assert_true(period_date_text(t, got));
    assert_string_equal(got, want);
}

static void test_valid(void **state)
{
    (void)state;
    int ok[] = {1, 3, 6, 12, 24, 36, 48, 60};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(period_valid(ok[i]));
    int bad[] = {0, -1, 2, 4, 5, 7, 11, 13, 18, 72, 120};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(period_valid(bad[i]));
    assert_true(period_valid_promotional(12));
    assert_true(period_valid_promotional(24));
    assert_false(period_valid_promotional(1));
    assert_false(period_valid_promotional(36));
}

static void test_add(void **state)
{
    (void)state;
    assert_date(period_add(date("2026-01-15"), 1), "2026-02-15");
    assert_date(period_add(date("2026-01-31"), 1), "2026-02-28");
    assert_date(period_add(date("2028-01-31"), 1), "2028-02-29");
    assert_date(period_add(date("2026-03-31"), 6), "2026-09-30");
    assert_date(period_add(date("2026-11-30"), 3), "2027-02-28");
    assert_date(period_add(date("2028-02-29"), 12), "2029-02-28");
    assert_date(period_add(date("2028-02-29"), 48), "2032-02-29");
    assert_date(period_add(date("2026-12-31"), 60), "2031-12-31");
    assert_date(period_add(date("1999-12-31"), 2), "2000-02-29");
    assert_date(period_add(date("2099-12-31"), 2), "2100-02-28");
    /* The time of day is kept. */
    assert_int_equal(period_add(date("2026-01-31") + 3723, 1), date("2026-02-28") + 3723);
    assert_int_equal(period_add(date("2026-05-05"), 0), date("2026-05-05"));
    assert_int_equal(period_add(-1, 1), -1);
    assert_int_equal(period_add(date("9999-12-01"), 1), -1);
    assert_int_equal(period_add(0, -1), -1);
}

static void test_dates(void **state)
{
    (void)state;
    assert_int_equal(date("1970-01-01"), 0);
    assert_int_equal(date("2026-11-22"), 1795305600);
    assert_date(1795305600 + 86399, "2026-11-22");
    int64_t t;
    const char *bad[] = {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01",
                         "2026-01-32", "1969-12-31", "", "2026-01-0a", "2026-01-011"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(period_parse_date(bad[i], &t));
    assert_false(period_parse_date(NULL, &t));
    assert_int_equal(period_days_between(date("2026-11-22"), date("2026-12-06")), 14);
    assert_int_equal(period_days_between(date("2026-12-06"), date("2026-11-22")), -14);
    char out[11];
    assert_false(period_date_text(-1, out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_add),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
