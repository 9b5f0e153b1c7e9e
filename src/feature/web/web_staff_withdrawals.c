/* web_staff_withdrawals.c - withdrawals in the back office: the queue of
 * pending ones (approve, or reject with a reason), the approved PayPal ones
 * (mark paid with the PayPal transaction id), the approved bank ones waiting
 * for the export button, and the list of earlier exports to download again.
 * The same service as the staff API (feature/withdrawals) does the work. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/web/web.h"
#include "feature/withdrawals/withdrawals.h"

/* The withdrawals of status, each with "date" and "paypal" added. */
static json_t *rows(http_request *r, const char *status)
{
    json_t *j = wd_list_json(r, 0, status);
    if (!j)
        return NULL;
    json_t *list = json_incref(json_object_get(j, "withdrawals")), *w;
    json_decref(j);
    size_t i;
    json_array_foreach(list, i, w) {
        const char *method = json_string_value(json_object_get(json_object_get(w, "destination"), "method"));
        json_object_set_new(w, "paypal", json_boolean(!strcmp(method, "paypal")));
        json_object_set_new(w, "date", json_string(web_datetime(r, json_string_value(json_object_get(w, "created_at")))));
    }
    return list;
}

static void queue_page(http_request *r, int status, const char *error)
{
    json_t *pending = rows(r, "pending"), *approved = rows(r, "approved"), *exports = wd_exports_json(r);
    if (!pending || !approved || !exports) {
        json_decref(pending);
        json_decref(approved);
        json_decref(exports);
        return web_fail(r);
    }
    json_t *ex = json_incref(json_object_get(exports, "exports")), *e;
    json_decref(exports);
    size_t i;
    json_array_foreach(ex, i, e)
        json_object_set_new(e, "date", json_string(web_datetime(r, json_string_value(json_object_get(e, "created_at")))));
    web_staff_page(r, status, "staff/withdrawals", _("Withdrawals"), "withdrawals",
                   json_pack("{s:o, s:b, s:o, s:b, s:o, s:b, s:s?}", "pending", pending, "has_pending",
                             json_array_size(pending) > 0, "approved", approved, "has_approved",
                             json_array_size(approved) > 0, "exports", ex, "has_exports", json_array_size(ex) > 0,
                             "error", error));
}

static void get_queue(http_request *r)
{
    queue_page(r, 200, NULL);
}

/* Commits res's change and redirects with flash, or answers the error. */
static void finish(http_request *r, wd_result res, const char *flash)
{
    if (res == WD_NOT_FOUND)
        return web_error_page(r, 404);
    if (res == WD_WRONG_STATUS) {
        db_rollback(r->db);
        return queue_page(r, 409, _("This withdrawal is no longer in a state that allows this: nothing was changed."));
    }
    if (res != WD_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, flash);
    http_redirect(r, "/staff/withdrawals");
}

static void post_action(http_request *r)
{
    int64_t id;
    form f;
    const char *action = http_param(r, "action");
    if (!http_param_id(r, "withdrawal_id", &id) ||
        (strcmp(action, "approve") && strcmp(action, "reject") && strcmp(action, "paid")))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *text = NULL;
    if (!strcmp(action, "reject"))
        text = web_text(r, &f, "reason", 1, WD_REASON_MAX, errors);
    else if (!strcmp(action, "paid"))
        text = web_text(r, &f, "transaction_id", 1, WD_PAYPAL_TXN_MAX, errors);
    json_decref(errors);
    if (strcmp(action, "approve") && !text)
        return queue_page(r, 422, !strcmp(action, "reject") ? _("A rejection needs a reason: the customer reads it.")
                                                            : _("Enter the PayPal transaction id."));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    if (!strcmp(action, "approve"))
        return finish(r, wd_approve(r, id), "withdrawal_approved");
    if (!strcmp(action, "reject"))
        return finish(r, wd_reject(r, id, text), "withdrawal_rejected");
    finish(r, wd_paid(r, id, text), "withdrawal_paid");
}

static void post_export(http_request *r)
{
    form f;
    int64_t export_id;
    if (!web_form(r, &f))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    wd_result res = wd_export(r, "EUR", &export_id);
    if (res == WD_NOTHING_TO_EXPORT) {
        db_rollback(r->db);
        web_flash(r, "nothing_to_export");
        return http_redirect(r, "/staff/withdrawals");
    }
    finish(r, res, "withdrawals_exported");
}

static void get_export(http_request *r)
{
    int64_t id;
    const char *xml = http_param_id(r, "export_id", &id) ? wd_export_xml(r, id) : NULL;
    if (!xml)
        return web_error_page(r, 404);
    http_add_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"pain001-%lld.xml\"", (long long)id));
    http_text(r, 200, "application/xml", xml, strlen(xml));
}

void web_staff_withdrawals_routes(router *rt)
{
    router_add(rt, "GET", "/staff/withdrawals", get_queue, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/withdrawals/export", post_export, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/withdrawals/exports/{export_id}/pain001.xml", get_export, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/withdrawals/{withdrawal_id}/{action}", post_action, ROUTE_STAFF | ROUTE_PAGE);
}
