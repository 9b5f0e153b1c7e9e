/* int_text.h - a whole number typed by someone outside: an id in a form, a
 * query's limit or cursor, a line's position. strtoll alone lets "12abc" be 12,
 * "abc" be 0, " +5" be 5 and an overflow be LLONG_MAX; every parse of outside
 * input goes through this one instead. Pure: no I/O. */
#ifndef SALDO_INT_TEXT_H
#define SALDO_INT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* True when text is a decimal number from min to max (0 <= min <= max): ASCII
 * digits only, no sign, no spaces, no leading zero ("0" itself is one digit);
 * then *out holds it. NULL, "", anything else or out of range: false, *out
 * unchanged. */
bool int_text_parse(const char *text, int64_t min, int64_t max, int64_t *out);

/* An id: int_text_parse from 1 to INT64_MAX. */
bool int_text_id(const char *text, int64_t *out);

#endif
