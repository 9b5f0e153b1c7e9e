/* web_refunds.c - the Refunds page of the current organization: the payments
 * that may still be refunded (with what is left of each), a form to ask for
 * a refund of one of them, and the list of refund requests with their
 * statuses and a cancel button while waiting. Members with the billing right
 * only (404 page otherwise), as in the API; the same service
 * (feature/refunds) does the work. Each form carries a fresh random key, so
 * posting it twice asks once. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/orgs/orgs.h"
#include "feature/refunds/refunds.h"
#include "feature/web/web.h"

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *label(http_request *r, const char *code, const char *const table[][2])
{
    for (size_t i = 0; table[i][0]; i++)
        if (!strcmp(table[i][0], code))
            return i18n_text(r->lang, table[i][1]);
    return code;
}

static const char *method_label(http_request *r, const char *method)
{
    static const char *const methods[][2] = {
        {"card", N_("Card")}, {"wallet", N_("Apple Pay or Google Pay")}, {"paypal", N_("PayPal")},
        {"bank_transfer", N_("Bank transfer")}, {NULL, NULL},
    };
    return label(r, method, methods);
}

static const char *status_label(http_request *r, const char *status)
{
    static const char *const statuses[][2] = {
        {"requested", N_("Waiting for approval")}, {"cancelled", N_("Cancelled")}, {"rejected", N_("Rejected")},
        {"approved", N_("Approved")}, {"paid", N_("Refunded")}, {"failed", N_("Refused by the payment provider")},
        {NULL, NULL},
    };
    return label(r, status, statuses);
}

/* "payment:12" / "bank_transfer:3": the value of a payment in the form. */
static const char *payment_value(http_request *r, json_t *ref)
{
    return arena_printf(r->a, "%s:%" JSON_INTEGER_FORMAT, json_string_value(json_object_get(ref, "source")),
                        json_integer_value(json_object_get(ref, "id")));
}

/* Adds "value", "method_label", "date", "selected" and "open" (something is
 * refundable now) to each refundable payment; true when one is open. */
static bool decorate_payments(http_request *r, json_t *list, const char *chosen)
{
    size_t i;
    json_t *p;
    bool any = false;
    json_array_foreach(list, i, p) {
        bool open = json_integer_value(json_object_get(json_object_get(p, "refundable"), "minor")) > 0;
        any = any || open;
        json_object_set_new(p, "open", json_boolean(open));
        const char *value = payment_value(r, json_object_get(p, "payment"));
        json_object_set_new(p, "value", json_string(value));
        json_object_set_new(p, "selected", json_boolean(chosen && !strcmp(chosen, value)));
        json_object_set_new(p, "method_label", json_string(method_label(r, json_string_value(json_object_get(p, "method")))));
        json_object_set_new(p, "date", json_string(web_datetime(r, json_string_value(json_object_get(p, "created_at")))));
    }
    return any;
}

/* Adds "status_label", "method_label", "date" and "waiting" to each refund of list. */
static void decorate_refunds(http_request *r, json_t *list)
{
    size_t i;
    json_t *f;
    json_array_foreach(list, i, f) {
        const char *status = json_string_value(json_object_get(f, "status"));
        json_object_set_new(f, "status_label", json_string(status_label(r, status)));
        json_object_set_new(f, "waiting", json_boolean(!strcmp(status, "requested")));
        json_object_set_new(f, "method_label", json_string(method_label(r, json_string_value(json_object_get(f, "method")))));
        json_object_set_new(f, "date", json_string(web_datetime(r, json_string_value(json_object_get(f, "created_at")))));
    }
}

/* The page: the refundable payments, the form (values as posted in
 * form_values, or empty) with its errors, and the list. */
static void page(http_request *r, int64_t org, int status, json_t *form_values, json_t *errors)
{
    json_t *payments = rf_refundable_json(r, org), *list = rf_list_json(r, org, NULL);
    if (!payments || !list) {
        json_decref(payments);
        json_decref(list);
        json_decref(form_values);
        json_decref(errors);
        return web_fail(r);
    }
    json_t *ps = json_object_get(payments, "payments"), *items = json_object_get(list, "refund_requests");
    bool open = decorate_payments(r, ps, json_string_value(json_object_get(form_values, "payment")));
    decorate_refunds(r, items);
    web_page(r, status, "pages/refunds", _("Refunds"), "billing",
             json_pack("{s:O, s:b, s:b, s:O, s:b, s:o, s:o, s:s}", "payments", ps, "has_payments",
                       json_array_size(ps) > 0, "has_open", open,
                       "refunds", items, "has_refunds", json_array_size(items) > 0, "form",
                       form_values ? form_values : json_object(), "errors", errors ? errors : json_object(), "key",
                       web_form_key(r)));
    json_decref(payments);
    json_decref(list);
}

static void get_refunds(http_request *r)
{
    int64_t org = billing_org(r);
    if (org)
        page(r, org, 200, NULL, NULL);
}

