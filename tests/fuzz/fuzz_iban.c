/* fuzz_iban.c - IBAN validation on arbitrary bytes: accepted IBANs are
 * normalized, format in groups of four and validate again to the same value;
 * rejected ones always come with a reason. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/iban.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[IBAN_INPUT_LEN_MAX * 2 + 1];
    if (!fuzz_text(data, size, s, sizeof s))
        return 0;
    char normalized[IBAN_SIZE], shown[IBAN_FORMATTED_SIZE], again[IBAN_SIZE];
    const char *reason = NULL;
    if (!iban_validate(s, normalized, sizeof normalized, &reason)) {
        assert(reason && reason[0]);
        return 0;
    }
    assert(!reason);
    size_t n = strlen(normalized);
    assert(n >= 15 && n <= IBAN_LEN_MAX);
    for (size_t i = 0; i < n; i++)
        assert((normalized[i] >= 'A' && normalized[i] <= 'Z') ||
               (normalized[i] >= '0' && normalized[i] <= '9'));
    assert(iban_format(normalized, shown, sizeof shown));
    assert(iban_validate(shown, again, sizeof again, NULL));
    assert(strcmp(again, normalized) == 0);
    return 0;
}
