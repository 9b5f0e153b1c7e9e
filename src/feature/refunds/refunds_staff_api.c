/* refunds_staff_api.c - the back office's API of refunds (signed-in staff):
 *   GET  /api/v1/staff/refund-requests?status=
 *   POST /api/v1/staff/refund-requests/{refund_id}/approve | reject | retry
 * Approved bank refunds leave with the next credit-transfer export
 * (POST /api/v1/staff/credit-transfer-exports, withdrawals_staff_api.c). */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <string.h>

#include "http/json_in.h"

static void list(http_request *r)
{
    const char *status = http_query(r, "status");
    if (status && *status) {
        bool known = false;
        for (const char *const *s = rf_statuses; *s; s++)
            known = known || strcmp(*s, status) == 0;
        if (!known)
            return http_error(r, 422, "invalid_field", "status: unknown status", "status");
    }
    json_t *j = rf_list_json(r, 0, status);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the refund requests", NULL);
    http_json(r, 200, j);
}

/* Answers the refund after res (no transaction is open any more). */
static void answer(http_request *r, int64_t id, rf_result res)
{
    switch (res) {
    case RF_OK:
        break;
    case RF_NOT_FOUND:
        return http_error(r, 404, "not_found", "no such refund request", NULL);
    case RF_WRONG_STATUS:
        return http_error(r, 409, "wrong_status", "the refund request is not in a state that allows this", NULL);
    case RF_GATEWAY_UNAVAILABLE:
        return http_error(r, 502, "gateway_unavailable",
                          "the refund is approved but the payment gateway did not answer: retry later", NULL);
    default:
        return http_error(r, 500, "store_error", "the decision could not be saved", NULL);
    }
    bool store_error;
    json_t *j = rf_json(r, 0, id, &store_error);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the refund request", NULL);
    http_json(r, 200, j);
}

static bool path_id(http_request *r, int64_t *id)
{
    if (http_param_id(r, "refund_id", id))
        return true;
    http_error(r, 404, "not_found", "no such refund request", NULL);
    return false;
}

static void approve(http_request *r)
{
    int64_t id;
    if (path_id(r, &id))
        answer(r, id, rf_approve(r, id, false));
}

static void retry(http_request *r)
{
    int64_t id;
    if (path_id(r, &id))
        answer(r, id, rf_approve(r, id, true));
}

static void reject(http_request *r)
{
    int64_t id;
    json_t *b;
    const char *reason;
    if (!path_id(r, &id) || !jin_body(r, &b) || !jin_string(r, b, "reason", JIN_REQUIRED, 1, RF_REASON_MAX, &reason))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return http_error(r, 500, "store_error", "cannot start the transaction", NULL);
    rf_result res = rf_reject(r, id, reason);
    if (res == RF_OK && db_commit(r->db) != DB_OK)
        res = RF_STORE_ERROR;
    if (res != RF_OK)
        db_rollback(r->db);
    answer(r, id, res);
}

void refunds_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/refund-requests", list, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/refund-requests/{refund_id}/approve", approve, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/refund-requests/{refund_id}/reject", reject, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/refund-requests/{refund_id}/retry", retry, ROUTE_STAFF);
}
