/* wallet_api.c - GET /api/v1/orgs/{org_id}/wallets and .../transactions
 * (filtered by date, type, currency and status; a page at a time).
 * Only members with the billing right see them; anyone else gets 404. */
#include "feature/wallet/wallet.h"

#include <string.h>

#include "core/currency.h"
#include "core/number_text.h"
#include "feature/ledger/ledger_query.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"
#include "http/json_write.h"

json_t *wallet_list_json(http_request *r, int64_t org_id)
{
    ledger_wallet_row rows[LEDGER_WALLETS_MAX];
    int n = ledger_org_wallets(r->db, org_id, rows, LEDGER_WALLETS_MAX);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        const currency *c = currency_find(rows[i].currency);
        if (!c)
            continue;
        json_array_append_new(list, json_pack("{s:s, s:o}", "currency", c->code, "balance",
                                              jout_money(money_make(rows[i].balance_minor, c), r->lang)));
    }
    return json_pack("{s:o}", "wallets", list);
}

json_t *wallet_lines_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit)
{
    return wallet_lines_filtered_json(r, org_id, NULL, before_id, limit);
}

/* One page of the lines below before_id that f lets through (NULL: all):
 * up to limit + 1 of them into the arena's *rows, the extra one saying that
 * a next page exists; -1 on a store error. */
static int read_page(http_request *r, int64_t org_id, const wallet_filter *f, int64_t before_id, size_t limit,
                     ledger_line **rows)
{
    *rows = arena_alloc(r->a, sizeof **rows * (limit + 1));
    if (f && !f->completed)
        return 0; /* a status filter without "completed" leaves out every ledger line */
    return ledger_org_lines_filtered(r->db, org_id, f ? &f->ledger : NULL, before_id, limit + 1, *rows);
}

json_t *wallet_lines_filtered_json(http_request *r, int64_t org_id, const wallet_filter *f, int64_t before_id,
                                   size_t limit)
{
    ledger_line *rows;
    int n = read_page(r, org_id, f, before_id, limit, &rows);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n && (size_t)i < limit; i++) {
        const currency *c = currency_find(rows[i].currency);
        if (!c)
            continue;
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o}",
            "id", (json_int_t)rows[i].transfer_id, "created_at", jout_time(rows[i].created_at),
            "kind", rows[i].kind, "reference", rows[i].reference, "status", "completed",
            "direction", rows[i].amount_minor >= 0 ? "credit" : "debit",
            "amount", jout_money(money_make(rows[i].amount_minor, c), r->lang)));
    }
    json_t *next = (size_t)n > limit ? json_string(arena_printf(r->a, "%lld", (long long)rows[limit - 1].transfer_id))
                                     : json_null();
    return json_pack("{s:o, s:o}", "transactions", list, "next_cursor", next);
}

bool wallet_api_org(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

/* The balance read on every page view of an API client: written straight
 * into the answer (json_write.h), the same document as wallet_list_json. */
static void get_wallets(http_request *r)
{
    int64_t org_id;
    if (!wallet_api_org(r, &org_id))
        return;
    ledger_wallet_row rows[LEDGER_WALLETS_MAX];
    int n = ledger_org_wallets(r->db, org_id, rows, LEDGER_WALLETS_MAX);
    if (n < 0)
        return (void)http_error(r, 500, "store_error", "cannot read the wallets", NULL);
    jw w;
    jw_init(&w, http_json_body(r, 200));
    jw_object(&w);
    jw_key(&w, "wallets");
    jw_array(&w);
    for (int i = 0; i < n; i++) {
        const currency *c = currency_find(rows[i].currency);
        if (!c)
            continue;
        jw_object(&w);
        jw_key(&w, "currency");
        jw_str(&w, c->code);
        jw_key(&w, "balance");
        jw_money(&w, money_make(rows[i].balance_minor, c), r->lang);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
}

bool wallet_parse_page(const char *limit_text, const char *cursor, int64_t *before_id, size_t *limit,
                       const char **bad_field)
{
    int64_t v = 20;
    *before_id = 0;
    if (limit_text && !int_text_parse(limit_text, 1, LEDGER_PAGE_MAX - 1, &v))
        return *bad_field = "limit", false;
    *limit = (size_t)v;
    if (cursor && !int_text_id(cursor, before_id))
        return *bad_field = "cursor", false;
    return true;
}

bool wallet_page_args(http_request *r, int64_t *before_id, size_t *limit)
{
    const char *bad = NULL;
    if (wallet_parse_page(http_query(r, "limit"), http_query(r, "cursor"), before_id, limit, &bad))
        return true;
    if (!strcmp(bad, "limit"))
        http_error(r, 422, "invalid_field", "limit: must be a whole number from 1 to 99", "limit");
    else
        http_error(r, 422, "invalid_field", "cursor: not a cursor this API returned", "cursor");
    return false;
}

bool wallet_filter_args(http_request *r, wallet_filter *f)
{
    wallet_query q = {http_query(r, "from"), http_query(r, "to"), http_query(r, "type"), http_query(r, "currency"),
                      http_query(r, "status")};
    const char *field, *message;
    if (wallet_parse_filter(&q, f, &field, &message))
        return true;
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
    return false;
}

/* A page of lines as wallet_lines_filtered_json gives it, written straight
 * into the answer (json_write.h): the mixed workload's most frequent read
 * after the catalog and the balance. */
static void write_lines(http_request *r, const ledger_line *rows, int n, size_t limit)
{
    jw w;
    jw_init(&w, http_json_body(r, 200));
    jw_object(&w);
    jw_key(&w, "transactions");
    jw_array(&w);
    for (int i = 0; i < n && (size_t)i < limit; i++) {
        const currency *c = currency_find(rows[i].currency);
        if (!c)
            continue;
        char when[JOUT_TIME_BYTES];
        jout_time_text(rows[i].created_at, when);
        jw_object(&w);
        jw_key(&w, "id");
        jw_int(&w, rows[i].transfer_id);
        jw_key(&w, "created_at");
        jw_str(&w, when);
        jw_key(&w, "kind");
        jw_str(&w, rows[i].kind);
        jw_key(&w, "reference");
        jw_str(&w, rows[i].reference);
        jw_key(&w, "status");
        jw_str(&w, "completed");
        jw_key(&w, "direction");
        jw_str(&w, rows[i].amount_minor >= 0 ? "credit" : "debit");
        jw_key(&w, "amount");
        jw_money(&w, money_make(rows[i].amount_minor, c), r->lang);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "next_cursor");
    if ((size_t)n > limit)
        jw_str(&w, arena_printf(r->a, "%lld", (long long)rows[limit - 1].transfer_id));
    else
        jw_null(&w);
    jw_object_end(&w);
}

void wallet_lines_answer(http_request *r, int64_t org_id, const wallet_filter *f, int64_t before_id, size_t limit)
{
    ledger_line *rows;
    int n = read_page(r, org_id, f, before_id, limit, &rows);
    if (n < 0)
        return (void)http_error(r, 500, "store_error", "cannot read the transactions", NULL);
    write_lines(r, rows, n, limit);
}

static void get_transactions(http_request *r)
{
    int64_t org_id, before_id;
    size_t limit;
    wallet_filter f;
    if (wallet_api_org(r, &org_id) && wallet_page_args(r, &before_id, &limit) && wallet_filter_args(r, &f))
        wallet_lines_answer(r, org_id, &f, before_id, limit);
}

void wallet_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/wallets", get_wallets, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/transactions", get_transactions, ROUTE_USER);
    wallet_csv_routes(rt);
}
