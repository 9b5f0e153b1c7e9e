/* web_billing.c - the wallet (a balance per currency) and its transactions,
 * newest first, a page at a time with the API's cursor, filtered by a GET form
 * (dates, type, currency) whose values the pager and CSV links keep. Only
 * members with the billing right see them; anyone else gets the 404 page, as
 * in the API. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"

enum { WEB_TRANSACTIONS_PAGE = 20 };

const char *web_kind_label(http_request *r, const char *kind)
{
    return wallet_kind_label(r->lang, kind);
}

/* The current organization if the user may see its money, else 0 (404 page sent). */
static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static void get_wallet(http_request *r)
{
    int64_t org = billing_org(r);
    if (!org)
        return;
    json_t *w = wallet_list_json(r, org);
    if (!w)
        return web_fail(r);
    json_object_set_new(w, "has_wallets", json_boolean(json_array_size(json_object_get(w, "wallets")) > 0));
    web_page(r, 200, "pages/wallet", _("Wallet"), "billing", w);
}

void web_decorate_lines(http_request *r, json_t *lines)
{
    size_t i;
    json_t *line;
    json_array_foreach(lines, i, line) {
        json_object_set_new(line, "date", json_string(web_datetime(r, json_string_value(json_object_get(line, "created_at")))));
        const char *kind = json_string_value(json_object_get(line, "kind"));
        const char *ref = json_string_value(json_object_get(line, "reference"));
        json_object_set_new(line, "label", json_string(wallet_line_label(r->lang, kind, ref)));
        json_object_set_new(line, "credit", json_boolean(!strcmp(json_string_value(json_object_get(line, "direction")), "credit")));
    }
}

/* The form's values and choices: type and currency selects (the org's wallets). */
static json_t *filter_form(http_request *r, const wallet_query *q, json_t *wallets)
{
    json_t *types = json_array(), *currencies = json_array();
    for (size_t i = 0; i < WALLET_KINDS_COUNT; i++)
        json_array_append_new(types, json_pack("{s:s, s:s, s:b}", "value", wallet_kinds[i], "label",
                                               web_kind_label(r, wallet_kinds[i]),
                                               "selected", q->type && !strcmp(q->type, wallet_kinds[i])));
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(wallets, "wallets"), i, w) {
        const char *code = json_string_value(json_object_get(w, "currency"));
        json_array_append_new(currencies, json_pack("{s:s, s:b}", "code", code,
                                                    "selected", q->currency && !strcmp(q->currency, code)));
    }
    return json_pack("{s:s, s:s, s:o, s:o}", "from", q->from ? q->from : "", "to", q->to ? q->to : "",
                     "types", types, "currencies", currencies);
}

/* The filtered page into page (lines, pager and CSV links); false on a store error. */
static bool filtered_lines(http_request *r, int64_t org, const wallet_filter *f, int64_t before_id, json_t *page)
{
    json_t *lines_page = wallet_lines_filtered_json(r, org, f, before_id, WEB_TRANSACTIONS_PAGE);
    if (!lines_page)
        return false;
    const char *query = wallet_filter_query(r->a, f);
    const char *sep = *query ? "&" : "";
    json_t *lines = json_object_get(lines_page, "transactions");
    web_decorate_lines(r, lines);
    json_object_set(page, "transactions", lines);
    json_object_set_new(page, "has_transactions", json_boolean(json_array_size(lines) > 0));
    json_t *next = json_object_get(lines_page, "next_cursor");
    if (json_is_string(next))
        json_object_set_new(page, "older_url", json_string(arena_printf(r->a, "/billing/transactions?%s%scursor=%s",
                                                                         query, sep, json_string_value(next))));
    if (before_id > 0)
        json_object_set_new(page, "newest_url", json_string(arena_printf(r->a, "/billing/transactions%s%s",
                                                                          *query ? "?" : "", query)));
    json_object_set_new(page, "csv_url", json_string(arena_printf(r->a, "/api/v1/orgs/%lld/transactions.csv%s%s",
                                                                   (long long)org, *query ? "?" : "", query)));
    json_object_set_new(page, "filtered", json_boolean(*query != '\0'));
    json_decref(lines_page);
    return true;
}

static void get_transactions(http_request *r)
{
    int64_t before_id;
    size_t limit;
    const char *bad, *message;
    if (!wallet_parse_page(NULL, http_query(r, "cursor"), &before_id, &limit, &bad))
        return web_error_page(r, 404);
    int64_t org = billing_org(r);
    if (!org)
        return;
    json_t *wallets = wallet_list_json(r, org);
    if (!wallets)
        return web_fail(r);
    wallet_query q = {http_query(r, "from"), http_query(r, "to"), http_query(r, "type"), http_query(r, "currency"),
                      NULL};
    wallet_filter f;
    json_t *page = json_pack("{s:o, s:o}", "form", filter_form(r, &q, wallets), "errors", json_object());
    json_decref(wallets);
    if (!wallet_parse_filter(&q, &f, &bad, &message)) {
        json_object_set_new(json_object_get(page, "errors"), bad, json_string(i18n_text(r->lang, message)));
        json_object_set_new(page, "invalid", json_true());
        return web_page(r, 422, "pages/transactions", _("Transactions"), "billing", page);
    }
    if (!filtered_lines(r, org, &f, before_id, page))
        return (void)json_decref(page), web_fail(r);
    web_page(r, 200, "pages/transactions", _("Transactions"), "billing", page);
}

void web_billing_routes(router *rt)
{
    router_add(rt, "GET", "/billing", get_wallet, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/transactions", get_transactions, ROUTE_USER | ROUTE_PAGE);
}
