/* pain001.h - writes an ISO 20022 pain.001.001.03 customer credit transfer
 * initiation (the SEPA credit-transfer file banks in the euro area accept).
 *
 * The writer knows nothing of where a transfer comes from: withdrawals today,
 * refunds by bank later pass the same list of outgoing credit transfers. Pure:
 * no I/O, no clock (the caller passes the time). */
#ifndef SALDO_PAIN001_H
#define SALDO_PAIN001_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum {
    PAIN001_ID_MAX = 35,        /* MsgId, PmtInfId, EndToEndId */
    PAIN001_NAME_MAX = 70,      /* Nm */
    PAIN001_REMITTANCE_MAX = 140, /* Ustrd */
};

/* One outgoing credit transfer. */
typedef struct pain001_tx {
    const char *end_to_end_id; /* 1..PAIN001_ID_MAX printable ASCII */
    int64_t amount_minor;      /* > 0, in cents */
    const char *creditor_name; /* UTF-8; cut at PAIN001_NAME_MAX characters */
    const char *creditor_iban; /* normalized */
    const char *remittance;    /* UTF-8; cut at PAIN001_REMITTANCE_MAX characters */
} pain001_tx;

/* The payer's side and the group header. */
typedef struct pain001_head {
    const char *msg_id;        /* 1..PAIN001_ID_MAX printable ASCII, unique per file */
    int64_t created_at;        /* Unix seconds: CreDtTm (UTC) and ReqdExctnDt */
    const char *debtor_name;
    const char *debtor_iban;   /* normalized */
    const char *debtor_bic;    /* "" = NOTPROVIDED (an IBAN-only SEPA payment) */
} pain001_head;

/* "12.34" for 1234: the amount of minor (>= 0) cents with exactly two decimals;
 * size >= 24 always suffices. */
void pain001_amount(int64_t minor, char *out, size_t size);
/* Appends s as XML character data: & < > " ' escaped, control characters
 * dropped, cut after max characters (UTF-8 code points, never inside one). */
bool pain001_put_text(buf *b, const char *s, size_t max);
/* Appends the whole document for n >= 1 transfers in EUR to out. False when
 * out's limit is reached. */
bool pain001_write(buf *out, const pain001_head *h, const pain001_tx *tx, size_t n);

#endif
