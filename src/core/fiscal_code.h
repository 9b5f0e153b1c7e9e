/* fiscal_code.h - Italian tax identifiers an organization's profile carries:
 * the codice fiscale (16 characters for a person, 11 digits for a company or a
 * public body) and the SDI recipient code of e-invoicing. Typed by people,
 * checked before they are stored (EU VAT IDs: core/vat_id.h). Pure: no I/O. */
#ifndef SALDO_FISCAL_CODE_H
#define SALDO_FISCAL_CODE_H

#include <stdbool.h>
#include <stddef.h>

enum {
    FISCAL_CODE_PERSON_LEN = 16,
    FISCAL_CODE_COMPANY_LEN = 11,
    FISCAL_INPUT_LEN_MAX = 40, /* typed text, spaces included, scanned at most */
    SDI_CODE_BUSINESS_LEN = 7,
    SDI_CODE_PA_LEN = 6,
};

/* Upper-cases s into out without ASCII spaces (size >= FISCAL_INPUT_LEN_MAX + 1).
 * False when s is longer than FISCAL_INPUT_LEN_MAX bytes or holds anything but
 * ASCII letters, digits and spaces. */
bool fiscal_normalize(const char *s, char *out, size_t size);

/* The check character of the first 15 characters of a person's codice
 * fiscale (upper case, already of the right shape). */
char fiscal_code_person_check(const char *first15);
/* The check digit of the first 10 digits of a company's codice fiscale. */
char fiscal_code_company_check(const char *first10);

/* True for a person's codice fiscale (normalized): 6 letters, 2 digits, a
 * month letter (ABCDEHLMPRST), 2 digits of day (01-31, +40 for women), a
 * letter and 3 digits of birthplace, the check letter. Digits may be replaced
 * by LMNPQRSTUV (omocodia, as the law allows for duplicates). */
bool fiscal_code_person_ok(const char *code);
/* True for 11 digits whose last is the check digit of the first ten. */
bool fiscal_code_company_ok(const char *code);

/* True for an SDI recipient code (normalized): 7 letters/digits, or 6 for a
 * public administration (pa true). "0000000" is the code of a business that
 * receives e-invoices by PEC: callers require a PEC address with it. */
bool sdi_code_ok(const char *code, bool pa);

#endif
