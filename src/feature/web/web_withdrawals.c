/* web_withdrawals.c - the Withdraw page of the current organization: a form
 * to pay out part of a wallet to a bank account (IBAN and holder) or a PayPal
 * address, and the list of its withdrawals with their statuses and a cancel
 * button while pending. Members with the billing right only (404 page
 * otherwise), as in the API; the same service (feature/withdrawals) does the
 * work. Each form carries a fresh random key, so posting it twice withdraws
 * once. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"
#include "feature/withdrawals/withdrawals.h"

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *status_label(http_request *r, const char *status)
{
    static const struct {
        const char *status, *label;
    } labels[] = {
        {"pending", N_("Waiting for approval")}, {"cancelled", N_("Cancelled")}, {"rejected", N_("Rejected")},
        {"approved", N_("Approved")},            {"exported", N_("Sent to the bank")}, {"paid", N_("Paid")},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(labels[i].status, status))
            return i18n_text(r->lang, labels[i].label);
    return status;
}

/* Adds "status_label", "date" and "pending" to each withdrawal of list. */
static void decorate(http_request *r, json_t *list)
{
    size_t i;
    json_t *w;
    json_array_foreach(list, i, w) {
        const char *status = json_string_value(json_object_get(w, "status"));
        json_object_set_new(w, "status_label", json_string(status_label(r, status)));
        json_object_set_new(w, "pending", json_boolean(!strcmp(status, "pending")));
        json_object_set_new(w, "date", json_string(web_datetime(r, json_string_value(json_object_get(w, "created_at")))));
    }
}

/* The page: the form (values as posted in form_values, or empty), its errors,
 * the wallets to withdraw from, and the list. */
static void page(http_request *r, int64_t org, int status, json_t *form_values, json_t *errors)
{
    json_t *wallets = wallet_list_json(r, org);
    json_t *list = wd_list_json(r, org, NULL);
    if (!wallets || !list) {
        json_decref(wallets);
        json_decref(list);
        json_decref(form_values);
        json_decref(errors);
        return web_fail(r);
    }
    json_t *ws = json_object_get(wallets, "wallets"), *w;
    const char *chosen = json_string_value(json_object_get(form_values, "currency"));
    size_t i;
    json_array_foreach(ws, i, w)
        json_object_set_new(w, "selected", json_boolean(chosen && !strcmp(chosen, json_string_value(json_object_get(w, "currency")))));
    json_t *items = json_object_get(list, "withdrawals");
    decorate(r, items);
    const char *method = json_string_value(json_object_get(form_values, "method"));
    bool paypal = method && !strcmp(method, "paypal");
    web_page(r, status, "pages/withdrawals", _("Withdraw"), "billing",
             json_pack("{s:O, s:b, s:O, s:b, s:o, s:o, s:s, s:b, s:b}", "wallets", ws, "has_wallets",
                       json_array_size(ws) > 0, "withdrawals", items, "has_withdrawals", json_array_size(items) > 0,
                       "form", form_values ? form_values : json_object(), "errors", errors ? errors : json_object(),
                       "key", web_form_key(r), "bank", !paypal, "paypal", paypal));
    json_decref(wallets);
    json_decref(list);
}

static void get_withdrawals(http_request *r)
{
    int64_t org = billing_org(r);
    if (org)
        page(r, org, 200, NULL, NULL);
}

/* Reads the amount in the chosen currency; NULL message means ok. */
static const char *read_amount(http_request *r, const form *f, money *out)
{
    const char *text = form_get(f, "amount"), *code = form_get(f, "currency");
    const currency *c = code ? currency_find(code) : NULL;
    if (!c)
        return _("Choose a currency you have a balance in.");
    if (!text || money_parse_locale(text, c, r->lang, out) != MONEY_OK || out->minor <= 0 ||
        out->minor > LEDGER_AMOUNT_MAX)
        return _("Enter an amount greater than zero, such as 25.00.");
    return NULL;
}