/* The refundable payment the form names, or NULL (its currency is needed to read the amount). */
static json_t *chosen_payment(http_request *r, int64_t org, const char *value, json_t **all)
{
    *all = value ? rf_refundable_json(r, org) : NULL;
    json_t *p;
    size_t i;
    json_array_foreach(json_object_get(*all, "payments"), i, p)
        if (!strcmp(payment_value(r, json_object_get(p, "payment")), value))
            return p;
    return NULL;
}

/* Fills in from the form; false with messages in errors. */
static bool read_form(http_request *r, int64_t org, const form *f, rf_request_in *in, json_t *errors)
{
    json_t *all;
    json_t *p = chosen_payment(r, org, form_get(f, "payment"), &all);
    if (!p) {
        json_object_set_new(errors, "payment", json_string(_("Choose the payment to refund.")));
    } else {
        json_t *ref = json_object_get(p, "payment");
        in->source = arena_strdup(r->a, json_string_value(json_object_get(ref, "source")));
        in->source_id = json_integer_value(json_object_get(ref, "id"));
        const currency *c = currency_find(json_string_value(json_object_get(json_object_get(p, "amount"), "currency")));
        const char *text = form_get(f, "amount");
        if (!text || money_parse_locale(text, c, r->lang, &in->amount) != MONEY_OK || in->amount.minor <= 0)
            json_object_set_new(errors, "amount", json_string(_("Enter an amount greater than zero, such as 25.00.")));
    }
    json_decref(all);
    in->reason = web_optional_text(r, f, "reason", RF_REASON_MAX, errors);
    const char *key = form_get(f, "key");
    if (!key || !web_token_ok(key))
        json_object_set_new(errors, "amount", json_string(_("The form has expired: please fill it in again.")));
    in->key = key ? arena_printf(r->a, "web:%s", key) : "";
    return json_object_size(errors) == 0;
}

static json_t *posted_values(const form *f)
{
    static const char *const names[] = {"payment", "amount", "reason"};
    json_t *v = json_object();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *x = form_get(f, names[i]);
        json_object_set_new(v, names[i], json_string(x ? x : ""));
    }
    return v;
}

/* The field and the message of a refusal of the service, NULL field for other results. */
static const char *refusal(http_request *r, rf_result res, const char **message)
{
    switch (res) {
    case RF_NO_SUCH_PAYMENT:
        return *message = _("Choose the payment to refund."), "payment";
    case RF_CRYPTO:
        return *message = _("Bitcoin payments cannot be refunded: the coins cannot be sent back."), "payment";
    case RF_NOT_EUR:
    case RF_NO_DEBTOR:
        return *message = _("This bank transfer cannot be refunded automatically: please contact us."), "payment";
    case RF_CURRENCY_MISMATCH:
    case RF_TOO_LARGE:
        return *message = _("That is more than what is left to refund of this payment."), "amount";
    case RF_INSUFFICIENT_FUNDS:
        return *message = _("That is more than your unused balance: what was spent on services cannot be refunded."),
               "amount";
    default:
        return *message = NULL, NULL;
    }
}

static void post_refund(http_request *r)
{
    form f;
    int64_t org = billing_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    rf_request_in in = {.org_id = org};
    json_t *errors = json_object();
    if (!read_form(r, org, &f, &in, errors))
        return page(r, org, 422, posted_values(&f), errors);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return json_decref(errors), web_fail(r);
    rf_result res = rf_request(r, &in, &id);
    const char *message, *field = refusal(r, res, &message);
    if (res == RF_KEY_CONFLICT || field) /* key conflict: the same form posted again, done the first time */
        db_rollback(r->db);
    if (field) {
        json_object_set_new(errors, field, json_string(message));
        return page(r, org, 422, posted_values(&f), errors);
    }
    json_decref(errors);
    if (res != RF_KEY_CONFLICT && (res != RF_OK || db_commit(r->db) != DB_OK))
        return web_fail(r);
    web_flash(r, "refund_requested");
    http_redirect(r, "/billing/refunds");
}

static void post_cancel(http_request *r)
{
    form f;
    int64_t org = billing_org(r), id;
    if (!org || !web_form(r, &f))
        return;
    if (!http_param_id(r, "refund_id", &id))
        return web_error_page(r, 404);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    rf_result res = rf_cancel(r, org, id);
    if (res == RF_NOT_FOUND)
        return db_rollback(r->db), web_error_page(r, 404);
    if (res == RF_WRONG_STATUS) { /* decided meanwhile: the list shows how */
        db_rollback(r->db);
        web_flash(r, "refund_not_waiting");
        return http_redirect(r, "/billing/refunds");
    }
    if (res != RF_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "refund_cancelled");
    http_redirect(r, "/billing/refunds");
}

void web_refunds_routes(router *rt)
{
    router_add(rt, "GET", "/billing/refunds", get_refunds, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/refunds", post_refund, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/billing/refunds/{refund_id}/cancel", post_cancel, ROUTE_USER | ROUTE_PAGE);
}
