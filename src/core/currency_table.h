/* currency_table.h - private to currency.c and the generated currency_table.c.
 *
 * Declares the table produced by scripts/gen-currency-table.py so the generated
 * file and its only reader agree on types. Everyone else uses currency.h. */
#ifndef SALDO_CURRENCY_TABLE_H
#define SALDO_CURRENCY_TABLE_H

#include "core/currency.h"

/* Sorted by code (strcmp order), no duplicates. */
extern const currency currency_table[];
extern const size_t currency_table_len;

#endif
