/* refunds_api.c - the customer's API of refunds (admins and members with the
 * billing right; anyone else gets 404):
 *   GET/POST /api/v1/orgs/{org_id}/refund-requests
 *   GET      /api/v1/orgs/{org_id}/refund-requests/refundable
 *   POST     /api/v1/orgs/{org_id}/refund-requests/{refund_id}/cancel */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <inttypes.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "http/idempotency.h"
#include "http/json_in.h"

static bool org_or_404(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static void fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

/* Answers the error of res (rolled back). */
static void answer_result(http_request *r, rf_result res)
{
    switch (res) {
    case RF_NO_SUCH_PAYMENT:
        return fail(r, 404, "not_found", "payment: no refundable payment of the organization with that id",
                    "payment");
    case RF_CRYPTO:
        return fail(r, 422, "not_refundable",
                    "payment: crypto payments cannot be refunded (the coins cannot be sent back to the sender)",
                    "payment");
    case RF_NOT_EUR:
        return fail(r, 422, "not_refundable", "payment: bank refunds are SEPA credit transfers, in EUR only",
                    "payment");
    case RF_NO_DEBTOR:
        return fail(r, 422, "not_refundable", "payment: the bank transfer does not say which account sent it",
                    "payment");
    case RF_CURRENCY_MISMATCH:
        return fail(r, 422, "invalid_field", "amount: must be in the payment's currency", "amount");
    case RF_TOO_LARGE:
        return fail(r, 422, "amount_too_large", "amount: more than what is left to refund of the payment",
                    "amount");
    case RF_INSUFFICIENT_FUNDS:
        return fail(r, 422, "insufficient_funds",
                    "amount: more than the unused balance (what was spent on services is not refundable)",
                    "amount");
    case RF_KEY_CONFLICT:
        return fail(r, 409, "idempotency_conflict", "the Idempotency-Key was used for another request", NULL);
    case RF_NOT_FOUND:
        return fail(r, 404, "not_found", "no such refund request", NULL);
    case RF_WRONG_STATUS:
        return fail(r, 409, "wrong_status", "the refund request is not in a state that allows this", NULL);
    default:
        return fail(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    }
}

/* {"payment": {"source": "payment" | "bank_transfer", "id": 12}}; answers 422 itself. */
static bool read_payment(http_request *r, json_t *b, rf_request_in *in)
{
    static const char *const sources[] = {"payment", "bank_transfer", NULL};
    json_t *p = json_object_get(b, "payment");
    if (!json_is_object(p))
        return http_error(r, 422, "invalid_field", "payment: must be an object", "payment"), false;
    if (!jin_enum(r, p, "source", JIN_REQUIRED, sources, &in->source))
        return false;
    json_t *id = json_object_get(p, "id");
    if (json_is_integer(id) && json_integer_value(id) > 0) {
        in->source_id = json_integer_value(id);
        return true;
    }
    http_error(r, 422, "invalid_field", "id: must be a positive integer", "id");
    return false;
}

static void create(http_request *r)
{
    rf_request_in in = {0};
    json_t *b;
    idem k;
    int64_t id;
    if (!org_or_404(r, &in.org_id) || !jin_body(r, &b) || !read_payment(r, b, &in) ||
        !jin_money(r, b, "amount", &in.amount) ||
        !jin_string(r, b, "reason", JIN_OPTIONAL, 0, RF_REASON_MAX, &in.reason))
        return;
    if (in.amount.minor <= 0 || in.amount.minor > LEDGER_AMOUNT_MAX)
        return http_error(r, 422, "invalid_field", "amount: must be more than zero", "amount");
    if (!in.reason)
        in.reason = "";
    if (!idem_start(r, arena_printf(r->a, "user:%" PRId64 ":org:%" PRId64, r->user_id, in.org_id), &k))
        return;
    in.key = k.key;
    if (!idem_begin(r, &k))
        return;
    rf_result res = rf_request(r, &in, &id);
    if (res != RF_OK)
        return answer_result(r, res);
    bool store_error;
    json_t *j = rf_json(r, in.org_id, id, &store_error);
    if (!j)
        return answer_result(r, RF_STORE_ERROR);
    idem_save_and_answer(r, &k, 201, j);
}

static void list(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    json_t *j = rf_list_json(r, org_id, NULL);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the refund requests", NULL);
    http_json(r, 200, j);
}

static void refundable(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    json_t *j = rf_refundable_json(r, org_id);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the payments", NULL);
    http_json(r, 200, j);
}

static void cancel(http_request *r)
{
    int64_t org_id, id;
    if (!org_or_404(r, &org_id))
        return;
    if (!http_param_id(r, "refund_id", &id))
        return http_error(r, 404, "not_found", "no such refund request", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return fail(r, 500, "store_error", "cannot start the transaction", NULL);
    rf_result res = rf_cancel(r, org_id, id);
    if (res != RF_OK)
        return answer_result(r, res);
    if (db_commit(r->db) != DB_OK)
        return fail(r, 500, "store_error", "the cancel could not be saved", NULL);
    bool store_error;
    json_t *j = rf_json(r, org_id, id, &store_error);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the refund request", NULL);
    http_json(r, 200, j);
}

void refunds_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/refund-requests", list, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/refund-requests", create, ROUTE_USER | ROUTE_GROUPED);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/refund-requests/refundable", refundable, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/refund-requests/{refund_id}/cancel", cancel, ROUTE_USER);
    refunds_staff_routes(rt);
}
