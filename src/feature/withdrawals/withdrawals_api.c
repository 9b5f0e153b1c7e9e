/* withdrawals_api.c - the customer's API of withdrawals (admins and members
 * with the billing right; anyone else gets 404):
 *   GET/POST /api/v1/orgs/{org_id}/withdrawals
 *   GET      /api/v1/orgs/{org_id}/withdrawals/{withdrawal_id}
 *   POST     /api/v1/orgs/{org_id}/withdrawals/{withdrawal_id}/cancel */
#include "feature/withdrawals/withdrawals.h"
#include "feature/withdrawals/wd_internal.h"

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
static void answer_result(http_request *r, wd_result res)
{
    switch (res) {
    case WD_NO_WALLET:
        return fail(r, 422, "invalid_field", "amount: the organization has no balance in that currency", "amount");
    case WD_BANK_NOT_EUR:
        return fail(r, 422, "invalid_field", "amount: bank withdrawals are SEPA credit transfers, in EUR only",
                    "amount");
    case WD_INSUFFICIENT_FUNDS:
        return fail(r, 422, "insufficient_funds", "amount: the balance holds less than that", "amount");
    case WD_KEY_CONFLICT:
        return fail(r, 409, "idempotency_conflict", "the Idempotency-Key was used for another request", NULL);
    case WD_NOT_FOUND:
        return fail(r, 404, "not_found", "no such withdrawal", NULL);
    case WD_WRONG_STATUS:
        return fail(r, 409, "wrong_status", "the withdrawal is not in a state that allows this", NULL);
    default:
        return fail(r, 500, "store_error", "the request could not be saved; nothing was changed", NULL);
    }
}

/* The destination of the body: {"method": "bank", "iban", "holder"} or
 * {"method": "paypal", "email"}. Answers 422 itself. */
static bool read_destination(http_request *r, json_t *b, wd_request_in *in)
{
    static const char *const methods[] = {"bank", "paypal", NULL};
    json_t *d = json_object_get(b, "destination");
    if (!json_is_object(d))
        return http_error(r, 422, "invalid_field", "destination: must be an object", "destination"), false;
    const char *iban = NULL, *why;
    in->holder = in->paypal_email = "";
    in->iban[0] = '\0';
    if (!jin_enum(r, d, "method", JIN_REQUIRED, methods, &in->method))
        return false;
    if (strcmp(in->method, "paypal") == 0)
        return jin_email(r, d, "email", JIN_REQUIRED, &in->paypal_email);
    if (!jin_string(r, d, "iban", JIN_REQUIRED, 1, IBAN_INPUT_LEN_MAX, &iban) ||
        !jin_string(r, d, "holder", JIN_REQUIRED, 1, WD_HOLDER_MAX, &in->holder))
        return false;
    if (iban_validate(iban, in->iban, sizeof in->iban, &why))
        return true;
    http_error(r, 422, "invalid_field", arena_printf(r->a, "iban: %s", why), "iban");
    return false;
}

static void create(http_request *r)
{
    wd_request_in in = {0};
    json_t *b;
    idem k;
    int64_t id;
    if (!org_or_404(r, &in.org_id) || !jin_body(r, &b) || !jin_money(r, b, "amount", &in.amount) ||
        !read_destination(r, b, &in) || !jin_string(r, b, "note", JIN_OPTIONAL, 0, WD_NOTE_MAX, &in.note))
        return;
    if (in.amount.minor <= 0 || in.amount.minor > LEDGER_AMOUNT_MAX)
        return http_error(r, 422, "invalid_field", "amount: must be more than zero", "amount");
    if (!in.note)
        in.note = "";
    if (!idem_start(r, arena_printf(r->a, "user:%" PRId64 ":org:%" PRId64, r->user_id, in.org_id), &k))
        return;
    in.key = k.key;
    if (!idem_begin(r, &k))
        return;
    wd_result res = wd_request(r, &in, &id);
    if (res != WD_OK)
        return answer_result(r, res);
    bool store_error;
    json_t *j = wd_json(r, in.org_id, id, &store_error);
    if (!j)
        return answer_result(r, WD_STORE_ERROR);
    idem_save_and_answer(r, &k, 201, j);
}

static void list(http_request *r)
{
    int64_t org_id;
    if (!org_or_404(r, &org_id))
        return;
    json_t *j = wd_list_json(r, org_id, NULL);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the withdrawals", NULL);
    http_json(r, 200, j);
}

static bool path_ids(http_request *r, int64_t *org_id, int64_t *id)
{
    if (!org_or_404(r, org_id))
        return false;
    if (http_param_id(r, "withdrawal_id", id))
        return true;
    http_error(r, 404, "not_found", "no such withdrawal", NULL);
    return false;
}

static void answer_one(http_request *r, int status, int64_t org_id, int64_t id)
{
    bool store_error;
    json_t *j = wd_json(r, org_id, id, &store_error);
    if (!j)
        return http_error(r, store_error ? 500 : 404, store_error ? "store_error" : "not_found",
                          store_error ? "cannot read the withdrawal" : "no such withdrawal", NULL);
    http_json(r, status, j);
}

static void get_one(http_request *r)
{
    int64_t org_id, id;
    if (path_ids(r, &org_id, &id))
        answer_one(r, 200, org_id, id);
}

static void cancel(http_request *r)
{
    int64_t org_id, id;
    if (!path_ids(r, &org_id, &id))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return fail(r, 500, "store_error", "cannot start the transaction", NULL);
    wd_result res = wd_cancel(r, org_id, id);
    if (res != WD_OK)
        return answer_result(r, res);
    if (db_commit(r->db) != DB_OK)
        return fail(r, 500, "store_error", "the cancel could not be saved", NULL);
    answer_one(r, 200, org_id, id);
}

void withdrawals_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/withdrawals", list, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/withdrawals", create, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/withdrawals/{withdrawal_id}", get_one, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/withdrawals/{withdrawal_id}/cancel", cancel, ROUTE_USER);
    withdrawals_staff_routes(rt);
}
