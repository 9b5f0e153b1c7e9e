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
/* Reads ?limit= and ?cursor=; answers 422 itself when they are bad. */
bool wallet_page_args(http_request *r, int64_t *before_id, size_t *limit);

#endif
