/* fuzz_webhook_signature.c - the Saldo-Signature header of the gateway's
 * webhooks on arbitrary bytes (the first line is the header, the rest the
 * body): no header crashes the check, the header the gateway would send for
 * that body is accepted, and the same header outside the time tolerance, or
 * for a body one byte longer, is refused. */
#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "feature/payments/payments.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "whsec_fuzz"
#define NOW INT64_C(1700000000)

/* The header the gateway sends for body at time t. */
static void sign(char *out, size_t out_size, int64_t t, const char *body, size_t len)
{
    char ts[24];
    snprintf(ts, sizeof ts, "%" PRId64, t);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)SECRET, strlen(SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(out, out_size, "t=%s,v1=%s", ts, hex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char copy[1 << 16];
    if (!fuzz_text(data, size, copy, sizeof copy))
        return 0;
    char *nl = memchr(copy, '\n', size);
    const char *header = copy, *body = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    size_t body_len = nl ? size - (size_t)(nl + 1 - copy) : 0;
    (void)payment_signature_ok(header, body, body_len, SECRET, NOW);

    char good[128];
    sign(good, sizeof good, NOW - 10, body, body_len);
    assert(payment_signature_ok(good, body, body_len, SECRET, NOW));
    assert(!payment_signature_ok(good, body, body_len, SECRET, NOW + WEBHOOK_TOLERANCE_S + 11));
    assert(!payment_signature_ok(good, body, body_len, "another secret", NOW));
    if (nl) /* the body then ends at copy's NUL, which the signature does not cover */
        assert(!payment_signature_ok(good, body, body_len + 1, SECRET, NOW));
    return 0;
}
