/* staff_adjust.c - credit adjustments by staff, and the audit log they leave.
 *
 * An adjustment is a ledger transfer between the organization's wallet and the
 * "adjustments" system account (positive amount credits the wallet, negative
 * debits it), with a mandatory reason, an idempotency key, and an audit entry,
 * all in one transaction. staff_adjust() is the service; the API handler below
 * and the back office's form (feature/web) both call it. */
#include "feature/staff/staff.h"
#include "feature/staff/staff_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"
#include "http/idempotency.h"
#include "http/json_in.h"

/* Posts the transfer of m (signed) between the wallet and adjustments. */
static ledger_result post_adjustment(http_request *r, const staff_adjust_in *in, int64_t *wallet,
                                     int64_t *transfer_id)
{
    int64_t adj;
    money m = in->amount;
    ledger_result lr = ledger_wallet(r->db, in->org_id, m.cur->code, m.minor > 0, wallet);
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
        .idempotency_key = arena_printf(r->a, "staff:%" PRId64 ":%s", r->staff_id, in->key),
    };
    return ledger_post(r->db, &t, transfer_id);
}

static bool audit_adjustment(http_request *r, const staff_adjust_in *in, int64_t transfer_id)
{
    json_t *detail = json_pack("{s:o, s:s, s:I}", "amount", jout_money(in->amount, "en"), "reason", in->reason,
                               "transfer_id", (json_int_t)transfer_id);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (!text)
        abort(); /* out of memory */
    bool ok = staff_audit(r->db, r->staff_id, "wallet.adjust", "org", in->org_id, text, r->client_ip) &&
              org_audit_record(r->db, in->org_id, 0, "wallet.adjust", text, NULL); /* by staff: no user, no staff IP */
    free(text);
    return ok;
}

staff_adjust_result staff_adjust(http_request *r, const staff_adjust_in *in, staff_adjust_out *out)
{
    assert(db_in_tx(r->db) && r->staff_id > 0 && in->org_id > 0);
    assert(in->amount.minor != 0 && llabs(in->amount.minor) <= LEDGER_AMOUNT_MAX);
    assert(strlen(in->reason) >= STAFF_REASON_MIN && strlen(in->reason) <= STAFF_REASON_MAX);
    assert(*in->key && strlen(in->key) <= IDEM_KEY_MAX);
    char name[ORG_NAME_MAX + 1];
    if (!org_name(r->db, in->org_id, name, sizeof name))
        return STAFF_ADJUST_NO_ORG;
    int64_t wallet = 0;
    *out = (staff_adjust_out){0, 0};
    ledger_result lr = post_adjustment(r, in, &wallet, &out->transfer_id);
    switch (lr) {
    case LEDGER_OK:
        if (!audit_adjustment(r, in, out->transfer_id))
            return STAFF_ADJUST_STORE_ERROR;
        break;
    case LEDGER_REPLAYED:
        break; /* audited when it was posted */
    case LEDGER_INSUFFICIENT_FUNDS:
        return STAFF_ADJUST_INSUFFICIENT_FUNDS;
    case LEDGER_KEY_CONFLICT:
        return STAFF_ADJUST_KEY_CONFLICT;
    default:
        return STAFF_ADJUST_STORE_ERROR;
    }
    if (ledger_balance(r->db, wallet, &out->balance_minor) != LEDGER_OK)
        return STAFF_ADJUST_STORE_ERROR;
    assert(out->transfer_id > 0 && out->balance_minor >= 0);
    return lr == LEDGER_OK ? STAFF_ADJUST_OK : STAFF_ADJUST_REPLAYED;
}

static void fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

/* POST /api/v1/staff/orgs/{org_id}/adjustments: {"amount": money, "reason"}. */
void staff_post_adjustment(http_request *r)
{
    staff_adjust_in in;
    staff_adjust_out out;
    json_t *b;
    idem k;
    if (!http_param_id(r, "org_id", &in.org_id))
        return (void)http_error(r, 404, "not_found", "no such organization", NULL);
    if (!jin_body(r, &b) || !jin_money(r, b, "amount", &in.amount) ||
        !jin_string(r, b, "reason", JIN_REQUIRED, STAFF_REASON_MIN, STAFF_REASON_MAX, &in.reason) ||
        !idem_start(r, arena_printf(r->a, "staff:%" PRId64, r->staff_id), &k))
        return;
    if (in.amount.minor == 0 || in.amount.minor > LEDGER_AMOUNT_MAX || in.amount.minor < -LEDGER_AMOUNT_MAX)
        return (void)http_error(r, 422, "invalid_field", "amount: must not be zero nor too large", "amount");
    in.key = k.key;
    if (!idem_begin(r, &k))
        return;
    switch (staff_adjust(r, &in, &out)) {
    case STAFF_ADJUST_OK:
    case STAFF_ADJUST_REPLAYED:
        break;
    case STAFF_ADJUST_NO_ORG:
        return fail(r, 404, "not_found", "no such organization", NULL);
    case STAFF_ADJUST_INSUFFICIENT_FUNDS:
        return fail(r, 422, "insufficient_funds", "amount: the wallet holds less than that", "amount");
    case STAFF_ADJUST_KEY_CONFLICT:
        return fail(r, 409, "idempotency_conflict", "the adjustment was refused", NULL);
    default:
        return fail(r, 500, "store_error", "the adjustment could not be saved", NULL);
    }
    idem_save_and_answer(r, &k, 201, json_pack("{s:{s:I, s:o, s:s}, s:o}",
        "transfer", "id", (json_int_t)out.transfer_id, "amount", jout_money(in.amount, r->lang), "reason", in.reason,
        "balance", jout_money(money_make(out.balance_minor, in.amount.cur), r->lang)));
}

