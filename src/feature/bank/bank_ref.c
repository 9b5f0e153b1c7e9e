/* bank_ref.c - ISO 11649 creditor references naming organizations (see bank_ref.h). */
#include "feature/bank/bank_ref.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ISO 11649 allows at most 21 characters after "RFkk". */
#define RF_BODY_MAX 21

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* mod 97 of body followed by "RF" and the two check characters, letters
 * expanded to 10..35 (the ISO 7064 mod-97-10 order of ISO 11649). */
static unsigned rf_mod97(const char *body, size_t body_len, const char check[2])
{
    unsigned rem = 0;
    char tail[4] = {'R', 'F', check[0], check[1]};
    for (size_t i = 0; i < body_len + 4; i++) {
        char c = i < body_len ? body[i] : tail[i - body_len];
        if (is_upper(c))
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
    }
    return rem;
}

/* "RF" and two check digits at p, in the range ISO 11649 gives them (02-98):
 * 00, 01 and 99 would also pass mod 97 as aliases of 97, 98 and 02. */
static bool rf_head_ok(const char *p)
{
    if (p[0] != 'R' || p[1] != 'F' || !is_digit(p[2]) || !is_digit(p[3]))
        return false;
    int check = (p[2] - '0') * 10 + (p[3] - '0');
    return check >= 2 && check <= 98;
}

void bank_ref_make(int64_t org_id, char out[BANK_REF_SIZE])
{
    assert(org_id >= 1 && org_id <= BANK_REF_ID_MAX);
    char body[BANK_REF_LEN];
    int n = snprintf(body, sizeof body, BANK_REF_PREFIX "%0*" PRId64, BANK_REF_ID_DIGITS, org_id);
    assert(n == BANK_REF_LEN - 4);
    unsigned check = 98 - rf_mod97(body, (size_t)n, "00");
    assert(check >= 2 && check <= 98);
    out[0] = 'R';
    out[1] = 'F';
    out[2] = (char)('0' + check / 10);
    out[3] = (char)('0' + check % 10);
    memcpy(out + 4, body, (size_t)n + 1);
    assert(bank_ref_valid(out));
}

void bank_ref_format(const char *ref, char out[BANK_REF_FORMATTED_SIZE])
{
    size_t o = 0;
    for (size_t i = 0; i < BANK_REF_LEN && ref[i]; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = ' ';
        out[o++] = ref[i];
    }
    out[o] = '\0';
}

bool bank_ref_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 5 || n > 4 + RF_BODY_MAX || !rf_head_ok(s))
        return false;
    for (size_t i = 4; i < n; i++)
        if (!is_upper(s[i]) && !is_digit(s[i]))
            return false;
    return rf_mod97(s + 4, n - 4, s + 2) == 1;
}

/* The id named by a reference starting at p (BANK_REF_LEN characters
 * available), or 0. */
static int64_t ref_at(const char *p)
{
    const size_t pre = strlen(BANK_REF_PREFIX);
    if (!rf_head_ok(p) || memcmp(p + 4, BANK_REF_PREFIX, pre))
        return 0;
    int64_t id = 0;
    for (size_t i = 4 + pre; i < BANK_REF_LEN; i++) {
        if (!is_digit(p[i]))
            return 0;
        id = id * 10 + (p[i] - '0');
    }
    if (id < 1 || rf_mod97(p + 4, BANK_REF_LEN - 4, p + 2) != 1)
        return 0;
    return id;
}

int64_t bank_ref_find(const char *text)
{
    char norm[BANK_REF_TEXT_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < BANK_REF_TEXT_MAX && text[i]; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (is_upper(c) || is_digit(c))
            norm[n++] = c;
    }
    norm[n] = '\0';
    for (size_t i = 0; i + BANK_REF_LEN <= n; i++) {
        int64_t id = ref_at(norm + i);
        if (id)
            return id;
    }
    return 0;
}
