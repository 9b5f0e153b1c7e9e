/* bank_api.c - the bank-transfer instructions of an organization, shared by
 * GET /api/v1/orgs/{org_id}/bank-transfer and the client page. Only members
 * with the billing right see them; anyone else gets 404. */
#include "feature/bank/bank.h"

#include <assert.h>
#include <string.h>

#include "app.h"
#include "core/money.h"
#include "feature/bank/epc_qr.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

bool bank_instructions_get(const saldo_config *cfg, int64_t org_id, const currency *cur, int64_t amount_cents,
                           bank_instructions *out, buf *epc)
{
    assert(org_id > 0 && cur && amount_cents >= 0);
    *out = (bank_instructions){
        .beneficiary = cfg->provider.name,
        .iban = cfg->provider.iban,
        .bic = cfg->provider.bic,
        .cur = cur,
        .sepa = !strcmp(cur->code, "EUR"),
    };
    out->settlement = out->sepa ? "1-3 business days" : "2-5 business days";
    iban_format(cfg->provider.iban, out->iban_formatted, sizeof out->iban_formatted);
    bank_ref_make(org_id, out->reference);
    bank_ref_format(out->reference, out->reference_formatted);
    if (!out->sepa)
        return true;
    epc_payment p = {cfg->provider.bic, cfg->provider.name, cfg->provider.iban, amount_cents, out->reference};
    return epc_payload(&p, epc);
}

/* ?currency= (default EUR) and ?amount= (EUR only, optional); answers 422. */
static bool query_args(http_request *r, const currency **cur, int64_t *amount)
{
    const char *code = http_query(r, "currency"), *text = http_query(r, "amount");
    *cur = currency_find(code ? code : "EUR");
    *amount = 0;
    if (!*cur || (code && strcmp(code, (*cur)->code)))
        return http_error(r, 422, "invalid_field", "currency: not a supported currency code", "currency"), false;
    money m;
    if (text && (strcmp((*cur)->code, "EUR") || money_parse_plain(text, *cur, &m) != MONEY_OK || m.minor < 1 ||
                 m.minor > EPC_AMOUNT_MAX))
        return http_error(r, 422, "invalid_field", "amount: a positive amount in euro like 12.34", "amount"), false;
    if (text)
        *amount = m.minor;
    return true;
}

/* GET /api/v1/orgs/{org_id}/bank-transfer[?currency=EUR][&amount=12.34] */
static void get_bank_transfer(http_request *r)
{
    int64_t org_id, amount;
    const currency *cur;
    if (!http_param_id(r, "org_id", &org_id) || org_id > BANK_REF_ID_MAX ||
        !org_user_may(r->db, r->user_id, org_id, ORG_NEED_BILLING))
        return (void)http_error(r, 404, "not_found", "no such organization", NULL);
    if (!query_args(r, &cur, &amount))
        return;
    bank_instructions in;
    buf epc;
    buf_init(&epc, 0);
    if (!bank_instructions_get(r->app->cfg, org_id, cur, amount, &in, &epc)) {
        buf_free(&epc);
        return (void)http_error(r, 500, "configuration_error", "the provider's bank details are incomplete", NULL);
    }
    json_t *payload = in.sepa ? json_string(buf_cstr(&epc)) : json_null();
    buf_free(&epc);
    http_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "beneficiary", in.beneficiary, "iban", in.iban,
                                "bic", in.bic, "reference", in.reference, "currency", cur->code, "settlement",
                                in.settlement, "epc_qr_payload", payload));
}

void bank_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/bank-transfer", get_bank_transfer, ROUTE_USER);
}
