/* round.h - named rounding modes and exact rounded integer division.
 *
 * saldo never rounds implicitly: every operation that can produce a fraction
 * of a minor unit (a share, a percentage, a conversion) takes a round_mode
 * chosen at the call site. The arithmetic is on __int128 so that products of
 * two int64 values are exact before the one division that rounds them. */
#ifndef SALDO_ROUND_H
#define SALDO_ROUND_H

#include <stdbool.h>

typedef enum round_mode {
    ROUND_HALF_UP,   /* to nearest; halves away from zero: 2.5 -> 3, -2.5 -> -3 */
    ROUND_HALF_EVEN, /* to nearest; halves to the even neighbour: 2.5 -> 2, 3.5 -> 4 */
    ROUND_DOWN,      /* toward zero (truncate): 2.7 -> 2, -2.7 -> -2 */
    ROUND_UP,        /* away from zero: 2.1 -> 3, -2.1 -> -3 */
    ROUND_FLOOR,     /* toward -infinity: 2.7 -> 2, -2.1 -> -3 */
    ROUND_CEILING,   /* toward +infinity: 2.1 -> 3, -2.7 -> -2 */
    ROUND_MODE_COUNT
} round_mode;

/* The mode's name in lower case ("half_even"); "?" for an out-of-range value. */
const char *round_mode_name(round_mode mode);

/* Sets *quot_out to num / den rounded by `mode` and returns true. Returns
 * false, leaving *quot_out untouched, when den is not positive (callers
 * normalise signs first). The result is exact: no intermediate can overflow
 * because |quotient| <= |num|. `mode` must be a valid mode (asserted). */
bool round_div_i128(__int128 num, __int128 den, round_mode mode, __int128 *quot_out);

#endif
