/* fuzz_vat_id.c - VAT ID validation on arbitrary bytes, as typed (normalized
 * first, as the profile does) and raw: every answer is a known status, every
 * refusal has a reason, and an accepted ID has only letters and digits. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/fiscal_code.h"
#include "core/vat_id.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one(const char *id)
{
    vat_id_status st = vat_id_check(id);
    assert(st < VAT_ID_STATUS_COUNT);
    const char *why = vat_id_reason(id, st);
    if (st != VAT_ID_OK) {
        assert(why && why[0]);
        return;
    }
    assert(!why);
    size_t n = strlen(id);
    assert(n >= 4 && n <= 14);
    for (size_t i = 0; i < n; i++)
        assert((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[FISCAL_INPUT_LEN_MAX * 2 + 1];
    if (!fuzz_text(data, size, s, sizeof s))
        return 0;
    check_one(s);
    char norm[FISCAL_INPUT_LEN_MAX + 1];
    if (fiscal_normalize(s, norm, sizeof norm))
        check_one(norm);
    return 0;
}
