/* web_bank.c - "Top up by bank transfer": the provider's account, the
 * organization's payment reference and, for euro, the EPC QR code banking apps
 * scan; an amount typed here goes into the QR code. Only members with the
 * billing right see it; anyone else gets the 404 page, as in the API. The form
 * is a GET: it changes nothing. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "app.h"
#include "core/money.h"
#include "feature/bank/bank.h"
#include "feature/bank/epc_qr.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"
#include "render/qr.h"

/* The currencies offered: euro by SEPA, the others by SWIFT. */
static const char *const bank_currencies[] = {"EUR", "USD", "GBP", "CHF", NULL};

/* The amount typed (in euro, as people write it in r->lang), 0 when empty;
 * -1 after putting a message under "amount" into errors. */
static int64_t typed_amount(http_request *r, const char *text, json_t *errors)
{
    money m;
    if (!text || !*text)
        return 0;
    if (money_parse_locale(text, currency_find("EUR"), r->lang, &m) != MONEY_OK || m.minor < 1 ||
        m.minor > EPC_AMOUNT_MAX) {
        json_object_set_new(errors, "amount", json_string(_("Type a positive amount in euro, like 12.34.")));
        return -1;
    }
    return m.minor;
}

static json_t *currency_options(const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; bank_currencies[i]; i++)
        json_array_append_new(list, json_pack("{s:s, s:b}", "code", bank_currencies[i], "selected",
                                               !strcmp(bank_currencies[i], chosen)));
    return list;
}

static void get_bank_transfer(http_request *r)
{
    int64_t org = web_current_org(r);
    if (!org || org > BANK_REF_ID_MAX || !org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return web_error_page(r, 404);
    const char *code = http_query(r, "currency"), *amount_text = http_query(r, "amount");
    const currency *cur = currency_find(code ? code : "EUR");
    if (!cur)
        cur = currency_find("EUR");
    json_t *errors = json_object();
    int64_t amount = !strcmp(cur->code, "EUR") ? typed_amount(r, amount_text, errors) : 0;
    bank_instructions in;
    buf epc, svg;
    buf_init(&epc, 0);
    buf_init(&svg, 256 * 1024);
    bool ok = bank_instructions_get(r->app->cfg, org, cur, amount > 0 ? amount : 0, &in, &epc) &&
              (!in.sepa || qr_svg(buf_cstr(&epc), _("EPC QR code for your banking app"), &svg));
    if (!ok) {
        buf_free(&epc);
        buf_free(&svg);
        json_decref(errors);
        return web_fail(r);
    }
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:o, s:o}", "beneficiary", in.beneficiary,
        "iban", in.iban_formatted, "bic", in.bic, "reference", in.reference_formatted, "currency", cur->code, "sepa",
        in.sepa, "settlement", in.sepa ? _("1-3 business days") : _("2-5 business days"), "qr", buf_cstr(&svg),
        "amount", amount_text && in.sepa ? amount_text : "", "currencies", currency_options(cur->code), "errors",
        errors);
    buf_free(&epc);
    buf_free(&svg);
    web_page(r, amount < 0 ? 422 : 200, "pages/bank_transfer", _("Top up by bank transfer"), "billing", data);
}

void web_bank_routes(router *rt)
{
    router_add(rt, "GET", "/billing/bank-transfer", get_bank_transfer, ROUTE_USER | ROUTE_PAGE);
}
