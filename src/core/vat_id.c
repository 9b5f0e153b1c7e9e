/* vat_id.c - see vat_id.h. One checker per prefix: it gets the part after the
 * prefix and answers VAT_ID_OK, VAT_ID_BAD_FORMAT or VAT_ID_BAD_CHECK. The
 * algorithms are those the national administrations publish (collected by
 * the European Commission's VIES documentation); where a kind of number has
 * no check digit the checker says so and checks the syntax only. */
#include "core/vat_id.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

enum { VAT_ID_BODY_LEN_MAX = 12 };

typedef vat_id_status (*vat_id_checker)(const char *b, size_t n);

typedef struct vat_id_country {
    char prefix[3];
    vat_id_checker check;
    const char *format; /* the msgid describing the country's format */
} vat_id_country;

static int dv(char c)
{
    return c - '0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool digits(const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(b[i]))
            return false;
    return n > 0;
}

static int weighted(const char *b, const int *w, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++)
        s += w[i] * dv(b[i]);
    return s;
}

static uint64_t number(const char *b, size_t n)
{
    assert(n <= 18);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)dv(b[i]);
    return v;
}

/* Luhn sum of n digits whose last is a check digit (it is not doubled). */
static int luhn_sum(const char *b, size_t n)
{
    int s = 0;
    for (size_t i = 0; i < n; i++) {
        int d = dv(b[n - 1 - i]);
        if (i % 2) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        s += d;
    }
    return s % 10;
}

/* The Luhn check digit to append to n digits. */
static int luhn_digit(const char *b, size_t n)
{
    char tmp[VAT_ID_BODY_LEN_MAX + 1];
    assert(n < sizeof tmp);
    memcpy(tmp, b, n);
    tmp[n] = '0';
    return (10 - luhn_sum(tmp, n + 1)) % 10;
}

/* ISO 7064 MOD 11,10 over n digits, the last being the check digit. */
static bool mod11_10_ok(const char *b, size_t n)
{
    int p = 10;
    for (size_t i = 0; i + 1 < n; i++) {
        int s = (dv(b[i]) + p) % 10;
        p = (s ? s : 10) * 2 % 11;
    }
    return (11 - p) % 10 == dv(b[n - 1]);
}

static vat_id_status verdict(bool ok)
{
    return ok ? VAT_ID_OK : VAT_ID_BAD_CHECK;
}

/* AT: U and 8 digits; the last is (6 - Luhn sum of the 7 before) mod 10. */
static vat_id_status check_at(const char *b, size_t n)
{
    if (n != 9 || b[0] != 'U' || !digits(b + 1, 8))
        return VAT_ID_BAD_FORMAT;
    return verdict((6 - luhn_sum(b + 1, 7) + 10) % 10 == dv(b[8]));
}

/* BE: 10 digits starting with 0 or 1; the last two are 97 - (first 8 mod 97). */
static vat_id_status check_be(const char *b, size_t n)
{
    if (n != 10 || !digits(b, n) || (b[0] != '0' && b[0] != '1'))
        return VAT_ID_BAD_FORMAT;
    return verdict((number(b, 8) + number(b + 8, 2)) % 97 == 0);
}

/* BG: 9 digits (legal entities) or 10 (a person's EGN, a foreigner's PNF or
 * another taxpayer's number, each with its own weights). */
