/* fuzz_gateway_card.c - the sandbox gateway's card form check on arbitrary
 * bytes ("number\nexpiry\ncvc"): a refusal always names a field and a message;
 * an accepted card has 12..19 digits passing Luhn, last4 its suffix, and an
 * expiry from this month to 20 years ahead. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gateway/gw.h"
#include "gateway/gw_card.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[256];
    if (memchr(data, '\0', size) || !fuzz_text(data, size, s, sizeof s))
        return 0;
    char *expiry = strchr(s, '\n'), *cvc = NULL;
    if (expiry) {
        *expiry++ = '\0';
        cvc = strchr(expiry, '\n');
        if (cvc)
            *cvc++ = '\0';
    }
    struct gw_card c;
    gw_card_error e = gw_card_parse(s, expiry, cvc, 2026, 11, &c);
    if (e.field) {
        assert(e.message && e.message[0]);
        return 0;
    }
    size_t n = strlen(c.number);
    assert(n >= 12 && n <= 19 && gw_luhn_ok(c.number));
    assert(strlen(c.last4) == 4 && !strcmp(c.last4, c.number + n - 4));
    assert(c.exp_month >= 1 && c.exp_month <= 12 && c.exp_year >= 2026 && c.exp_year <= 2046);
    assert(c.exp_year > 2026 || c.exp_month >= 11);
    assert(c.behavior < GW_CARD_BEHAVIOR_COUNT);
    return 0;
}
