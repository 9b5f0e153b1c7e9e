/* fuzz_accept_language.c - Accept-Language negotiation on arbitrary header
 * text: the answer is one of the languages offered or none, a language is
 * picked only when the header names it or holds "*", and the site's order of
 * preference matters only between languages the header weighs alike (so the
 * two orders agree whenever one of them picks a language the header named). */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "http/accept_language.h"
#include "fuzz_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool mentions(const char *h, const char *lang)
{
    for (; *h; h++)
        if (!strncasecmp(h, lang, strlen(lang)))
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char h[1 << 14];
    if (!fuzz_text(data, size, h, sizeof h))
        return 0;
    static const char *const it_en[] = {"it", "en"}, *const en_it[] = {"en", "it"};
    int a = accept_language_pick(h, it_en, 2), b = accept_language_pick(h, en_it, 2);
    assert(a >= -1 && a < 2 && b >= -1 && b < 2);
    assert((a < 0) == (b < 0));
    if (a >= 0) {
        assert(mentions(h, it_en[a]) || strchr(h, '*'));
        assert(mentions(h, en_it[b]) || strchr(h, '*'));
        if (!strchr(h, '*'))
            assert(!strcmp(it_en[a], en_it[b]) || (mentions(h, "it") && mentions(h, "en")));
    }
    int one = accept_language_pick(h, it_en + 1, 1);
    assert(one == -1 || one == 0);
    return 0;
}