static vat_id_status check_bg(const char *b, size_t n)
{
    if ((n != 9 && n != 10) || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    if (n == 9) {
        static const int w1[] = {1, 2, 3, 4, 5, 6, 7, 8}, w3[] = {3, 4, 5, 6, 7, 8, 9, 10};
        int c = weighted(b, w1, 8) % 11;
        if (c == 10)
            c = weighted(b, w3, 8) % 11;
        return verdict(c % 10 == dv(b[8]));
    }
    static const int egn[] = {2, 4, 8, 5, 10, 9, 7, 3, 6}, pnf[] = {21, 19, 17, 13, 11, 9, 7, 3, 1},
                     other[] = {4, 3, 2, 7, 6, 5, 4, 3, 2};
    int last = dv(b[9]);
    uint64_t month = number(b + 2, 2) % 20, day = number(b + 4, 2); /* EGN months: +20 before 1900, +40 after 1999 */
    bool egn_date = number(b + 2, 2) <= 52 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
    return verdict((egn_date && weighted(b, egn, 9) % 11 % 10 == last) || weighted(b, pnf, 9) % 10 == last ||
                   (11 - weighted(b, other, 9) % 11) % 11 == last);
}

/* CY: 8 digits (not starting with 12) and a check letter. */
static vat_id_status check_cy(const char *b, size_t n)
{
    if (n != 9 || !digits(b, 8) || !is_upper(b[8]) || !strncmp(b, "12", 2))
        return VAT_ID_BAD_FORMAT;
    static const int odd[] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21};
    int s = 0;
    for (size_t i = 0; i < 8; i++)
        s += i % 2 ? dv(b[i]) : odd[dv(b[i])];
    return verdict('A' + s % 26 == b[8]);
}

/* CZ: 8 digits (legal entities), 9 starting with 6 (persons without a birth
 * number), or a birth number: 10 digits divisible by 11, or 9 digits for
 * people born before 1954, which have no check digit (syntax only). */
static vat_id_status check_cz(const char *b, size_t n)
{
    if (n < 8 || n > 10 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    static const int w[] = {8, 7, 6, 5, 4, 3, 2};
    if (n == 8) {
        if (b[0] == '9')
            return VAT_ID_BAD_FORMAT;
        int c = (11 - weighted(b, w, 7) % 11) % 11;
        return verdict((c ? c : 1) % 10 == dv(b[7]));
    }
    if (n == 9 && b[0] == '6') {
        int c = weighted(b + 1, w, 7) % 11;
        return verdict(((8 - (10 - c) % 11) % 10 + 10) % 10 == dv(b[8]));
    }
    if (n == 9)
        return number(b, 2) < 54 ? VAT_ID_OK : VAT_ID_BAD_FORMAT;
    return verdict(number(b, 10) % 11 == 0 || (number(b, 9) % 11 == 10 && b[9] == '0'));
}

/* DE: 9 digits, not starting with 0; ISO 7064 MOD 11,10. */
static vat_id_status check_de(const char *b, size_t n)
{
    if (n != 9 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    return verdict(mod11_10_ok(b, n));
}

/* DK: 8 digits, not starting with 0; weights 2,7,6,5,4,3,2,1 sum to 0 mod 11. */
static vat_id_status check_dk(const char *b, size_t n)
{
    static const int w[] = {2, 7, 6, 5, 4, 3, 2, 1};
    if (n != 8 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 8) % 11 == 0);
}

/* EE: 9 digits; weights 3,7,1 repeated sum to 0 mod 10. */
static vat_id_status check_ee(const char *b, size_t n)
{
    static const int w[] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
    if (n != 9 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 9) % 10 == 0);
}

/* EL: 9 digits; weights 256..2 on the first 8, sum mod 11 mod 10. */
static vat_id_status check_el(const char *b, size_t n)
{
    if (n != 9 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    int s = 0;
    for (size_t i = 0; i < 8; i++)
        s = s * 2 + dv(b[i]);
    return verdict(s * 2 % 11 % 10 == dv(b[8]));
}

/* The DNI letter of a number (residents, foreigners' NIE, K/L/M NIFs). */
static char es_letter(uint64_t v)
{
    return "TRWAGMYFPDXBNJZSQVHLCKE"[v % 23];
}

/* ES: 9 characters: a DNI (8 digits and a letter), a NIE (X, Y or Z, 7
 * digits, a letter), a K/L/M NIF (letter, 7 digits, letter) or a CIF (an
 * entity letter, 7 digits and a check digit or its letter). */
static vat_id_status check_es(const char *b, size_t n)
{
    if (n != 9 || !digits(b + 1, 7) || (!is_digit(b[0]) && !is_upper(b[0])) || (!is_digit(b[8]) && !is_upper(b[8])))
        return VAT_ID_BAD_FORMAT;
    if (is_digit(b[0]))
        return is_upper(b[8]) ? verdict(es_letter(number(b, 8)) == b[8]) : VAT_ID_BAD_FORMAT;
    const char *xyz = strchr("XYZ", b[0]);
    if (xyz)
        return is_upper(b[8]) ? verdict(es_letter((uint64_t)(xyz - "XYZ") * 10000000u + number(b + 1, 7)) == b[8])
                              : VAT_ID_BAD_FORMAT;
    if (strchr("KLM", b[0]))
        return is_upper(b[8]) ? verdict(es_letter(number(b + 1, 7)) == b[8]) : VAT_ID_BAD_FORMAT;
    if (!strchr("ABCDEFGHJNPQRSUVW", b[0]))
        return VAT_ID_BAD_FORMAT;
    int c = luhn_digit(b + 1, 7);
    return verdict(b[8] == '0' + c || b[8] == "JABCDEFGHI"[c]);
}

/* FI: 8 digits; weights 7,9,10,5,8,4,2,1 sum to 0 mod 11. */
static vat_id_status check_fi(const char *b, size_t n)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1};
    if (n != 8 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 8) % 11 == 0);
}

