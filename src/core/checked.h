/* checked.h - overflow-checked int64 arithmetic for money paths.
 *
 * Every helper returns false (and leaves *out untouched) when the exact result
 * does not fit in int64_t: overflow is an error to report, never a wrap. */
#ifndef SALDO_CHECKED_H
#define SALDO_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

bool checked_add(int64_t a, int64_t b, int64_t *out);
bool checked_sub(int64_t a, int64_t b, int64_t *out);
bool checked_mul(int64_t a, int64_t b, int64_t *out);

#endif
