/* web_staff_refunds.c - refunds in the back office: the queue of requested
 * ones (approve, or reject with a reason), the approved ones (a gateway
 * refund the gateway did not answer: retry; a bank refund: it leaves with the
 * next export on the withdrawals page), and the latest decided ones. The same
 * service as the staff API (feature/refunds) does the work. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/refunds/refunds.h"
#include "feature/web/web.h"

enum { WEB_RF_HISTORY_MAX = 50 };

/* The refunds of status (NULL: the latest decided ones), each with "date" and "bank" added. */
static json_t *rows(http_request *r, const char *status)
{
    json_t *j = rf_list_json(r, 0, status);
    if (!j)
        return NULL;
    json_t *all = json_object_get(j, "refund_requests"), *list = json_array(), *f;
    size_t i;
    json_array_foreach(all, i, f) {
        const char *st = json_string_value(json_object_get(f, "status"));
        if (!status && (!strcmp(st, "requested") || !strcmp(st, "approved")))
            continue;
        if (json_array_size(list) == WEB_RF_HISTORY_MAX)
            break;
        json_object_set_new(f, "bank", json_boolean(!strcmp(json_string_value(json_object_get(f, "method")), "bank_transfer")));
        json_object_set_new(f, "date", json_string(web_datetime(r, json_string_value(json_object_get(f, "created_at")))));
        json_array_append(list, f);
    }
    json_decref(j);
    return list;
}

static void queue_page(http_request *r, int status, const char *error)
{
    json_t *requested = rows(r, "requested"), *approved = rows(r, "approved"), *decided = rows(r, NULL);
    if (!requested || !approved || !decided) {
        json_decref(requested);
        json_decref(approved);
        json_decref(decided);
        return web_fail(r);
    }
    web_staff_page(r, status, "staff/refunds", _("Refunds"), "refunds",
                   json_pack("{s:o, s:b, s:o, s:b, s:o, s:b, s:s?}", "requested", requested, "has_requested",
                             json_array_size(requested) > 0, "approved", approved, "has_approved",
                             json_array_size(approved) > 0, "decided", decided, "has_decided",
                             json_array_size(decided) > 0, "error", error));
}

static void get_queue(http_request *r)
{
    queue_page(r, 200, NULL);
}

/* The flash of an approval or a retry, by where the refund ended. */
static const char *approved_flash(http_request *r, int64_t id)
{
    bool store_error;
    json_t *j = rf_json(r, 0, id, &store_error);
    const char *status = j ? json_string_value(json_object_get(j, "status")) : "";
    const char *flash = !strcmp(status, "paid") ? "refund_paid" : !strcmp(status, "failed") ? "refund_failed"
                                                                                             : "refund_approved";
    json_decref(j);
    return flash;
}

static void answer(http_request *r, int64_t id, rf_result res, const char *flash)
{
    if (res == RF_NOT_FOUND)
        return web_error_page(r, 404);
    if (res == RF_WRONG_STATUS)
        return queue_page(r, 409, _("This refund is no longer in a state that allows this: nothing was changed."));
    if (res == RF_GATEWAY_UNAVAILABLE)
        return queue_page(r, 502, _("The payment gateway did not answer: the refund stays approved. Try again later with Retry; it will be refunded once."));
    if (res != RF_OK)
        return web_fail(r);
    web_flash(r, flash ? flash : approved_flash(r, id));
    http_redirect(r, "/staff/refunds");
}

static void post_action(http_request *r)
{
    int64_t id;
    form f;
    const char *action = http_param(r, "action");
    if (!http_param_id(r, "refund_id", &id) ||
        (strcmp(action, "approve") && strcmp(action, "reject") && strcmp(action, "retry")))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    if (strcmp(action, "reject"))
        return answer(r, id, rf_approve(r, id, !strcmp(action, "retry")), NULL);
    json_t *errors = json_object();
    const char *reason = web_text(r, &f, "reason", 1, RF_REASON_MAX, errors);
    json_decref(errors);
    if (!reason)
        return queue_page(r, 422, _("A rejection needs a reason: the customer reads it."));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    rf_result res = rf_reject(r, id, reason);
    if (res == RF_OK && db_commit(r->db) != DB_OK)
        res = RF_STORE_ERROR;
    if (res != RF_OK)
        db_rollback(r->db);
    answer(r, id, res, "refund_rejected");
}

void web_staff_refunds_routes(router *rt)
{
    router_add(rt, "GET", "/staff/refunds", get_queue, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/refunds/{refund_id}/{action}", post_action, ROUTE_STAFF | ROUTE_PAGE);
}
