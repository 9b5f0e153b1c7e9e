/* fuzz_bank_ref.c - finding an organization's payment reference in the
 * remittance text of a bank statement (outside input: what the payer typed,
 * as the bank passed it on) on arbitrary bytes. An organization is named only
 * when its reference is in the text as bank_ref_find reads it (letters
 * upper-cased, everything but letters and digits dropped, the first
 * BANK_REF_TEXT_MAX bytes); a reference made from the input's first bytes is
 * found again typed plainly, in groups of four and in lower case. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "feature/bank/bank_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* text as bank_ref_find reads it, written apart from bank_ref.c's loop. */
static void normalize(const char *text, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < BANK_REF_TEXT_MAX && text[i]; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out[n++] = c;
    }
    out[n] = '\0';
}

static void found_again(int64_t id)
{
    char ref[BANK_REF_SIZE], spaced[BANK_REF_FORMATTED_SIZE], lower[BANK_REF_SIZE];
    bank_ref_make(id, ref);
    assert(bank_ref_valid(ref));
    bank_ref_format(ref, spaced);
    for (size_t i = 0; i < sizeof ref; i++)
        lower[i] = ref[i] >= 'A' && ref[i] <= 'Z' ? (char)(ref[i] + 32) : ref[i];
    assert(bank_ref_find(ref) == id && bank_ref_find(spaced) == id && bank_ref_find(lower) == id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), norm[BANK_REF_TEXT_MAX + 1];
    assert(text);
    memcpy(text, data, size);
    text[size] = '\0';
    int64_t id = bank_ref_find(text);
    assert(id >= 0 && id <= BANK_REF_ID_MAX);
    if (id > 0) {
        char ref[BANK_REF_SIZE];
        bank_ref_make(id, ref);
        normalize(text, norm);
        assert(strstr(norm, ref));
    }
    if (bank_ref_valid(text))
        assert(strlen(text) >= 5 && !strncmp(text, "RF", 2));
    uint64_t mine = 0;
    for (size_t i = 0; i < size && i < 8; i++)
        mine = mine << 8 | data[i];
    found_again((int64_t)(mine % (uint64_t)BANK_REF_ID_MAX) + 1);
    free(text);
    return 0;
}
