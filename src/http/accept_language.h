/* accept_language.h - the page language for a visitor who has not chosen one
 * (no language cookie, not signed in), from the browser's Accept-Language
 * header (RFC 9110, 12.5.4): a German whose browser asks for "de, en;q=0.8"
 * reads English, an Italian "it-IT" Italian. Outside input, so unit-tested
 * and fuzzed (tests/fuzz). Pure: no I/O. */
#ifndef SALDO_HTTP_ACCEPT_LANGUAGE_H
#define SALDO_HTTP_ACCEPT_LANGUAGE_H

#include <stddef.h>

enum {
    ACCEPT_LANGUAGE_LANGS_MAX = 8,     /* languages offered, at most */
    ACCEPT_LANGUAGE_RANGES_MAX = 32,   /* ranges of a header read, at most */
    ACCEPT_LANGUAGE_WEIGHT_ONE = 1000, /* q=1, in thousandths */
};

/* The index in langs[0..n) (primary subtags in lower case, "it", "en"; in the
 * site's order of preference) of the language header prefers: the highest
 * weight (q, 1 when absent, 0 for "not acceptable") of a range naming it ("en"
 * and "en-GB" both name "en", in any case), or of "*" for a language no range
 * names; on a tie the one named first in the header, then the first of langs.
 * -1 when the header accepts none of langs: it names only other languages,
 * refuses these, or is not a list of language ranges at all. Ranges that do not
 * parse are skipped; only the first ACCEPT_LANGUAGE_RANGES_MAX count. */
int accept_language_pick(const char *header, const char *const *langs, size_t n);

#endif
