/* vat_id.h - EU VAT identification numbers: the shape each member state gives
 * its numbers and the check digits it publishes, for the 27 member states and
 * XI (Northern Ireland). A VAT ID decides whether a sale is reverse charged,
 * so a mistyped one is refused where it is typed, with the reason. Whether the
 * number is registered (VIES) is not checked here. Pure: no I/O. */
#ifndef SALDO_VAT_ID_H
#define SALDO_VAT_ID_H

#include <stdbool.h>

typedef enum vat_id_status {
    VAT_ID_OK,
    VAT_ID_UNKNOWN_PREFIX, /* not the prefix of a member state (GR is not one: EL is) */
    VAT_ID_BAD_FORMAT,     /* wrong length or characters for the prefix's country */
    VAT_ID_BAD_CHECK,      /* the right shape, but the check digits do not match */
    VAT_ID_STATUS_COUNT
} vat_id_status;

/* Checks a normalized VAT ID (upper case, no spaces, the prefix included, as
 * fiscal_normalize writes it). NULL is VAT_ID_UNKNOWN_PREFIX. */
vat_id_status vat_id_check(const char *vat_id);

/* The reason for a status other than VAT_ID_OK, as an English message (a
 * msgid of po/saldo.pot): for VAT_ID_BAD_FORMAT it describes the format of
 * the country of vat_id's prefix. NULL for VAT_ID_OK. */
const char *vat_id_reason(const char *vat_id, vat_id_status status);

/* The status's name ("ok", "unknown_prefix", "bad_format", "bad_check"). */
const char *vat_id_status_name(vat_id_status status);

#endif
