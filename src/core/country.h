/* country.h - ISO 3166-1 alpha-2 country codes, and which are in the EU
 * (billing countries, VAT rules). */
#ifndef SALDO_COUNTRY_H
#define SALDO_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>

/* True for an assigned ISO 3166-1 alpha-2 code ("IT"; upper case only). */
bool country_valid(const char *code);
/* True for the 27 member states of the European Union. */
bool country_in_eu(const char *code);
size_t country_count(void);

#endif
