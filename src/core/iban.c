/* iban.c - see iban.h. Lengths follow the SWIFT IBAN registry: every SEPA
 * country plus the other registered countries a customer is likely to bank in.
 * Territories that use their parent's prefix (Åland FI, Réunion FR, Jersey GB)
 * need no entry of their own. */
#include "core/iban.h"

#include <assert.h>
#include <string.h>

typedef struct iban_country {
    char code[3];
    unsigned char length;
    const char *wrong_length; /* the reason given for any other length */
} iban_country;

#define IBAN_COUNTRY(cc, n) { cc, n, "wrong length for " cc ": " #n " expected" }

/* Sorted by code; iban_country_find relies on it only for its early exit. */
static const iban_country iban_countries[] = {
    IBAN_COUNTRY("AD", 24), IBAN_COUNTRY("AE", 23), IBAN_COUNTRY("AL", 28),
    IBAN_COUNTRY("AT", 20), IBAN_COUNTRY("AZ", 28), IBAN_COUNTRY("BA", 20),
    IBAN_COUNTRY("BE", 16), IBAN_COUNTRY("BG", 22), IBAN_COUNTRY("BH", 22),
    IBAN_COUNTRY("BI", 27), IBAN_COUNTRY("BR", 29), IBAN_COUNTRY("BY", 28),
    IBAN_COUNTRY("CH", 21), IBAN_COUNTRY("CR", 22), IBAN_COUNTRY("CY", 28),
    IBAN_COUNTRY("CZ", 24), IBAN_COUNTRY("DE", 22), IBAN_COUNTRY("DJ", 27),
    IBAN_COUNTRY("DK", 18), IBAN_COUNTRY("DO", 28), IBAN_COUNTRY("EE", 20),
    IBAN_COUNTRY("EG", 29), IBAN_COUNTRY("ES", 24), IBAN_COUNTRY("FI", 18),
    IBAN_COUNTRY("FK", 18), IBAN_COUNTRY("FO", 18), IBAN_COUNTRY("FR", 27),
    IBAN_COUNTRY("GB", 22), IBAN_COUNTRY("GE", 22), IBAN_COUNTRY("GI", 23),
    IBAN_COUNTRY("GL", 18), IBAN_COUNTRY("GR", 27), IBAN_COUNTRY("GT", 28),
    IBAN_COUNTRY("HN", 28), IBAN_COUNTRY("HR", 21), IBAN_COUNTRY("HU", 28),
    IBAN_COUNTRY("IE", 22), IBAN_COUNTRY("IL", 23), IBAN_COUNTRY("IQ", 23),
    IBAN_COUNTRY("IS", 26), IBAN_COUNTRY("IT", 27), IBAN_COUNTRY("JO", 30),
    IBAN_COUNTRY("KW", 30), IBAN_COUNTRY("KZ", 20), IBAN_COUNTRY("LB", 28),
    IBAN_COUNTRY("LC", 32), IBAN_COUNTRY("LI", 21), IBAN_COUNTRY("LT", 20),
    IBAN_COUNTRY("LU", 20), IBAN_COUNTRY("LV", 21), IBAN_COUNTRY("LY", 25),
    IBAN_COUNTRY("MC", 27), IBAN_COUNTRY("MD", 24), IBAN_COUNTRY("ME", 22),
    IBAN_COUNTRY("MK", 19), IBAN_COUNTRY("MN", 20), IBAN_COUNTRY("MR", 27),
    IBAN_COUNTRY("MT", 31), IBAN_COUNTRY("MU", 30), IBAN_COUNTRY("NI", 28),
    IBAN_COUNTRY("NL", 18), IBAN_COUNTRY("NO", 15), IBAN_COUNTRY("OM", 23),
    IBAN_COUNTRY("PK", 24), IBAN_COUNTRY("PL", 28), IBAN_COUNTRY("PS", 29),
    IBAN_COUNTRY("PT", 25), IBAN_COUNTRY("QA", 29), IBAN_COUNTRY("RO", 24),
    IBAN_COUNTRY("RS", 22), IBAN_COUNTRY("RU", 33), IBAN_COUNTRY("SA", 24),
    IBAN_COUNTRY("SC", 31), IBAN_COUNTRY("SD", 18), IBAN_COUNTRY("SE", 24),
    IBAN_COUNTRY("SI", 19), IBAN_COUNTRY("SK", 24), IBAN_COUNTRY("SM", 27),
    IBAN_COUNTRY("SO", 23), IBAN_COUNTRY("ST", 25), IBAN_COUNTRY("SV", 28),
    IBAN_COUNTRY("TL", 23), IBAN_COUNTRY("TN", 24), IBAN_COUNTRY("TR", 26),
    IBAN_COUNTRY("UA", 29), IBAN_COUNTRY("VA", 22), IBAN_COUNTRY("VG", 24),
    IBAN_COUNTRY("XK", 20), IBAN_COUNTRY("YE", 30),
};
#define IBAN_COUNTRY_COUNT (sizeof iban_countries / sizeof iban_countries[0])

