/* fiscal_code.c - see fiscal_code.h. The check-character tables are those of
 * the Decreto Ministeriale 23 dicembre 1976 (codice fiscale). */
#include "core/fiscal_code.h"

#include <assert.h>
#include <string.h>


static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool fiscal_normalize(const char *s, char *out, size_t size)
{
    assert(s && out && size > FISCAL_INPUT_LEN_MAX);
    size_t n = 0;
    for (size_t i = 0; s[i]; i++) {
        if (i >= FISCAL_INPUT_LEN_MAX)
            return false;
        char c = s[i];
        if (c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!is_upper(c) && !is_digit(c))
            return false;
        out[n++] = c;
    }
    assert(n < size);
    out[n] = '\0';
    return true;
}

/* Values of a character in an odd position (1st, 3rd, ...): digits as the
 * letter of the same rank (0 as A, 1 as B, ...). */
static const int odd_values[26] = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18,
                                   20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23};

char fiscal_code_person_check(const char *first15)
{
    int sum = 0;
    for (int i = 0; i < 15; i++) {
        char c = first15[i];
        assert(is_upper(c) || is_digit(c));
        int rank = is_digit(c) ? c - '0' : c - 'A';
        sum += (i % 2 == 0) ? odd_values[rank] : rank; /* i is 0-based: even i is an odd position */
    }
    return (char)('A' + sum % 26);
}

char fiscal_code_company_check(const char *first10)
{
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        assert(is_digit(first10[i]));
        int d = first10[i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

/* A digit, or its omocodia letter. */
static bool omo_digit(char c)
{
    return is_digit(c) || (c && strchr("LMNPQRSTUV", c));
}

bool fiscal_code_person_ok(const char *code)
{
    if (!code || strlen(code) != FISCAL_CODE_PERSON_LEN)
        return false;
    static const char shape[] = "AAAAAA99A99A999A"; /* A letter, 9 digit or omocodia letter */
    for (int i = 0; i < FISCAL_CODE_PERSON_LEN; i++)
        if (shape[i] == 'A' ? !is_upper(code[i]) : !omo_digit(code[i]))
            return false;
    if (!strchr("ABCDEHLMPRST", code[8]))
        return false;
    /* The day, with omocodia letters read back as digits. */
    int day = 0;
    for (int i = 9; i <= 10; i++) {
        char c = code[i];
        day = day * 10 + (is_digit(c) ? c - '0' : (int)(strchr("LMNPQRSTUV", c) - "LMNPQRSTUV"));
    }
    if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71)))
        return false;
    return fiscal_code_person_check(code) == code[15];
}

bool fiscal_code_company_ok(const char *code)
{
    if (!code || strlen(code) != FISCAL_CODE_COMPANY_LEN)
        return false;
    for (int i = 0; i < FISCAL_CODE_COMPANY_LEN; i++)
        if (!is_digit(code[i]))
            return false;
    return fiscal_code_company_check(code) == code[10];
}

bool sdi_code_ok(const char *code, bool pa)
{
    size_t want = pa ? SDI_CODE_PA_LEN : SDI_CODE_BUSINESS_LEN;
    if (!code || strlen(code) != want)
        return false;
    for (size_t i = 0; i < want; i++)
        if (!is_upper(code[i]) && !is_digit(code[i]))
            return false;
    return true;
}
