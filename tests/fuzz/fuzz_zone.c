/* fuzz_zone.c - local times and days typed by people (when a problem
 * started, a maintenance window, the days of the history's filters and of
 * discount limits) on arbitrary text, in every zone saldo knows: an accepted
 * local time reads back the same on that zone's clock, and an accepted day is
 * 23 to 25 hours that all fall on that day in Italy. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/zone.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_local(const char *text, const char *zone)
{
    int64_t utc;
    if (!zone_parse_local(text, zone, &utc))
        return;
    char shown[64], typed[17];
    zone_format(utc, zone, shown, sizeof shown);
    memcpy(typed, text, 16);
    typed[16] = '\0';
    typed[10] = ' '; /* "T" or " " */
    assert(!strncmp(shown, typed, 16));
}

static void check_day(const char *text)
{
    int64_t start, end;
    if (!zone_provider_day(text, &start, &end))
        return;
    assert(end - start >= 23 * 3600 && end - start <= 25 * 3600);
    char first[11], last[11];
    if (start >= 0) { /* 1970-01-01 in Rome starts before 0 */
        assert(zone_provider_date(start, first));
        assert(!strcmp(first, text));
    }
    assert(zone_provider_date(end - 1, last) && !strcmp(last, text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64];
    if (!fuzz_text(data, size, text, sizeof text))
        return 0;
    for (size_t i = 0; zone_name(i); i++)
        check_local(text, zone_name(i));
    check_day(text);
    return 0;
}
