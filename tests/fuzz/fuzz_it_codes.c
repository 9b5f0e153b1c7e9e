/* fuzz_it_codes.c - the Italian identifiers of the organization profile and the
 * billing address, as typed, on arbitrary text: the codice fiscale (normalized
 * first, as the profile does), the SDI recipient code, the CAP and the
 * province. An accepted code has the shape the law gives it and its check
 * character; normalizing never grows the text or lets anything but letters
 * and digits through. */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/fiscal_code.h"
#include "core/postal.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

static void check_codes(const char *s)
{
    size_t n = strlen(s);
    if (fiscal_code_person_ok(s)) {
        assert(n == FISCAL_CODE_PERSON_LEN);
        assert(fiscal_code_person_check(s) == s[15]);
    }
    if (fiscal_code_company_ok(s)) {
        assert(n == FISCAL_CODE_COMPANY_LEN);
        for (size_t i = 0; i < n; i++)
            assert(s[i] >= '0' && s[i] <= '9');
        assert(fiscal_code_company_check(s) == s[10]);
    }
    for (int pa = 0; pa < 2; pa++)
        if (sdi_code_ok(s, pa)) {
            assert(n == (pa ? SDI_CODE_PA_LEN : SDI_CODE_BUSINESS_LEN));
            for (size_t i = 0; i < n; i++)
                assert(upper_or_digit(s[i]));
        }
    if (postal_it_cap_valid(s)) {
        assert(n == 5);
        for (size_t i = 0; i < n; i++)
            assert(s[i] >= '0' && s[i] <= '9');
    }
    if (postal_it_province_valid(s))
        assert(n == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[FISCAL_INPUT_LEN_MAX * 2 + 1];
    if (!fuzz_text(data, size, s, sizeof s))
        return 0;
    check_codes(s);
    char norm[FISCAL_INPUT_LEN_MAX + 1];
    if (!fiscal_normalize(s, norm, sizeof norm))
        return 0;
    size_t n = strlen(norm);
    assert(n <= strlen(s) && n <= FISCAL_INPUT_LEN_MAX);
    for (size_t i = 0; i < n; i++)
        assert(upper_or_digit(norm[i]));
    check_codes(norm);
    return 0;
}