/* Fills in from the form; false with messages in errors. */
static bool read_form(http_request *r, const form *f, wd_request_in *in, json_t *errors)
{
    static const char *const methods[] = {"bank", "paypal", NULL};
    const char *bad = read_amount(r, f, &in->amount);
    if (bad)
        json_object_set_new(errors, "amount", json_string(bad));
    in->method = web_choice(r, f, "method", methods, errors);
    in->note = web_optional_text(r, f, "note", WD_NOTE_MAX, errors);
    in->holder = in->paypal_email = "";
    in->iban[0] = '\0';
    if (in->method && !strcmp(in->method, "paypal")) {
        in->paypal_email = web_email(r, f, "email", false, errors);
    } else if (in->method) {
        const char *iban = web_text(r, f, "iban", 1, IBAN_INPUT_LEN_MAX, errors), *why;
        in->holder = web_text(r, f, "holder", 1, WD_HOLDER_MAX, errors);
        if (iban && !iban_validate(iban, in->iban, sizeof in->iban, &why))
            json_object_set_new(errors, "iban", json_string(_("This IBAN is not valid: check it on your bank statement.")));
    }
    const char *key = form_get(f, "key");
    if (!key || !web_token_ok(key))
        json_object_set_new(errors, "amount", json_string(_("The form has expired: please fill it in again.")));
    in->key = key ? arena_printf(r->a, "web:%s", key) : "";
    return json_object_size(errors) == 0;
}

static json_t *posted_values(const form *f)
{
    static const char *const names[] = {"amount", "currency", "method", "iban", "holder", "email", "note"};
    json_t *v = json_object();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *x = form_get(f, names[i]);
        json_object_set_new(v, names[i], json_string(x ? x : ""));
    }
    return v;
}

static void post_withdrawal(http_request *r)
{
    form f;
    int64_t org = billing_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    wd_request_in in = {.org_id = org};
    json_t *errors = json_object();
    if (!read_form(r, &f, &in, errors))
        return page(r, org, 422, posted_values(&f), errors);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return json_decref(errors), web_fail(r);
    wd_result res = wd_request(r, &in, &id);
    if (res == WD_KEY_CONFLICT) { /* the same form posted again: it was done the first time */
        db_rollback(r->db);
        json_decref(errors);
        web_flash(r, "withdrawal_requested");
        return http_redirect(r, "/billing/withdrawals");
    }
    if (res == WD_NO_WALLET || res == WD_INSUFFICIENT_FUNDS || res == WD_BANK_NOT_EUR) {
        db_rollback(r->db);
        json_object_set_new(errors, "amount", json_string(res == WD_NO_WALLET ? _("Choose a currency you have a balance in.")
            : res == WD_BANK_NOT_EUR ? _("Bank withdrawals are paid by SEPA credit transfer, in euro only: choose PayPal for other currencies.")
            : _("Your balance is less than that: nothing has been withdrawn.")));
        return page(r, org, 422, posted_values(&f), errors);
    }
    json_decref(errors);
    if (res != WD_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "withdrawal_requested");
    http_redirect(r, "/billing/withdrawals");
}

static void post_cancel(http_request *r)
{
    form f;
    int64_t org = billing_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "withdrawal_id", &id))
        return web_error_page(r, 404);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    wd_result res = wd_cancel(r, org, id);
    if (res == WD_NOT_FOUND)
        return web_error_page(r, 404);
    if (res == WD_WRONG_STATUS) { /* decided meanwhile: the list shows how */
        db_rollback(r->db);
        web_flash(r, "withdrawal_not_pending");
        return http_redirect(r, "/billing/withdrawals");
    }
    if (res != WD_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "withdrawal_cancelled");
    http_redirect(r, "/billing/withdrawals");
}

void web_withdrawals_routes(router *rt)
{
    router_add(rt, "GET", "/billing/withdrawals", get_withdrawals, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/withdrawals", post_withdrawal, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/withdrawals/{withdrawal_id}/cancel", post_cancel, ROUTE_USER | ROUTE_PAGE);
}