int staff_audit_list(http_request *r, int64_t before_id, size_t limit, staff_audit_entry *out)
{
    assert(limit > 0 && limit <= STAFF_AUDIT_PAGE_MAX && before_id >= 0);
    db_stmt *s = db_prepare(r->db,
        "SELECT a.id, a.created_at, s.email, a.action, a.target_kind, COALESCE(a.target_id, 0), a.detail, a.ip"
        " FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id"
        " WHERE (CAST($1 AS BIGINT) = 0 OR a.id < $1) ORDER BY a.id DESC LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, before_id);
    db_bind_int64(s, 2, (int64_t)limit);
    size_t n = 0;
    while (n < limit && db_step(s) == DB_ROW) {
        staff_audit_entry *e = &out[n++];
        *e = (staff_audit_entry){
            .id = db_col_int64(s, 0),
            .created_at = db_col_int64(s, 1),
            .staff_email = db_col_is_null(s, 2) ? NULL : arena_strdup(r->a, db_col_text(s, 2)),
            .action = arena_strdup(r->a, db_col_text(s, 3)),
            .target_kind = arena_strdup(r->a, db_col_text(s, 4)),
            .target_id = db_col_int64(s, 5),
            .detail = arena_strdup(r->a, db_col_text(s, 6)),
            .ip = db_col_is_null(s, 7) ? NULL : arena_strdup(r->a, db_col_text(s, 7)),
        };
    }
    db_done(s);
    return (int)n;
}

/* GET /api/v1/staff/audit: the newest STAFF_AUDIT_PAGE_MAX entries. */
void staff_get_audit(http_request *r)
{
    staff_audit_entry *e = arena_alloc(r->a, sizeof *e * STAFF_AUDIT_PAGE_MAX);
    int n = staff_audit_list(r, 0, STAFF_AUDIT_PAGE_MAX, e);
    if (n < 0)
        return (void)http_error(r, 500, "store_error", "cannot read the audit log", NULL);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *detail = json_loads(e[i].detail, 0, NULL);
        json_array_append_new(list, json_pack("{s:I, s:o, s:s?, s:s, s:s, s:I, s:o, s:s?}",
            "id", (json_int_t)e[i].id, "created_at", jout_time(e[i].created_at), "staff_email", e[i].staff_email,
            "action", e[i].action, "target_kind", e[i].target_kind, "target_id", (json_int_t)e[i].target_id,
            "detail", detail ? detail : json_object(), "ip", e[i].ip));
    }
    http_json(r, 200, json_pack("{s:o}", "entries", list));
}

int staff_audit_about(http_request *r, const char *target_kind, int64_t target_id, size_t limit,
                      staff_audit_entry *out)
{
    assert(limit > 0 && limit <= STAFF_AUDIT_PAGE_MAX && target_kind && target_id > 0);
    db_stmt *s = db_prepare(r->db,
        "SELECT a.id, a.created_at, s.email, a.action, a.target_kind, COALESCE(a.target_id, 0), a.detail, a.ip"
        " FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id"
        " WHERE a.target_kind = $1 AND a.target_id = $2 ORDER BY a.id DESC LIMIT $3");
    if (!s)
        return -1;
    db_bind_text(s, 1, target_kind);
    db_bind_int64(s, 2, target_id);
    db_bind_int64(s, 3, (int64_t)limit);
    size_t n = 0;
    while (n < limit && db_step(s) == DB_ROW) {
        out[n++] = (staff_audit_entry){
            .id = db_col_int64(s, 0),
            .created_at = db_col_int64(s, 1),
            .staff_email = db_col_is_null(s, 2) ? NULL : arena_strdup(r->a, db_col_text(s, 2)),
            .action = arena_strdup(r->a, db_col_text(s, 3)),
            .target_kind = arena_strdup(r->a, db_col_text(s, 4)),
            .target_id = db_col_int64(s, 5),
            .detail = arena_strdup(r->a, db_col_text(s, 6)),
            .ip = db_col_is_null(s, 7) ? NULL : arena_strdup(r->a, db_col_text(s, 7)),
        };
    }
    db_done(s);
    return (int)n;
}