static bool iban_is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool iban_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const iban_country *iban_country_find(const char *code)
{
    for (size_t i = 0; i < IBAN_COUNTRY_COUNT; i++) {
        int cmp = strncmp(iban_countries[i].code, code, 2);
        if (cmp == 0)
            return &iban_countries[i];
        if (cmp > 0)
            break;
    }
    return NULL;
}

/* Copies s into out (IBAN_SIZE bytes) without spaces, upper-cased.
 * Returns NULL on success, else the reason. */
static const char *iban_compact(const char *s, char *out)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i++) {
        if (i >= IBAN_INPUT_LEN_MAX)
            return "too long";
        char c = s[i];
        if (c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!iban_is_upper(c) && !iban_is_digit(c))
            return "invalid character: only letters, digits and spaces are allowed";
        if (n >= IBAN_LEN_MAX)
            return "too long";
        out[n++] = c;
    }
    out[n] = '\0';
    assert(n <= IBAN_LEN_MAX);
    return n ? NULL : "empty";
}

/* ISO 7064 mod 97-10 of the IBAN with its first four characters moved to the
 * end and letters read as two-digit numbers (A = 10 ... Z = 35). */
static unsigned iban_mod97(const char *iban, size_t n)
{
    assert(n >= 4 && n <= IBAN_LEN_MAX);
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = iban[(k + 4) % n];
        if (iban_is_digit(c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    assert(rem < 97);
    return rem;
}

/* Checks a compacted IBAN. Returns NULL when valid, else the reason. */
static const char *iban_check(const char *iban)
{
    size_t n = strlen(iban);
    assert(n >= 1 && n <= IBAN_LEN_MAX);
    if (n < 2 || !iban_is_upper(iban[0]) || !iban_is_upper(iban[1]))
        return "must start with a two-letter country code";
    const iban_country *country = iban_country_find(iban);
    if (!country)
        return "unknown country code";
    if (n != country->length)
        return country->wrong_length;
    if (!iban_is_digit(iban[2]) || !iban_is_digit(iban[3]))
        return "check digits must be two digits after the country code";
    int check = (iban[2] - '0') * 10 + (iban[3] - '0');
    if (check < 2 || check > 98)
        return "check digits out of range (02-98)";
    if (iban_mod97(iban, n) != 1)
        return "check digits do not match";
    return NULL;
}

bool iban_validate(const char *s, char *normalized, size_t size, const char **reason)
{
    assert(s);
    assert(!normalized || size >= IBAN_SIZE);
    char iban[IBAN_SIZE];
    const char *why = iban_compact(s, iban);
    if (!why)
        why = iban_check(iban);
    if (reason)
        *reason = why;
    if (why)
        return false;
    if (normalized)
        memcpy(normalized, iban, strlen(iban) + 1);
    return true;
}

bool iban_format(const char *s, char *out, size_t size)
{
    assert(s && out);
    size_t n = strnlen(s, IBAN_LEN_MAX + 1);
    bool ok = n >= 1 && n <= IBAN_LEN_MAX && size >= n + (n - 1) / 4 + 1;
    for (size_t i = 0; ok && i < n; i++)
        ok = iban_is_upper(s[i]) || iban_is_digit(s[i]);
    if (!ok) {
        if (size)
            out[0] = '\0';
        return false;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && i % 4 == 0)
            out[o++] = ' ';
        out[o++] = s[i];
    }
    out[o] = '\0';
    assert(o == n + (n - 1) / 4);
    return true;
}
