/* fuzz_ecb.c - the ECB rates parser on arbitrary bytes: no crash, no leak,
 * and whatever it accepts satisfies the documented guarantees. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feature/fx/ecb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_rates(const ecb_rates *r)
{
    if (strlen(r->date) != 10 || r->count == 0 || r->count > ECB_RATES_MAX)
        abort();
    for (size_t i = 0; i < r->count; i++) {
        const ecb_rate *q = &r->rates[i];
        if (!q->cur || q->rate.units <= 0 || currency_find(q->cur->code) != q->cur ||
            strcmp(q->cur->code, "EUR") == 0 || ecb_rates_find(r, q->cur) != q)
            abort();
        char text[FX_RATE_FORMAT_BYTES_MAX];
        fx_rate back;
        if (fx_rate_format(q->rate, text, sizeof text) != MONEY_OK ||
            fx_rate_parse(text, &back) != MONEY_OK || back.units != q->rate.units)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ecb_rates rates;
    char err[160];
    if (ecb_parse((const char *)data, size, &rates, err, sizeof err))
        fuzz_check_rates(&rates);
    else if (err[0] == '\0')
        abort(); /* a failure always says why */
    return 0;
}
