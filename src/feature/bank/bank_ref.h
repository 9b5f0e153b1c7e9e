/* bank_ref.h - the payment reference of an organization, and finding it again.
 *
 * A customer paying by bank transfer types a reference; the bank statement
 * brings it back in the remittance text, often re-spaced, lower-cased or
 * surrounded by other words. The reference is an ISO 11649 creditor reference
 * ("RF" + two mod-97 check digits + body) whose body is "SALDO" and the
 * organization's id zero-padded to BANK_REF_ID_DIGITS digits: stable, unique,
 * typable, self-checking, and of fixed length, so that digits following it in
 * a text never change which organization it names. Pure: no I/O. */
#ifndef SALDO_BANK_REF_H
#define SALDO_BANK_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BANK_REF_PREFIX "SALDO"
#define BANK_REF_ID_DIGITS 8
/* "RF" + check digits + prefix + id. */
#define BANK_REF_LEN (4 + 5 + BANK_REF_ID_DIGITS)
#define BANK_REF_SIZE (BANK_REF_LEN + 1)
/* The reference in groups of four, as shown to people. */
#define BANK_REF_FORMATTED_SIZE (BANK_REF_LEN + BANK_REF_LEN / 4 + 1)
/* The largest organization id a reference can carry. */
#define BANK_REF_ID_MAX INT64_C(99999999)
/* Remittance texts longer than this are only searched in their first part. */
#define BANK_REF_TEXT_MAX 1024

/* Writes the reference of org_id (1..BANK_REF_ID_MAX, asserted) to out
 * (BANK_REF_SIZE bytes), e.g. "RF71SALDO00000042". */
void bank_ref_make(int64_t org_id, char out[BANK_REF_SIZE]);

/* The reference in groups of four ("RF71 SALD O000 0004 2"). */
void bank_ref_format(const char *ref, char out[BANK_REF_FORMATTED_SIZE]);

/* Whether s (letters and digits, upper case, no spaces) is a valid ISO 11649
 * reference: "RF", two check digits (02-98), 1..21 letters or digits, mod 97 == 1. */
bool bank_ref_valid(const char *s);

/* Looks for a saldo reference anywhere in text: letters are upper-cased and
 * everything but letters and digits is dropped, then the first "RF" + two
 * digits + prefix + BANK_REF_ID_DIGITS digits whose check digits hold names
 * the organization. Returns its id (>= 1), or 0 when there is none. */
int64_t bank_ref_find(const char *text);

#endif
