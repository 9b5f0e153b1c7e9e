/* postal.h - the rules of a postal address that depend on its country, where
 * they are cheap and certain: Italy's CAP (five digits) and province codes (the
 * official two-letter sigle). Other countries get length limits only, from the
 * caller. Pure: no I/O. */
#ifndef SALDO_POSTAL_H
#define SALDO_POSTAL_H

#include <stdbool.h>
#include <stddef.h>

/* True for an Italian CAP: exactly five ASCII digits. */
bool postal_it_cap_valid(const char *cap);
/* True for the sigla of an Italian province, metropolitan city or free
 * municipal consortium ("MI", "RM", "SU"; upper case only), including the four
 * Sardinian sigle abolished in 2016 (CI, VS, OG, OT) that addresses still use. */
bool postal_it_province_valid(const char *code);
size_t postal_it_province_count(void);

#endif
