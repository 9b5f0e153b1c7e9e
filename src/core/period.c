/* period.c - renewal periods and month arithmetic on UTC dates, without the C
 * library's time zone machinery (pure and thread-safe). */
#include "core/period.h"

#include <assert.h>
#include <string.h>

const int period_all[PERIOD_COUNT] = {1, 3, 6, 12, 24, 36, 48, 60};

enum { DAY = 86400 };
static const int64_t T_MAX = INT64_C(253402300799); /* 9999-12-31 23:59:59 */

bool period_valid(int months)
{
    for (int i = 0; i < PERIOD_COUNT; i++)
        if (period_all[i] == months)
            return true;
    return false;
}

bool period_valid_promotional(int months)
{
    return months == 12 || months == 24;
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = y / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int64_t period_add(int64_t t, int months)
{
    if (t < 0 || t > T_MAX || months < 0 || months > 12 * 100)
        return -1;
    int64_t days = t / DAY, secs = t % DAY, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t idx = y * 12 + (m - 1) + months;
    y = idx / 12;
    m = (int)(idx % 12) + 1;
    if (d > month_days(y, m))
        d = month_days(y, m);
    int64_t r = days_from_civil(y, m, d) * DAY + secs;
    return r > T_MAX ? -1 : r;
}

int64_t period_days_between(int64_t a, int64_t b)
{
    return (b - a) / DAY;
}

bool period_date_text(int64_t t, char out[11])
{
    if (t < 0 || t > T_MAX)
        return false;
    int64_t y;
    int m, d;
    civil_from_days(t / DAY, &y, &m, &d);
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return true;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool period_parse_date(const char *text, int64_t *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return false;
    int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return false;
    *out = days_from_civil(y, m, d) * DAY;
    assert(*out >= 0);
    return true;
}
