/* fuzz_period_date.c - "YYYY-MM-DD" dates from outside (`billing-run --at`,
 * query strings) on arbitrary bytes: an accepted date is midnight UTC and
 * prints back to the same text, and adding a period to it stays in range. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/period.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[32];
    if (!fuzz_text(data, size, s, sizeof s))
        return 0;
    int64_t t;
    if (!period_parse_date(s, &t))
        return 0;
    assert(t >= 0 && t % 86400 == 0);
    char back[11];
    assert(period_date_text(t, back));
    assert(strcmp(back, s) == 0);
    for (int i = 0; i < PERIOD_COUNT; i++) {
        int64_t later = period_add(t, period_all[i]);
        assert(later == -1 || later > t);
    }
    return 0;
}
