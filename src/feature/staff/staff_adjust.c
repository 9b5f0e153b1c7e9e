/* staff_adjust.c - credit adjustments by staff, and the audit log they leave.
 *
 * An adjustment is a ledger transfer between the organization's wallet and the
 * "adjustments" system account (positive amount credits the wallet, negative
 * debits it), with a mandatory reason, an Idempotency-Key, and an audit entry,
 * all in one transaction. */
#include "feature/staff/staff.h"
#include "feature/staff/staff_internal.h"

#include <inttypes.h>
#include <stdlib.h>

#include "feature/ledger/ledger.h"
#include "http/idempotency.h"
#include "http/json_in.h"

static bool org_exists(http_request *r, int64_t org_id)
{
    db_stmt *s = db_prepare(r->db, "SELECT 1 FROM orgs WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    bool ok = db_step(s) == DB_ROW;
    db_done(s);
    return ok;
}

static void fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

/* Posts the transfer of m (signed) between the wallet and adjustments. */
static ledger_result post_adjustment(http_request *r, int64_t org_id, money m, const idem *k,
                                     int64_t *wallet, int64_t *transfer_id)
{
    int64_t adj;
    ledger_result lr = ledger_wallet(r->db, org_id, m.cur->code, m.minor > 0, wallet);
    if (lr == LEDGER_NOT_FOUND)
        return LEDGER_INSUFFICIENT_FUNDS; /* no wallet in that currency: nothing to debit */
    if (lr != LEDGER_OK || (lr = ledger_system_account(r->db, "adjustments", m.cur->code, &adj)) != LEDGER_OK)
        return lr;
    ledger_transfer t = {
        .debit_account_id = m.minor > 0 ? adj : *wallet,
        .credit_account_id = m.minor > 0 ? *wallet : adj,
        .amount_minor = llabs(m.minor),
        .currency = m.cur->code,
        .kind = "adjustment",
        .reference = "",
        .idempotency_key = arena_printf(r->a, "staff:%" PRId64 ":%s", r->staff_id, k->key),
    };
    return ledger_post(r->db, &t, transfer_id);
}

static json_t *audit_detail(money m, const char *reason, int64_t transfer_id)
{
    return json_pack("{s:o, s:s, s:I}", "amount", jout_money(m, "en"), "reason", reason,
                     "transfer_id", (json_int_t)transfer_id);
}

void staff_adjustment(http_request *r)
{
    int64_t org_id, wallet = 0, transfer_id = 0, balance = 0;
    json_t *b;
    money m;
    const char *reason;
    idem k;
    if (!http_param_id(r, "org_id", &org_id))
        return (void)http_error(r, 404, "not_found", "no such organization", NULL);
    if (!jin_body(r, &b) || !jin_money(r, b, "amount", &m) ||
        !jin_string(r, b, "reason", JIN_REQUIRED, 3, 500, &reason) ||
        !idem_start(r, arena_printf(r->a, "staff:%" PRId64, r->staff_id), &k))
        return;
    if (m.minor == 0 || m.minor > LEDGER_AMOUNT_MAX || m.minor < -LEDGER_AMOUNT_MAX)
        return (void)http_error(r, 422, "invalid_field", "amount: must not be zero nor too large", "amount");
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return fail(r, 500, "store_error", "cannot start the transaction", NULL);
    if (!idem_check(r, &k))
        return;
    if (!org_exists(r, org_id))
        return fail(r, 404, "not_found", "no such organization", NULL);
    ledger_result lr = post_adjustment(r, org_id, m, &k, &wallet, &transfer_id);
    if (lr == LEDGER_INSUFFICIENT_FUNDS)
        return fail(r, 422, "insufficient_funds", "amount: the wallet holds less than that", "amount");
    if (lr != LEDGER_OK && lr != LEDGER_REPLAYED)
        return fail(r, lr == LEDGER_KEY_CONFLICT ? 409 : 500, ledger_result_str(lr), "the adjustment was refused", NULL);
    json_t *detail = audit_detail(m, reason, transfer_id);
    char *detail_text = json_dumps(detail, JSON_COMPACT);
    bool audited = staff_audit(r->db, r->staff_id, "wallet.adjust", "org", org_id, detail_text, r->client_ip);
    free(detail_text);
    json_decref(detail);
    if (!audited || ledger_balance(r->db, wallet, &balance) != LEDGER_OK)
        return fail(r, 500, "store_error", "the adjustment could not be saved", NULL);
    idem_save_and_answer(r, &k, 201, json_pack("{s:{s:I, s:o, s:s}, s:o}",
        "transfer", "id", (json_int_t)transfer_id, "amount", jout_money(m, r->lang), "reason", reason,
        "balance", jout_money(money_make(balance, m.cur), r->lang)));
}

void staff_get_audit(http_request *r)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT a.id, a.created_at, s.email, a.action, a.target_kind, a.target_id, a.detail, a.ip"
        " FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id ORDER BY a.id DESC LIMIT 100");
    if (!s)
        return (void)http_error(r, 500, "store_error", "cannot read the audit log", NULL);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *detail = json_loads(db_col_text(s, 6), 0, NULL);
        json_array_append_new(list, json_pack("{s:I, s:o, s:s?, s:s, s:s, s:I, s:o, s:s?}",
            "id", (json_int_t)db_col_int64(s, 0), "created_at", jout_time(db_col_int64(s, 1)),
            "staff_email", db_col_text(s, 2), "action", db_col_text(s, 3), "target_kind", db_col_text(s, 4),
            "target_id", (json_int_t)db_col_int64(s, 5), "detail", detail ? detail : json_object(),
            "ip", db_col_text(s, 7)));
    }
    db_done(s);
    http_json(r, 200, json_pack("{s:o}", "entries", list));
}
