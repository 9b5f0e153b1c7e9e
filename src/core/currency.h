/* currency.h - the ISO 4217 currencies saldo knows, with their minor units.
 *
 * Every amount in saldo is an integer of minor units of one of these
 * currencies; the exponent says how many minor units make a major one
 * (JPY 0, EUR 2, BHD 3, CLF 4). The table is static and immutable, so a
 * `const currency *` is a stable identity: compare currencies by address. */
#ifndef SALDO_CURRENCY_H
#define SALDO_CURRENCY_H

#include <stddef.h>

typedef struct currency {
    char code[4];     /* ISO 4217 alphabetic code, NUL-terminated ("EUR") */
    int numeric;      /* ISO 4217 numeric code (978) */
    int exponent;     /* minor-unit digits, 0..4 */
    const char *name; /* English name from the ISO list, UTF-8 */
} currency;

/* Largest exponent in the table: what formatting and parsing must handle. */
#define CURRENCY_EXPONENT_MAX 4

/* Looks a currency up by its alphabetic code. `code` must be exactly three
 * uppercase ASCII letters followed by NUL ("EUR"); anything else, including
 * NULL, lowercase or an unknown code, returns NULL. Never reads past the NUL. */
const currency *currency_find(const char *code);

/* Number of currencies in the table. */
size_t currency_count(void);

/* The i-th currency in code order; i must be < currency_count() (asserted). */
const currency *currency_at(size_t i);

#endif
