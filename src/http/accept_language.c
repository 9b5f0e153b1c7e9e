/* accept_language.c - Accept-Language negotiation (see accept_language.h). */
#include "http/accept_language.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c; }

static const char *ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* The length of the language range at p ("*", or 1-8 letters, then "-" and
 * 1-8 letters or digits, repeated), 0 when there is none. */
static size_t range_len(const char *p)
{
    if (*p == '*')
        return 1;
    size_t n = 0, sub = 0;
    bool primary = true;
    for (;; n++) {
        char c = p[n];
        if (is_alpha(c) || (!primary && is_digit(c))) {
            if (++sub > 8)
                return 0;
        } else if (c == '-' && sub > 0) {
            primary = false;
            sub = 0;
        } else {
            break;
        }
    }
    return sub > 0 ? n : 0;
}

/* The weight at p ("0", "0.5", "1.000"...) in thousandths, or -1; *end after it. */
static int weight(const char *p, const char **end)
{
    if (*p != '0' && *p != '1')
        return -1;
    int w = (*p++ - '0') * ACCEPT_LANGUAGE_WEIGHT_ONE;
    if (*p == '.') {
        p++;
        for (int scale = 100; scale > 0 && is_digit(*p); scale /= 10)
            w += (*p++ - '0') * scale;
    }
    *end = p;
    return w <= ACCEPT_LANGUAGE_WEIGHT_ONE ? w : -1;
}

/* The parameters after a range (";q=0.8", others skipped) up to the ',' or
 * the end that closes the element: its weight, or -1 when it does not parse. */
static int params(const char *p, const char **end)
{
    int w = ACCEPT_LANGUAGE_WEIGHT_ONE;
    for (p = ows(p); *p == ';'; p = ows(p)) {
        p = ows(p + 1);
        if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
            if ((w = weight(p + 2, &p)) < 0)
                return -1;
        } else {
            while (*p && *p != ';' && *p != ',')
                p++;
        }
    }
    *end = p;
    return *p == ',' || !*p ? w : -1;
}

/* Whether range (len bytes) names lang: its primary subtag, in any case. */
static bool names(const char *range, size_t len, const char *lang)
{
    size_t k = 0;
    while (k < len && range[k] != '-' && lang[k] && lower(range[k]) == lang[k])
        k++;
    return !lang[k] && (k == len || range[k] == '-');
}

typedef struct pref {
    int q;  /* the highest weight of a range naming the language, -1: none does */
    int at; /* where that range stands in the header */
} pref;

/* Reads the header's ranges into named (per language) and *wild ("*"). */
static void read_ranges(const char *p, const char *const *langs, size_t n, pref *named, pref *wild)
{
    for (int at = 0; *p && at < ACCEPT_LANGUAGE_RANGES_MAX; at++) {
        p = ows(p);
        size_t len = range_len(p);
        const char *range = p;
        int w = len ? params(p + len, &p) : -1;
        if (w >= 0 && len == 1 && *range == '*') {
            if (wild->q < w)
                *wild = (pref){w, at};
        } else if (w >= 0) {
            for (size_t i = 0; i < n; i++)
                if (names(range, len, langs[i]) && named[i].q < w)
                    named[i] = (pref){w, at};
        }
        while (*p && *p != ',')
            p++;
        if (*p == ',')
            p++;
    }
}

int accept_language_pick(const char *header, const char *const *langs, size_t n)
{
    assert(n >= 1 && n <= ACCEPT_LANGUAGE_LANGS_MAX);
    pref named[ACCEPT_LANGUAGE_LANGS_MAX], wild = {-1, 0};
    for (size_t i = 0; i < n; i++)
        named[i] = (pref){-1, 0};
    if (header)
        read_ranges(header, langs, n, named, &wild);
    int best = -1;
    pref top = {0, 0};
    for (size_t i = 0; i < n; i++) {
        pref p = named[i].q >= 0 ? named[i] : wild;
        if (p.q > top.q || (p.q == top.q && p.q > 0 && p.at < top.at)) {
            top = p;
            best = (int)i;
        }
    }
    assert(best < 0 || top.q > 0);
    return best;
}
