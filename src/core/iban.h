/* iban.h - International Bank Account Number validation and display (ISO 13616).
 *
 * Bank-transfer instructions, the provider's own account and customers'
 * withdrawal accounts all carry an IBAN typed by a person, so it is checked
 * before it is stored: country code, the registered length for that country,
 * the character set and the ISO 7064 mod-97-10 check digits. The BBAN's inner
 * structure (bank code, national check digits) is not checked. Pure: no I/O. */
#ifndef SALDO_IBAN_H
#define SALDO_IBAN_H

#include <stdbool.h>
#include <stddef.h>

/* Longest IBAN of any country, without spaces. */
#define IBAN_LEN_MAX 34
/* Input longer than this (spaces included) is rejected before it is scanned. */
#define IBAN_INPUT_LEN_MAX 64
/* Buffer size that holds any normalized IBAN and its NUL. */
#define IBAN_SIZE (IBAN_LEN_MAX + 1)
/* Buffer size that holds any IBAN formatted in groups of four and its NUL. */
#define IBAN_FORMATTED_SIZE (IBAN_LEN_MAX + (IBAN_LEN_MAX - 1) / 4 + 1)

/* Validates the IBAN in the NUL-terminated string s. ASCII spaces anywhere are
 * ignored (the usual form is groups of four) and letters may be lower case.
 * On success returns true and, when normalized is not NULL, writes the IBAN
 * upper-cased without spaces (size must be at least IBAN_SIZE). On failure
 * returns false, leaves normalized untouched and, when reason is not NULL,
 * points *reason at a static English message such as "check digits do not
 * match" or "wrong length for IT: 27 expected"; on success *reason is NULL. */
bool iban_validate(const char *s, char *normalized, size_t size, const char **reason);

/* Writes a normalized IBAN (as produced by iban_validate) in groups of four
 * separated by single spaces, e.g. "IT60 X054 2811 1010 0000 0123 456".
 * Returns false, writing "" when size > 0, if out is too small (IBAN_FORMATTED_SIZE
 * always suffices) or if s is not upper-case letters and digits of at most
 * IBAN_LEN_MAX characters. */
bool iban_format(const char *s, char *out, size_t size);

#endif
