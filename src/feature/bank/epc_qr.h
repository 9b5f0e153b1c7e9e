/* epc_qr.h - the EPC069-12 "BCD" payload of a SEPA credit transfer QR code.
 *
 * Banking apps scan it to prefill a transfer: version 002, character set 1
 * (UTF-8), SCT, the beneficiary's BIC, name and IBAN, an optional amount in
 * euro and the structured (ISO 11649) reference. Pure: no I/O. */
#ifndef SALDO_EPC_QR_H
#define SALDO_EPC_QR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"

#define EPC_NAME_MAX 70
#define EPC_BIC_MAX 11
/* The largest amount the standard allows: EUR 999999999.99. */
#define EPC_AMOUNT_MAX INT64_C(99999999999)

typedef struct epc_payment {
    const char *bic;          /* 8 or 11 characters, or "" (optional in version 002) */
    const char *name;         /* beneficiary, 1..EPC_NAME_MAX bytes */
    const char *iban;         /* normalized (core/iban.h) */
    int64_t amount_cents;     /* 0 = none (the payer types it), else 1..EPC_AMOUNT_MAX */
    const char *reference;    /* ISO 11649 creditor reference */
} epc_payment;

/* Appends the payload's lines (joined by '\n', no trailing newline) to out.
 * False, appending nothing, when a field is out of the standard's bounds. */
bool epc_payload(const epc_payment *p, buf *out);

#endif
