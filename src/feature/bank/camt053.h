/* camt053.h - reader of ISO 20022 camt.053 bank-to-customer statements.
 *
 * `saldo import-statement` and the staff upload page feed the bank's end of
 * day statement through this parser before anything is matched or credited.
 * Versions .001.02 and .001.08 are read. The file is hostile input: parsed
 * from memory with no network and no entity substitution, no DOCTYPE at all,
 * bounded in size and in counts, every value checked; anything unexpected is
 * a one-line English error, never a partial result. Amounts are exact decimal
 * text turned into minor units (core/money.h), never floating point. */
#ifndef SALDO_CAMT053_H
#define SALDO_CAMT053_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/iban.h"

#define CAMT_INPUT_BYTES_MAX (4 * 1024 * 1024)
#define CAMT_STATEMENTS_MAX 64
#define CAMT_ENTRIES_MAX 2000
#define CAMT_ID_MAX 35        /* Max35Text: statement id, references */
#define CAMT_NAME_MAX 140     /* Max140Text: debtor name */
#define CAMT_TEXT_MAX 1024    /* remittance information, joined */

typedef struct camt_entry {
    bool credit;                  /* CRDT (else DBIT) */
    bool booked;                  /* status BOOK (else pending or information) */
    bool reversal;                /* RvslInd true */
    int64_t amount_minor;         /* > 0, in minor units of currency */
    char currency[4];
    char booking_date[11];        /* YYYY-MM-DD, "" when absent */
    char ref[CAMT_ID_MAX + 1];    /* AcctSvcrRef, else NtryRef, else "" */
    bool ref_from_servicer;       /* ref is the AcctSvcrRef: the bank's own, unique for the account */
    char remittance[CAMT_TEXT_MAX + 1]; /* unstructured lines and creditor references, space-separated */
    char debtor_name[CAMT_NAME_MAX + 1];
    char debtor_iban[IBAN_SIZE];  /* "" when absent or not an IBAN */
} camt_entry;

typedef struct camt_statement {
    char id[CAMT_ID_MAX + 1];
    char iban[IBAN_SIZE];         /* the account the statement is about */
    size_t first_entry;           /* index into camt_doc.entries */
    size_t entry_count;
} camt_statement;

typedef struct camt_doc {
    int version;                  /* 2 or 8 */
    size_t statement_count;       /* >= 1 */
    camt_statement statements[CAMT_STATEMENTS_MAX];
    size_t entry_count;
    camt_entry entries[CAMT_ENTRIES_MAX];
} camt_doc;

/* Parses len bytes at data into *out (large: allocate it). True on success;
 * on failure false with a one-line message in err ("malformed XML at line 3:
 * ...", "DOCTYPE not allowed", "not a camt.053 statement", "entry 2 of
 * statement 'X': amount '1.234' has too many decimals for EUR", ...). */
bool camt053_parse(const char *data, size_t len, camt_doc *out, char *err, size_t err_size);

#endif