/* FR: a two-character key and the 9-digit SIREN (itself Luhn-checked, except
 * Monaco's numbers, which start with 000). A numeric key is (12 + 3 * SIREN)
 * mod 97; a key with a letter (I and O are not used) is the newer form. */
static vat_id_status check_fr(const char *b, size_t n)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    if (n != 11 || !digits(b + 2, 9) || !b[0] || !b[1] || !strchr(alphabet, b[0]) || !strchr(alphabet, b[1]))
        return VAT_ID_BAD_FORMAT;
    uint64_t siren = number(b + 2, 9);
    if (strncmp(b + 2, "000", 3) && luhn_sum(b + 2, 9) != 0)
        return VAT_ID_BAD_CHECK;
    if (is_digit(b[0]) && is_digit(b[1]))
        return verdict((siren * 100 + 12) % 97 == number(b, 2));
    int k0 = (int)(strchr(alphabet, b[0]) - alphabet), k1 = (int)(strchr(alphabet, b[1]) - alphabet);
    int check = is_digit(b[0]) ? k0 * 24 + k1 - 10 : k0 * 34 + k1 - 100;
    return verdict((int)((siren + 1 + (uint64_t)(check / 11)) % 11) == check % 11);
}

/* HR: the 11-digit OIB; ISO 7064 MOD 11,10. */
static vat_id_status check_hr(const char *b, size_t n)
{
    if (n != 11 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(mod11_10_ok(b, n));
}

/* HU: 8 digits; weights 9,7,3,1 repeated sum to 0 mod 10. */
static vat_id_status check_hu(const char *b, size_t n)
{
    static const int w[] = {9, 7, 3, 1, 9, 7, 3, 1};
    if (n != 8 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 8) % 10 == 0);
}

/* IE: 7 digits and a check letter, then since 2013 an optional second letter
 * (A-I, or W) that enters the check; or the old form: a digit, a letter, 5
 * digits and the check letter. Weights 8..2, mod 23, W standing for 0. */
static vat_id_status check_ie(const char *b, size_t n)
{
    static const char alphabet[] = "WABCDEFGHIJKLMNOPQRSTUV";
    static const int w[] = {8, 7, 6, 5, 4, 3, 2};
    if ((n != 8 && n != 9) || !is_digit(b[0]) || !digits(b + 2, 5) || !is_upper(b[7]))
        return VAT_ID_BAD_FORMAT;
    if (is_digit(b[1])) {
        int s = weighted(b, w, 7);
        if (n == 9) {
            const char *extra = strchr("WABCDEFGHI", b[8]);
            if (!b[8] || !extra)
                return VAT_ID_BAD_FORMAT;
            s += 9 * (int)(extra - "WABCDEFGHI");
        }
        return verdict(alphabet[s % 23] == b[7]);
    }
    if (n != 8 || !is_upper(b[1]))
        return VAT_ID_BAD_FORMAT;
    char old[7] = {'0', b[2], b[3], b[4], b[5], b[6], b[0]};
    return verdict(alphabet[weighted(old, w, 7) % 23] == b[7]);
}

