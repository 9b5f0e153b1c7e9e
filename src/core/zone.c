/* zone.c - civil time in a few zones with the EU summer-time rule (see zone.h). */
#include "core/zone.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/period.h"

typedef struct zone {
    const char *name, *std_abbr, *dst_abbr;
    int std_offset_min; /* east of UTC */
    bool eu_dst;
} zone;

static const zone zones[] = {
    {"Europe/Rome", "CET", "CEST", 60, true},
    {"Europe/Berlin", "CET", "CEST", 60, true},
    {"Europe/Paris", "CET", "CEST", 60, true},
    {"Europe/Madrid", "CET", "CEST", 60, true},
    {"Europe/London", "GMT", "BST", 0, true},
    {"Europe/Athens", "EET", "EEST", 120, true},
    {"UTC", "UTC", "UTC", 0, false},
};
enum { ZONE_COUNT = sizeof zones / sizeof zones[0] };

const char *zone_name(size_t i)
{
    return i < ZONE_COUNT ? zones[i].name : NULL;
}

static const zone *find(const char *name)
{
    for (size_t i = 0; name && i < ZONE_COUNT; i++)
        if (!strcmp(zones[i].name, name))
            return &zones[i];
    return NULL;
}

bool zone_known(const char *name)
{
    return find(name) != NULL;
}

/* 01:00 UTC on the last Sunday of month (1-12) of year. */
static int64_t last_sunday_0100(int year, int month)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month, .tm_mday = 0, .tm_hour = 1}; /* day 0 = last of month */
    time_t t = timegm(&tm);
    struct tm g;
    gmtime_r(&t, &g);
    return (int64_t)t - (int64_t)g.tm_wday * 86400;
}

static bool dst_at(const zone *z, int64_t utc)
{
    if (!z->eu_dst)
        return false;
    time_t t = (time_t)utc;
    struct tm g;
    gmtime_r(&t, &g);
    int year = g.tm_year + 1900;
    return utc >= last_sunday_0100(year, 3) && utc < last_sunday_0100(year, 10);
}

/* Seconds east of UTC in z at utc. */
static int64_t offset_s(const zone *z, int64_t utc)
{
    return (int64_t)(z->std_offset_min + (dst_at(z, utc) ? 60 : 0)) * 60;
}

bool zone_parse_local(const char *text, const char *name, int64_t *out_utc)
{
    const zone *z = find(name);
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t len = strlen(text);
    if (!z || (len != 16 && len != 19))
        return false;
    for (size_t i = 0; i < len; i++) {
        bool ok = shape[i] == 'd' ? text[i] >= '0' && text[i] <= '9'
                  : shape[i] == 'T' ? text[i] == 'T' || text[i] == ' '
                                    : text[i] == shape[i];
        if (!ok)
            return false;
    }
    int y, mo, d, h, mi, s = 0;
    char sep;
    if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d", &y, &mo, &d, &sep, &h, &mi) != 6 ||
        (len == 19 && sscanf(text + 16, ":%2d", &s) != 1))
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s};
    int64_t local = (int64_t)timegm(&tm);
    struct tm back;
    time_t lt = (time_t)local;
    gmtime_r(&lt, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1)
        return false; /* 31 April and the like */
    int64_t as_dst = local - (int64_t)(z->std_offset_min + 60) * 60;
    int64_t as_std = local - (int64_t)z->std_offset_min * 60;
    if (z->eu_dst && dst_at(z, as_dst))
        *out_utc = as_dst;
    else if (!dst_at(z, as_std))
        *out_utc = as_std;
    else
        return false; /* the hour skipped in spring */
    return true;
}

void zone_format(int64_t utc, const char *name, char *out, size_t size)
{
    const zone *z = find(name);
    if (!z)
        z = find("UTC");
    /* Not zone_wall_tm: a time typed as 00:30 on 1 January 1970 in Rome is
     * before 0 in UTC, and still shown as typed. */
    time_t t = (time_t)(utc + offset_s(z, utc));
    struct tm g;
    gmtime_r(&t, &g);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &g);
    snprintf(out, size, "%s %s", when, dst_at(z, utc) ? z->dst_abbr : z->std_abbr);
}

bool zone_wall_clock(int64_t utc, const char *name, int64_t *out)
{
    const zone *z = find(name);
    char day[11];
    if (!z || !period_date_text(utc, day)) /* the range gmtime_r is asked for below */
        return false;
    *out = utc + offset_s(z, utc);
    return true;
}

bool zone_wall_tm(int64_t utc, const char *name, struct tm *out)
{
    int64_t wall;
    if (!zone_wall_clock(utc, name, &wall))
        return false;
    time_t t = (time_t)wall;
    return gmtime_r(&t, out) != NULL;
}

bool zone_date_text(int64_t utc, const char *name, char out[11])
{
    int64_t wall;
    return zone_wall_clock(utc, name, &wall) && period_date_text(wall, out);
}

/* The first second of the day "YYYY-MM-DD" in ZONE_PROVIDER. */
static bool day_start(const char *day, int64_t *out)
{
    char local[24];
    snprintf(local, sizeof local, "%.10sT00:00", day);
    return zone_parse_local(local, ZONE_PROVIDER, out); /* midnight is never skipped in the EU */
}

bool zone_provider_day(const char *day, int64_t *start, int64_t *end)
{
    int64_t utc_midnight;
    char next[11];
    if (strlen(day) != 10 || !period_parse_date(day, &utc_midnight) ||
        !period_date_text(utc_midnight + 86400, next) || !day_start(day, start) || !day_start(next, end))
        return false;
    assert(*end - *start >= 23 * 3600 && *end - *start <= 25 * 3600);
    return true;
}

bool zone_provider_date(int64_t utc, char out[11])
{
    return zone_date_text(utc, ZONE_PROVIDER, out);
}
