/* ledger_query.h - read models of the ledger for an organization: its wallets
 * and the ledger lines that touched them, newest first. */
#ifndef SALDO_LEDGER_QUERY_H
#define SALDO_LEDGER_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

enum { LEDGER_WALLETS_MAX = 64, LEDGER_PAGE_MAX = 100, LEDGER_FILTER_KINDS_MAX = 8 };

/* Which lines to list. Zero-initialised = every line. from/to are Unix
 * seconds, from inclusive and to exclusive (0 = unbounded); currency "" = any;
 * kinds: nkinds transfer kinds (0 = any). */
typedef struct ledger_filter {
    int64_t from, to;
    char currency[4];
    const char *kinds[LEDGER_FILTER_KINDS_MAX];
    size_t nkinds;
} ledger_filter;

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
    int64_t balance_after; /* the wallet's balance after this line (ledger_org_lines_csv only) */
} ledger_line;

/* Wallets of org, by currency; returns how many (at most max), -1 on store error. */
int ledger_org_wallets(db *d, int64_t org_id, ledger_wallet_row *rows, size_t max);
/* Up to limit lines with transfer id < before_id (0 = from the newest); -1 on error. */
int ledger_org_lines(db *d, int64_t org_id, int64_t before_id, size_t limit, ledger_line *rows);
/* As ledger_org_lines, only the lines f lets through (f NULL = all). The
 * position before_id is the same in every filter: pages of one filter follow
 * each other by id whatever the filter is. */
int ledger_org_lines_filtered(db *d, int64_t org_id, const ledger_filter *f, int64_t before_id, size_t limit,
                              ledger_line *rows);
/* The statements of ledger_org_wallets and of ledger_org_lines_filtered (one
 * wallet's credits, its debits), for the store test that checks their plans
 * with EXPLAIN QUERY PLAN. */
extern const char ledger_wallets_sql[];
extern const char ledger_lines_credit_sql[];
extern const char ledger_lines_debit_sql[];
/* Calls row(line, ctx) for the newest max lines f lets through, newest first,
 * with balance_after set (a running sum over every line of the wallet, not
 * only those shown). Returns how many, -1 on store error or when row says false. */
int ledger_org_lines_csv(db *d, int64_t org_id, const ledger_filter *f, size_t max,
                         bool (*row)(const ledger_line *line, void *ctx), void *ctx);

#endif
