/* zone.h - civil time in the few zones saldo knows, with the EU
 * daylight-saving rule (last Sunday of March to last Sunday of October, at
 * 01:00 UTC): the provider's calendar day (the date of an invoice, of the VAT
 * rates in force, of a service period: Italian law dates an invoice by the day
 * in Italy, not in UTC), and local times people enter and read (when a
 * problem started, a maintenance window) with the zone's abbreviation
 * (CET/CEST). Pure, thread-safe, no setenv("TZ"). */
#ifndef SALDO_ZONE_H
#define SALDO_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The provider's zone: its calendar days date documents and periods. */
#define ZONE_PROVIDER "Europe/Rome"

/* True for a zone the converter knows ("Europe/Rome", "UTC", ...). */
bool zone_known(const char *zone);
/* The name of the i-th zone known (for forms), NULL past the last. */
const char *zone_name(size_t i);
/* "YYYY-MM-DDTHH:MM" (or with " " for "T", or ":SS") local in zone to UTC
 * seconds. False for a malformed time or one that does not exist there (the
 * hour skipped in spring); the repeated autumn hour is its first occurrence
 * (summer time). */
bool zone_parse_local(const char *text, const char *zone, int64_t *out_utc);
/* "2026-03-29 03:30 CEST": utc as local time in zone. */
void zone_format(int64_t utc, const char *zone, char *out, size_t size);
/* "YYYY-MM-DD": the day in zone at utc (0 .. the year 9999). False, out
 * untouched, for an unknown zone or an instant outside that range. */
bool zone_date_text(int64_t utc, const char *zone, char out[11]);
/* zone_date_text in ZONE_PROVIDER: the day a document issued at utc carries. */
bool zone_provider_date(int64_t utc, char out[11]);
/* utc shifted by zone's offset at that moment, for rendering with gmtime_r
 * (the wall clock there); false for an unknown zone or an instant outside
 * 0 .. the year 9999. */
bool zone_wall_clock(int64_t utc, const char *zone, int64_t *out);
/* The same broken down: the date and time on zone's clock at utc. */
bool zone_wall_tm(int64_t utc, const char *zone, struct tm *out);
/* The day "YYYY-MM-DD" in ZONE_PROVIDER as the instants [*start, *end) (23,
 * 24 or 25 hours); false when day is not a real date from 1970 on. */
bool zone_provider_day(const char *day, int64_t *start, int64_t *end);

#endif
