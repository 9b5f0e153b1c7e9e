/* withdrawals_staff_api.c - the back office's API of withdrawals and of the
 * credit-transfer exports (signed-in staff):
 *   GET  /api/v1/staff/withdrawals?status=
 *   POST /api/v1/staff/withdrawals/{withdrawal_id}/approve | reject | paid
 *   GET/POST /api/v1/staff/credit-transfer-exports
 *   GET  /api/v1/staff/credit-transfer-exports/{export_id}/pain001.xml */
#include "feature/withdrawals/withdrawals.h"
#include "feature/withdrawals/wd_internal.h"

#include <inttypes.h>
#include <string.h>

#include "http/json_in.h"

static void fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

static void list(http_request *r)
{
    const char *status = http_query(r, "status");
    if (status && *status) {
        bool known = false;
        for (const char *const *s = wd_statuses; *s; s++)
            known = known || strcmp(*s, status) == 0;
        if (!known)
            return http_error(r, 422, "invalid_field", "status: unknown status", "status");
    }
    json_t *j = wd_list_json(r, 0, status);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the withdrawals", NULL);
    http_json(r, 200, j);
}

/* Runs one decision in a transaction and answers the withdrawal. */
static void decide(http_request *r, int64_t id, wd_result res)
{
    switch (res) {
    case WD_OK:
        break;
    case WD_NOT_FOUND:
        return fail(r, 404, "not_found", "no such withdrawal", NULL);
    case WD_WRONG_STATUS:
        return fail(r, 409, "wrong_status", "the withdrawal is not in a state that allows this", NULL);
    default:
        return fail(r, 500, "store_error", "the decision could not be saved; nothing was changed", NULL);
    }
    if (db_commit(r->db) != DB_OK)
        return fail(r, 500, "store_error", "the decision could not be saved", NULL);
    bool store_error;
    json_t *j = wd_json(r, 0, id, &store_error);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the withdrawal", NULL);
    http_json(r, 200, j);
}

/* The path's id and the body's text field (NULL name = no body); answers itself. */
static bool read_args(http_request *r, const char *name, size_t max, int64_t *id, const char **text)
{
    json_t *b;
    if (!http_param_id(r, "withdrawal_id", id))
        return http_error(r, 404, "not_found", "no such withdrawal", NULL), false;
    if (name && (!jin_body(r, &b) || !jin_string(r, b, name, JIN_REQUIRED, 1, max, text)))
        return false;
    if (db_begin(r->db, DB_TX_WRITE) == DB_OK)
        return true;
    fail(r, 500, "store_error", "cannot start the transaction", NULL);
    return false;
}

static void approve(http_request *r)
{
    int64_t id;
    if (read_args(r, NULL, 0, &id, NULL))
        decide(r, id, wd_approve(r, id));
}

static void reject(http_request *r)
{
    int64_t id;
    const char *reason;
    if (read_args(r, "reason", WD_REASON_MAX, &id, &reason))
        decide(r, id, wd_reject(r, id, reason));
}

static void paid(http_request *r)
{
    int64_t id;
    const char *txn;
    if (read_args(r, "transaction_id", WD_PAYPAL_TXN_MAX, &id, &txn))
        decide(r, id, wd_paid(r, id, txn));
}

static void list_exports(http_request *r)
{
    json_t *j = wd_exports_json(r);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the exports", NULL);
    http_json(r, 200, j);
}

/* POST {"currency": "EUR"}: 201 with the new export, or 200 {"export": null}
 * when nothing waits. */
static void create_export(http_request *r)
{
    static const char *const currencies[] = {"EUR", NULL}; /* SEPA credit transfers */
    json_t *b;
    const char *code;
    int64_t export_id;
    if (!jin_body(r, &b) || !jin_enum(r, b, "currency", JIN_REQUIRED, currencies, &code))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return fail(r, 500, "store_error", "cannot start the transaction", NULL);
    wd_result res = wd_export(r, code, &export_id);
    if (res == WD_NOTHING_TO_EXPORT) {
        db_rollback(r->db);
        return http_json(r, 200, json_pack("{s:n}", "export"));
    }
    if (res != WD_OK)
        return fail(r, 500, "store_error", "the export could not be saved; nothing was changed", NULL);
    if (db_commit(r->db) != DB_OK)
        return fail(r, 500, "store_error", "the export could not be saved", NULL);
    json_t *all = wd_exports_json(r);
    json_t *first = all ? json_incref(json_array_get(json_object_get(all, "exports"), 0)) : NULL;
    json_decref(all);
    if (!first)
        return http_error(r, 500, "store_error", "cannot read the export", NULL);
    http_json(r, 201, json_pack("{s:o}", "export", first));
}

static void download(http_request *r)
{
    int64_t id;
    const char *xml = http_param_id(r, "export_id", &id) ? wd_export_xml(r, id) : NULL;
    if (!xml)
        return http_error(r, 404, "not_found", "no such export", NULL);
    http_add_header(r, "Content-Disposition",
                    arena_printf(r->a, "attachment; filename=\"pain001-%" PRId64 ".xml\"", id));
    http_text(r, 200, "application/xml", xml, strlen(xml));
}

void withdrawals_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/withdrawals", list, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/withdrawals/{withdrawal_id}/approve", approve, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/withdrawals/{withdrawal_id}/reject", reject, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/withdrawals/{withdrawal_id}/paid", paid, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/credit-transfer-exports", list_exports, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/credit-transfer-exports", create_export, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/credit-transfer-exports/{export_id}/pain001.xml", download, ROUTE_STAFF);
}
