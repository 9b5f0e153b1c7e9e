/* period.h - renewal periods and the calendar arithmetic of service dates.
 *
 * A period is a whole number of months: 1, 3, 6 or 12 months, or 1 to 5 years
 * (12, 24, 36, 48, 60). A promotional product is sold only for 1 or 2 years.
 * Dates are Unix seconds in UTC; adding months keeps the time of day and the
 * day of the month, clamped to the last day of a shorter month (31 January + 1
 * month = 28 or 29 February), as every billing system customers know does. */
#ifndef SALDO_PERIOD_H
#define SALDO_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

enum { PERIOD_MONTHS_MAX = 60, PERIOD_COUNT = 8 };

/* Every period, shortest first: 1, 3, 6, 12, 24, 36, 48, 60. */
extern const int period_all[PERIOD_COUNT];

/* True when months is a period a product may be sold for. */
bool period_valid(int months);
/* True when months is a period of a promotional product (12 or 24). */
bool period_valid_promotional(int months);
/* months after t (UTC), the day clamped to the month's length. t must be in
 * 1970..9999; returns -1 when it or the result is not. */
int64_t period_add(int64_t t, int months);
/* Whole days from a to b (negative when b is before a), rounded towards a. */
int64_t period_days_between(int64_t a, int64_t b);
/* "YYYY-MM-DD" of t (UTC) into out; false when t is out of range. */
bool period_date_text(int64_t t, char out[11]);
/* Parses "YYYY-MM-DD" (a real calendar date) to midnight UTC; false otherwise. */
bool period_parse_date(const char *text, int64_t *out);

#endif
