/* round.c - see round.h. */
#include "core/round.h"

#include <assert.h>

const char *round_mode_name(round_mode mode)
{
    static const char *const names[ROUND_MODE_COUNT] = {
        [ROUND_HALF_UP] = "half_up", [ROUND_HALF_EVEN] = "half_even",
        [ROUND_DOWN] = "down",       [ROUND_UP] = "up",
        [ROUND_FLOOR] = "floor",     [ROUND_CEILING] = "ceiling",
    };
    if ((unsigned)mode >= ROUND_MODE_COUNT)
        return "?";
    return names[mode];
}

/* Whether a truncated quotient with a non-zero remainder moves one step away
 * from zero. rem_abs is in (0, den); `odd` says whether the truncated quotient
 * is odd; `negative` whether the exact result is below zero. */
static bool round_away(__int128 rem_abs, __int128 den, bool odd, bool negative,
                       round_mode mode)
{
    __int128 rest = den - rem_abs; /* distance to the next multiple */
    switch (mode) {
    case ROUND_HALF_UP:
        return rem_abs >= rest;
    case ROUND_HALF_EVEN:
        return rem_abs > rest || (rem_abs == rest && odd);
    case ROUND_DOWN:
        return false;
    case ROUND_UP:
        return true;
    case ROUND_FLOOR:
        return negative;
    case ROUND_CEILING:
        return !negative;
    case ROUND_MODE_COUNT:
        break;
    }
    assert(!"invalid round_mode");
    return false;
}

bool round_div_i128(__int128 num, __int128 den, round_mode mode, __int128 *quot_out)
{
    assert((unsigned)mode < ROUND_MODE_COUNT);
    if (den <= 0)
        return false;
    __int128 quot = num / den;
    __int128 rem = num % den; /* same sign as num, |rem| < den */
    if (rem != 0) {
        bool negative = num < 0;
        __int128 rem_abs = negative ? -rem : rem;
        assert(rem_abs > 0 && rem_abs < den);
        if (round_away(rem_abs, den, quot % 2 != 0, negative, mode))
            quot += negative ? -1 : 1;
    }
    *quot_out = quot;
    return true;
}
