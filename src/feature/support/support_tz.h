/* support_tz.h - the time a problem started, entered as local time in a time
 * zone and shown with the zone's abbreviation (CET/CEST). A small converter
 * for the zones customers pick, with the EU daylight-saving rule (last Sunday
 * of March to last Sunday of October, at 01:00 UTC): pure, thread-safe, no
 * setenv("TZ"). */
#ifndef SALDO_SUPPORT_TZ_H
#define SALDO_SUPPORT_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SUPPORT_TZ_DEFAULT "Europe/Rome"

/* True for a zone the converter knows ("Europe/Rome", "UTC", ...). */
bool support_tz_known(const char *zone);
/* The zone names, then NULL (for forms). */
extern const char *const support_tz_names[];
/* "YYYY-MM-DDTHH:MM" (or with " " for "T", or ":SS") local in zone to UTC
 * seconds. False for a malformed time or one that does not exist there (the
 * hour skipped in spring); the repeated autumn hour is its first occurrence
 * (summer time). */
bool support_tz_parse_local(const char *text, const char *zone, int64_t *out_utc);
/* "2026-03-29 03:30 CEST": utc as local time in zone. */
void support_tz_format(int64_t utc, const char *zone, char *out, size_t size);

#endif
