/* wallet.h - an organization's prepaid balances and their ledger lines, as the
 * customer sees them (API and pages). Reads the ledger through its header. */
#ifndef SALDO_WALLET_H
#define SALDO_WALLET_H

#include <jansson.h>

#include "http/router.h"

void wallet_routes(router *rt);
/* {"wallets": [{"currency", "balance": money}]} of org, or NULL on store error. */
json_t *wallet_list_json(http_request *r, int64_t org_id);
/* {"transactions": [...], "next_cursor": "..."|null} for one page. */
json_t *wallet_lines_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit);
/* Parses the limit (1-99, default 20; NULL = default) and cursor (a
 * next_cursor this API returned; NULL = the newest) of a page of lines.
 * False with *bad_field set to "limit" or "cursor" when one is malformed. */
bool wallet_parse_page(const char *limit_text, const char *cursor, int64_t *before_id, size_t *limit,
                       const char **bad_field);
/* Reads ?limit= and ?cursor=; answers 422 itself when they are bad. */
bool wallet_page_args(http_request *r, int64_t *before_id, size_t *limit);

#endif
