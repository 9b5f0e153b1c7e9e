/* ledger_query.h - read models of the ledger for an organization: its wallets
 * and the ledger lines that touched them, newest first. */
#ifndef SALDO_LEDGER_QUERY_H
#define SALDO_LEDGER_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

enum { LEDGER_WALLETS_MAX = 64, LEDGER_PAGE_MAX = 100 };

typedef struct ledger_wallet_row {
    int64_t account_id;
    char currency[4];
    int64_t balance_minor;
} ledger_wallet_row;

typedef struct ledger_line {
    int64_t transfer_id;
    int64_t created_at;
    char currency[4];
    int64_t amount_minor; /* signed as the wallet sees it: + credit, - debit */
    char kind[32];
    char reference[128];
} ledger_line;

/* Wallets of org, by currency; returns how many (at most max), -1 on store error. */
int ledger_org_wallets(db *d, int64_t org_id, ledger_wallet_row *rows, size_t max);
/* Up to limit lines with transfer id < before_id (0 = from the newest); -1 on error. */
int ledger_org_lines(db *d, int64_t org_id, int64_t before_id, size_t limit, ledger_line *rows);

#endif
