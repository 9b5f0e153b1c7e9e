/* rf_read.c - reading refunds, and what is left to refund of each payment,
 * for the API and the pages. */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <inttypes.h>
#include <string.h>

#include "feature/bank/bank.h"
#include "feature/ledger/ledger.h"
#include "feature/payments/payments.h"
#include "http/json_in.h"

const char *const rf_statuses[] = {"requested", "cancelled", "rejected", "approved", "paid", "failed", NULL};

#define RF_COLUMNS                                                                                             \
    "SELECT id, org_id, user_id, source_id, amount_minor, hold_transfer_id, COALESCE(export_id, 0), created_at," \
    " updated_at, source, method, currency, reason, status, gateway_payment_id, creditor_iban, creditor_name,"   \
    " rejection_reason, failure_code, COALESCE(gateway_refund_id, '') FROM refund_requests"

static void read_row(http_request *r, db_stmt *s, rf_row *f)
{
    int64_t *ints[] = {&f->id, &f->org_id, &f->user_id, &f->source_id, &f->amount_minor, &f->hold_transfer_id,
                       &f->export_id, &f->created_at, &f->updated_at};
    const char **texts[] = {&f->source, &f->method, &f->currency, &f->reason, &f->status, &f->gateway_payment_id,
                            &f->creditor_iban, &f->creditor_name, &f->rejection_reason, &f->failure_code,
                            &f->gateway_refund_id};
    for (int i = 0; i < 9; i++)
        *ints[i] = db_col_int64(s, i);
    for (int i = 0; i < 11; i++)
        *texts[i] = arena_strdup(r->a, db_col_text(s, 9 + i));
}

int rf_get(http_request *r, int64_t org_id, int64_t id, rf_row *out)
{
    db_stmt *s = db_prepare(r->db, RF_COLUMNS " WHERE id = $1 AND (CAST($2 AS BIGINT) = 0 OR org_id = $2)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        read_row(r, s, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

static json_t *text_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

json_t *rf_row_json(http_request *r, const rf_row *f)
{
    money m = money_make(f->amount_minor, currency_find(f->currency));
    json_t *creditor = *f->creditor_iban
                           ? json_pack("{s:s, s:s}", "iban", f->creditor_iban, "name", f->creditor_name)
                           : json_null();
    return json_pack("{s:I, s:I, s:s, s:{s:s, s:I}, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "id", (json_int_t)f->id, "org_id", (json_int_t)f->org_id, "reference",
                     arena_printf(r->a, "SALDO-R-%" PRId64, f->id), "payment", "source", f->source, "id",
                     (json_int_t)f->source_id, "method", f->method, "amount", jout_money(m, r->lang), "reason",
                     f->reason, "status", f->status, "rejection_reason", f->rejection_reason, "failure_code",
                     text_or_null(f->failure_code), "gateway_refund_id", text_or_null(f->gateway_refund_id),
                     "export_id", f->export_id ? json_integer(f->export_id) : json_null(), "creditor", creditor,
                     "created_at", jout_time(f->created_at), "updated_at", jout_time(f->updated_at));
}

json_t *rf_json(http_request *r, int64_t org_id, int64_t id, bool *store_error)
{
    rf_row f;
    int found = rf_get(r, org_id, id, &f);
    *store_error = found < 0;
    return found == 1 ? rf_row_json(r, &f) : NULL;
}

json_t *rf_list_json(http_request *r, int64_t org_id, const char *status)
{
    db_stmt *s = db_prepare(r->db, RF_COLUMNS " WHERE (CAST($1 AS BIGINT) = 0 OR org_id = $1)"
                                              " AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, status ? status : "");
    db_bind_int64(s, 3, RF_LIST_MAX);
    json_t *list = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        rf_row f;
        read_row(r, s, &f);
        json_array_append_new(list, rf_row_json(r, &f));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "refund_requests", list);
}

/* The wallet balance of org_id in cur (0 without a wallet); -1 on a store error. */
static int64_t balance(http_request *r, int64_t org_id, const currency *cur)
{
    int64_t wallet, minor;
    ledger_result lr = ledger_wallet(r->db, org_id, cur->code, false, &wallet);
    if (lr == LEDGER_NOT_FOUND)
        return 0;
    return lr == LEDGER_OK && ledger_balance(r->db, wallet, &minor) == LEDGER_OK ? minor : -1;
}

/* One entry of the refundable list; false on a store error. */
static bool add_entry(http_request *r, json_t *list, int64_t org_id, const char *source, int64_t id,
                      const char *method, money amount, int64_t created_at, json_t *debtor)
{
    int64_t taken = rf_taken(r, source, id), held = balance(r, org_id, amount.cur);
    if (taken < 0 || held < 0) {
        json_decref(debtor);
        return false;
    }
    int64_t left = amount.minor > taken ? amount.minor - taken : 0;
    json_array_append_new(list, json_pack("{s:{s:s, s:I}, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "payment", "source",
        source, "id", (json_int_t)id, "method", method, "amount", jout_money(amount, r->lang), "refunded",
        jout_money(money_make(taken, amount.cur), r->lang), "remaining", jout_money(money_make(left, amount.cur),
        r->lang), "refundable", jout_money(money_make(left < held ? left : held, amount.cur), r->lang),
        "created_at", jout_time(created_at), "debtor", debtor));
    return true;
}

json_t *rf_refundable_json(http_request *r, int64_t org_id)
{
    payment *p = arena_alloc(r->a, sizeof *p * BANK_CREDITS_MAX);
    bank_credit *c = arena_alloc(r->a, sizeof *c * BANK_CREDITS_MAX);
    int np = payments_succeeded(r->db, org_id, p, BANK_CREDITS_MAX);
    int nc = np < 0 ? -1 : bank_credits_of(r->db, r->a, org_id, c, BANK_CREDITS_MAX);
    if (nc < 0)
        return NULL;
    json_t *list = json_array();
    bool ok = true;
    for (int i = 0; ok && i < np; i++)
        if (strcmp(p[i].method, "crypto")) /* never refundable: see refunds.h */
            ok = add_entry(r, list, org_id, "payment", p[i].id, p[i].method, p[i].amount, p[i].settled_at,
                           json_null());
    for (int i = 0; ok && i < nc; i++)
        if (!strcmp(c[i].currency, "EUR") && *c[i].debtor_iban && *c[i].debtor_name)
            ok = add_entry(r, list, org_id, "bank_transfer", c[i].id, "bank_transfer",
                           money_make(c[i].amount_minor, currency_find(c[i].currency)), c[i].imported_at,
                           json_pack("{s:s, s:s}", "name", c[i].debtor_name, "iban", c[i].debtor_iban));
    if (!ok) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "payments", list);
}
