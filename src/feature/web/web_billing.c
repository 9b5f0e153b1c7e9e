/* web_billing.c - the wallet (a balance per currency) and its transactions,
 * newest first, a page at a time with the API's cursor. Only members with the
 * billing right see them; anyone else gets the 404 page, as in the API. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"

enum { WEB_TRANSACTIONS_PAGE = 20 };

/* Labels of the ledger's transfer kinds as customers read them. */
static const struct {
    const char *kind, *label;
} kind_labels[] = {
    {"topup", N_("Top-up")},           {"adjustment", N_("Adjustment")}, {"purchase", N_("Purchase")},
    {"renewal", N_("Renewal")},        {"refund", N_("Refund")},         {"reversal", N_("Reversal")},
    {"withdrawal", N_("Withdrawal")},  {"payment", N_("Payment")},
};

const char *web_kind_label(http_request *r, const char *kind)
{
    for (size_t i = 0; i < sizeof kind_labels / sizeof kind_labels[0]; i++)
        if (!strcmp(kind_labels[i].kind, kind))
            return i18n_text(r->lang, kind_labels[i].label);
    return kind;
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
        bool by_bank = !strcmp(kind, "topup") && ref && !strncmp(ref, "bank_entry:", 11); /* feature/bank */
        json_object_set_new(line, "label", json_string(by_bank ? _("Bank transfer") : web_kind_label(r, kind)));
        json_object_set_new(line, "credit", json_boolean(!strcmp(json_string_value(json_object_get(line, "direction")), "credit")));
    }
}

static void get_transactions(http_request *r)
{
    int64_t before_id;
    size_t limit;
    const char *bad;
    if (!wallet_parse_page(NULL, http_query(r, "cursor"), &before_id, &limit, &bad))
        return web_error_page(r, 404);
    int64_t org = billing_org(r);
    if (!org)
        return;
    json_t *page = wallet_lines_json(r, org, before_id, WEB_TRANSACTIONS_PAGE);
    if (!page)
        return web_fail(r);
    json_t *lines = json_object_get(page, "transactions");
    web_decorate_lines(r, lines);
    json_object_set_new(page, "has_transactions", json_boolean(json_array_size(lines) > 0));
    json_t *next = json_object_get(page, "next_cursor");
    if (json_is_string(next))
        json_object_set_new(page, "older_url",
                            json_string(arena_printf(r->a, "/billing/transactions?cursor=%s", json_string_value(next))));
    json_object_set_new(page, "paged", json_boolean(before_id > 0));
    web_page(r, 200, "pages/transactions", _("Transactions"), "billing", page);
}

void web_billing_routes(router *rt)
{
    router_add(rt, "GET", "/billing", get_wallet, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/transactions", get_transactions, ROUTE_USER | ROUTE_PAGE);
}
