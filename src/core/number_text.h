/* number_text.h - numbers typed by someone outside: an id in a form, a query's
 * limit or cursor, a line's position, a percentage. strtoll alone lets "12abc"
 * be 12, "abc" be 0, " +5" be 5 and an overflow be LLONG_MAX, and sscanf's %u
 * reads " 5" and "+3"; every parse of such input goes through here instead.
 * Pure: no I/O. */
#ifndef SALDO_NUMBER_TEXT_H
#define SALDO_NUMBER_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* True when text is a decimal number from min to max (0 <= min <= max): ASCII
 * digits only, no sign, no spaces, no leading zero ("0" itself is one digit);
 * then *out holds it. NULL, "", anything else or out of range: false, *out
 * unchanged. */
bool int_text_parse(const char *text, int64_t min, int64_t max, int64_t *out);

/* An id: int_text_parse from 1 to INT64_MAX. */
bool int_text_id(const char *text, int64_t *out);

/* A percentage with at most two decimals after "." or "," (as typed in
 * English or Italian: "22", "12,5", "19.60", "007") into basis points from 0
 * to max_bp (<= 99999); one to three digits before the separator, nothing
 * else. False, *bp unchanged, otherwise. */
bool percent_text_parse(const char *text, int max_bp, int *bp);

#endif