/* IT: the 11-digit partita IVA; the last is its Luhn check digit. */
static vat_id_status check_it(const char *b, size_t n)
{
    if (n != 11 || !digits(b, n) || number(b, 7) == 0)
        return VAT_ID_BAD_FORMAT;
    return verdict(luhn_sum(b, n) == 0);
}

/* LT: 9 digits (legal entities, 8th digit 1) or 12 (temporary taxpayers,
 * 11th digit 1); weights 1..9,1.. mod 11, and 3..9,1.. when that gives 10. */
static vat_id_status check_lt(const char *b, size_t n)
{
    if ((n != 9 && n != 12) || !digits(b, n) || b[n - 2] != '1')
        return VAT_ID_BAD_FORMAT;
    int s = 0, s2 = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        s += (int)(1 + i % 9) * dv(b[i]);
        s2 += (int)(1 + (i + 2) % 9) * dv(b[i]);
    }
    int c = s % 11 == 10 ? s2 % 11 : s % 11;
    return verdict(c % 10 == dv(b[n - 1]));
}

/* LU: 8 digits; the last two are the first six mod 89. */
static vat_id_status check_lu(const char *b, size_t n)
{
    if (n != 8 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(number(b, 6) % 89 == number(b + 6, 2));
}

/* LV: 11 digits. Legal entities (first digit above 3): weights sum to 3 mod
 * 11. Persons: the old personal code (ddmmyy, century digit, check digit);
 * the personal codes issued since 2017 (starting with 32) carry no birth date
 * and no published check digit: syntax only. */
static vat_id_status check_lv(const char *b, size_t n)
{
    if (n != 11 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    if (b[0] > '3') {
        static const int w[] = {9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1};
        return verdict(weighted(b, w, 11) % 11 == 3);
    }
    if (!strncmp(b, "32", 2))
        return VAT_ID_OK;
    uint64_t day = number(b, 2), month = number(b + 2, 2);
    if (day < 1 || day > 31 || month < 1 || month > 12)
        return VAT_ID_BAD_FORMAT;
    static const int w[] = {10, 5, 8, 4, 2, 1, 6, 3, 7, 9};
    return verdict((1 + weighted(b, w, 10)) % 11 % 10 == dv(b[10]));
}

/* MT: 8 digits, not starting with 0; weights 3,4,6,7,8,9,10,1 sum to 0 mod 37. */
static vat_id_status check_mt(const char *b, size_t n)
{
    static const int w[] = {3, 4, 6, 7, 8, 9, 10, 1};
    if (n != 8 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 8) % 37 == 0);
}

/* The ISO 7064 MOD 97-10 remainder of "NL" and the body, letters as 10..35. */
static unsigned nl_mod97(const char *b, size_t n)
{
    unsigned r = (23 * 100 + 21) % 97; /* N = 23, L = 21 */
    for (size_t i = 0; i < n; i++)
        r = is_digit(b[i]) ? (r * 10 + (unsigned)dv(b[i])) % 97 : (r * 100 + (unsigned)(b[i] - 'A' + 10)) % 97;
    return r;
}

/* NL: 9 digits, B and a 2-digit branch (not 00). Companies: the RSIN's
 * eleven test (weights 9..2 and -1). Sole traders since 2020: "NL" and the
 * whole number taken as ISO 7064 MOD 97-10 give 1. */
static vat_id_status check_nl(const char *b, size_t n)
{
    static const int w[] = {9, 8, 7, 6, 5, 4, 3, 2, -1};
    if (n != 12 || !digits(b, 9) || b[9] != 'B' || !digits(b + 10, 2) || !strcmp(b + 10, "00"))
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 9) % 11 == 0 || nl_mod97(b, n) == 1);
}

