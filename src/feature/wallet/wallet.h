/* wallet.h - an organization's prepaid balances and their ledger lines, as the
 * customer sees them (API and pages). Reads the ledger through its header. */
#ifndef SALDO_WALLET_H
#define SALDO_WALLET_H

#include <jansson.h>

#include "feature/ledger/ledger_query.h"
#include "http/router.h"

enum { WALLET_KINDS_COUNT = 8, WALLET_CSV_ROWS_MAX = 10000 };

/* The transfer kinds customers may filter by, and their names in lang. */
extern const char *const wallet_kinds[WALLET_KINDS_COUNT];
const char *wallet_kind_label(const char *lang, const char *kind);
/* What a line is, in lang: its kind's name, or "Bank transfer" for a top-up
 * credited from a bank statement (reference "bank_entry:<id>"). */
const char *wallet_line_label(const char *lang, const char *kind, const char *reference);

/* The filters of the history as given in a query string (NULL or "" = none):
 * from, to (YYYY-MM-DD, inclusive, UTC), type and status (comma-separated
 * lists), currency (a code). */
typedef struct wallet_query {
    const char *from, *to, *type, *currency, *status;
} wallet_query;

/* A parsed filter; the texts are its canonical form for links ("" = none). */
typedef struct wallet_filter {
    ledger_filter ledger;
    bool completed; /* false when the status filter leaves out completed movements */
    char from[11], to[11], type[96], status[32];
} wallet_filter;

/* Parses q into f; false with the field and an English message (a msgid) when
 * a value is malformed, unknown, or from is after to. */
bool wallet_parse_filter(const wallet_query *q, wallet_filter *f, const char **bad_field, const char **message);
/* f as a query string "from=...&type=..." ("" for no filter), in a. */
const char *wallet_filter_query(arena *a, const wallet_filter *f);

/* wallet_routes registers the CSV route too (wallet_csv_routes). */
void wallet_routes(router *rt);
void wallet_csv_routes(router *rt);
/* The org of the path, if the caller may see its money; else answers 404. */
bool wallet_api_org(http_request *r, int64_t *org_id);
/* {"wallets": [{"currency", "balance": money}]} of org, or NULL on store error. */
json_t *wallet_list_json(http_request *r, int64_t org_id);
/* {"transactions": [...], "next_cursor": "..."|null} for one page. */
json_t *wallet_lines_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit);
/* The same, only the lines f lets through (f NULL = all). */
json_t *wallet_lines_filtered_json(http_request *r, int64_t org_id, const wallet_filter *f, int64_t before_id,
                                   size_t limit);
/* Answers with that page (200), written without a jansson tree; 500 on a
 * store error. For the API routes of a wallet's lines. */
void wallet_lines_answer(http_request *r, int64_t org_id, const wallet_filter *f, int64_t before_id, size_t limit);
/* Reads the filters of the query string into f; answers 422 itself when bad. */
bool wallet_filter_args(http_request *r, wallet_filter *f);
/* Parses the limit (1-99, default 20; NULL = default) and cursor (a
 * next_cursor this API returned; NULL = the newest) of a page of lines.
 * False with *bad_field set to "limit" or "cursor" when one is malformed. */
bool wallet_parse_page(const char *limit_text, const char *cursor, int64_t *before_id, size_t *limit,
                       const char **bad_field);
/* Reads ?limit= and ?cursor=; answers 422 itself when they are bad. */
bool wallet_page_args(http_request *r, int64_t *before_id, size_t *limit);

#endif