/* PL: the 10-digit NIP; weights 6,5,7,2,3,4,5,6,7 mod 11 give the last. */
static vat_id_status check_pl(const char *b, size_t n)
{
    static const int w[] = {6, 5, 7, 2, 3, 4, 5, 6, 7, -1};
    if (n != 10 || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    return verdict(weighted(b, w, 10) % 11 == 0);
}

/* PT: 9 digits, not starting with 0; weights 9..2, 11 - sum mod 11 (10 -> 0). */
static vat_id_status check_pt(const char *b, size_t n)
{
    static const int w[] = {9, 8, 7, 6, 5, 4, 3, 2};
    if (n != 9 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    return verdict((11 - weighted(b, w, 8) % 11) % 11 % 10 == dv(b[8]));
}

/* RO: 2 to 10 digits, not starting with 0; the others right-aligned under
 * weights 7,5,3,2,1,7,5,3,2, times 10 mod 11 mod 10. */
static vat_id_status check_ro(const char *b, size_t n)
{
    static const int w[] = {7, 5, 3, 2, 1, 7, 5, 3, 2};
    if (n < 2 || n > 10 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    int s = weighted(b, w + (10 - n), n - 1);
    return verdict(s * 10 % 11 % 10 == dv(b[n - 1]));
}

/* SE: the 10-digit organisation number (Luhn) followed by 01. */
static vat_id_status check_se(const char *b, size_t n)
{
    if (n != 12 || !digits(b, n) || strcmp(b + 10, "01"))
        return VAT_ID_BAD_FORMAT;
    return verdict(luhn_sum(b, 10) == 0);
}

/* SI: 8 digits, not starting with 0; 11 - (weights 8..2 mod 11), 10 -> 0,
 * 11 never valid. */
static vat_id_status check_si(const char *b, size_t n)
{
    static const int w[] = {8, 7, 6, 5, 4, 3, 2};
    if (n != 8 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    int c = 11 - weighted(b, w, 7) % 11;
    return verdict(c != 11 && c % 10 == dv(b[7]));
}

/* SK: 10 digits, not starting with 0, divisible by 11. */
static vat_id_status check_sk(const char *b, size_t n)
{
    if (n != 10 || !digits(b, n) || b[0] == '0')
        return VAT_ID_BAD_FORMAT;
    return verdict(number(b, n) % 11 == 0);
}

/* XI: the UK number: 9 digits (or 12, a branch), weights 8..2 on the first 7
 * plus the last 2 giving 0 mod 97 (or 42/55 for numbers issued since 2010);
 * government departments (GD and 3 digits below 500) and health authorities
 * (HA and 3 digits from 500) have no check digit: syntax only. */
static vat_id_status check_xi(const char *b, size_t n)
{
    if (n == 5 && digits(b + 2, 3)) {
        bool gd = !strncmp(b, "GD", 2) && number(b + 2, 3) < 500, ha = !strncmp(b, "HA", 2) && number(b + 2, 3) >= 500;
        return gd || ha ? VAT_ID_OK : VAT_ID_BAD_FORMAT;
    }
    if ((n != 9 && n != 12) || !digits(b, n))
        return VAT_ID_BAD_FORMAT;
    static const int w[] = {8, 7, 6, 5, 4, 3, 2, 10, 1};
    int r = weighted(b, w, 9) % 97;
    return verdict(r == 0 || (number(b, 3) >= 100 && (r == 42 || r == 55)));
}

static const vat_id_country vat_id_countries[] = {
    {"AT", check_at, N_("An Austrian VAT ID is ATU followed by 8 digits.")},
    {"BE", check_be, N_("A Belgian VAT ID is BE followed by 10 digits starting with 0 or 1.")},
    {"BG", check_bg, N_("A Bulgarian VAT ID is BG followed by 9 or 10 digits.")},
    {"CY", check_cy, N_("A Cypriot VAT ID is CY followed by 8 digits and a letter.")},
    {"CZ", check_cz, N_("A Czech VAT ID is CZ followed by 8, 9 or 10 digits.")},
    {"DE", check_de, N_("A German VAT ID is DE followed by 9 digits.")},
    {"DK", check_dk, N_("A Danish VAT ID is DK followed by 8 digits.")},
    {"EE", check_ee, N_("An Estonian VAT ID is EE followed by 9 digits.")},
    {"EL", check_el, N_("A Greek VAT ID is EL followed by 9 digits.")},
    {"ES", check_es, N_("A Spanish VAT ID is ES followed by 9 characters: digits with a letter first, last or both.")},
    {"FI", check_fi, N_("A Finnish VAT ID is FI followed by 8 digits.")},
    {"FR", check_fr, N_("A French VAT ID is FR followed by a 2-character key and the 9 digits of the SIREN.")},
    {"HR", check_hr, N_("A Croatian VAT ID is HR followed by the 11 digits of the OIB.")},
    {"HU", check_hu, N_("A Hungarian VAT ID is HU followed by 8 digits.")},
    {"IE", check_ie, N_("An Irish VAT ID is IE followed by 7 digits and one or two letters.")},
    {"IT", check_it, N_("An Italian VAT ID is IT followed by 11 digits.")},
    {"LT", check_lt, N_("A Lithuanian VAT ID is LT followed by 9 or 12 digits.")},
    {"LU", check_lu, N_("A Luxembourg VAT ID is LU followed by 8 digits.")},
    {"LV", check_lv, N_("A Latvian VAT ID is LV followed by 11 digits.")},
    {"MT", check_mt, N_("A Maltese VAT ID is MT followed by 8 digits.")},
    {"NL", check_nl, N_("A Dutch VAT ID is NL followed by 9 digits, the letter B and 2 digits.")},
    {"PL", check_pl, N_("A Polish VAT ID is PL followed by 10 digits.")},
    {"PT", check_pt, N_("A Portuguese VAT ID is PT followed by 9 digits.")},
    {"RO", check_ro, N_("A Romanian VAT ID is RO followed by 2 to 10 digits.")},
    {"SE", check_se, N_("A Swedish VAT ID is SE followed by 12 digits ending in 01.")},
    {"SI", check_si, N_("A Slovenian VAT ID is SI followed by 8 digits.")},
    {"SK", check_sk, N_("A Slovak VAT ID is SK followed by 10 digits.")},
    {"XI", check_xi, N_("A Northern Ireland VAT ID is XI followed by 9 or 12 digits.")},
};

static const vat_id_country *vat_id_country_of(const char *vat_id)
{
    if (!vat_id || !vat_id[0] || !vat_id[1])
        return NULL;
    for (size_t i = 0; i < sizeof vat_id_countries / sizeof vat_id_countries[0]; i++)
        if (!strncmp(vat_id, vat_id_countries[i].prefix, 2))
            return &vat_id_countries[i];
    return NULL;
}

vat_id_status vat_id_check(const char *vat_id)
{
    const vat_id_country *c = vat_id_country_of(vat_id);
    if (!c)
        return VAT_ID_UNKNOWN_PREFIX;
    size_t n = strnlen(vat_id + 2, VAT_ID_BODY_LEN_MAX + 1);
    if (n == 0 || n > VAT_ID_BODY_LEN_MAX)
        return VAT_ID_BAD_FORMAT;
    vat_id_status st = c->check(vat_id + 2, n);
    assert(st == VAT_ID_OK || st == VAT_ID_BAD_FORMAT || st == VAT_ID_BAD_CHECK);
    return st;
}

const char *vat_id_reason(const char *vat_id, vat_id_status status)
{
    assert(status < VAT_ID_STATUS_COUNT);
    switch (status) {
    case VAT_ID_OK: return NULL;
    case VAT_ID_UNKNOWN_PREFIX:
        return N_("A VAT ID starts with the prefix of an EU country, like IT or DE (EL for Greece, XI for Northern "
                  "Ireland).");
    case VAT_ID_BAD_FORMAT: {
        const vat_id_country *c = vat_id_country_of(vat_id);
        assert(c);
        return c ? c->format : NULL;
    }
    default: return N_("The check digit of this VAT ID does not match: look for a typing error.");
    }
}

const char *vat_id_status_name(vat_id_status status)
{
    static const char *const names[] = {"ok", "unknown_prefix", "bad_format", "bad_check"};
    _Static_assert(sizeof names / sizeof names[0] == VAT_ID_STATUS_COUNT, "one name per status");
    return status < VAT_ID_STATUS_COUNT ? names[status] : "?";
}
