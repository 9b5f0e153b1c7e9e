/* wd_read.c - reading withdrawals and exports for the API and the pages. */
#include "feature/withdrawals/withdrawals.h"
#include "feature/withdrawals/wd_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "http/json_in.h"

const char *const wd_statuses[] = {"pending", "cancelled", "rejected", "approved", "exported", "paid", NULL};

#define WD_COLUMNS                                                                                          \
    "SELECT id, org_id, user_id, amount_minor, hold_transfer_id, COALESCE(export_id, 0), created_at,"     \
    " updated_at, currency, method, iban, holder, paypal_email, note, status, reason, paypal_txn FROM withdrawals"

static void read_row(http_request *r, db_stmt *s, wd_row *w)
{
    int64_t *ints[] = {&w->id, &w->org_id, &w->user_id, &w->amount_minor, &w->hold_transfer_id, &w->export_id,
                       &w->created_at, &w->updated_at};
    const char **texts[] = {&w->currency, &w->method, &w->iban, &w->holder, &w->paypal_email, &w->note,
                            &w->status, &w->reason, &w->paypal_txn};
    for (int i = 0; i < 8; i++)
        *ints[i] = db_col_int64(s, i);
    for (int i = 0; i < 9; i++)
        *texts[i] = arena_strdup(r->a, db_col_text(s, 8 + i));
}

int wd_get(http_request *r, int64_t org_id, int64_t id, wd_row *out)
{
    db_stmt *s = db_prepare(r->db, WD_COLUMNS " WHERE id = $1 AND (CAST($2 AS BIGINT) = 0 OR org_id = $2)");
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

json_t *wd_row_json(http_request *r, const wd_row *w)
{
    money m = money_make(w->amount_minor, currency_find(w->currency));
    json_t *dest = strcmp(w->method, "bank") == 0
                       ? json_pack("{s:s, s:s, s:s}", "method", "bank", "iban", w->iban, "holder", w->holder)
                       : json_pack("{s:s, s:s}", "method", "paypal", "email", w->paypal_email);
    return json_pack("{s:I, s:I, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)w->id,
                     "org_id", (json_int_t)w->org_id, "reference",
                     arena_printf(r->a, "SALDO-W-%" PRId64, w->id), "amount", jout_money(m, r->lang),
                     "destination", dest, "note", w->note, "status", w->status, "reason", w->reason,
                     "paypal_transaction", w->paypal_txn, "created_at", jout_time(w->created_at), "updated_at",
                     jout_time(w->updated_at));
}

json_t *wd_json(http_request *r, int64_t org_id, int64_t id, bool *store_error)
{
    wd_row w;
    int found = wd_get(r, org_id, id, &w);
    *store_error = found < 0;
    return found == 1 ? wd_row_json(r, &w) : NULL;
}

json_t *wd_list_json(http_request *r, int64_t org_id, const char *status)
{
    db_stmt *s = db_prepare(r->db, WD_COLUMNS " WHERE (CAST($1 AS BIGINT) = 0 OR org_id = $1)"
                                              " AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, status ? status : "");
    db_bind_int64(s, 3, WD_LIST_MAX);
    json_t *list = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        wd_row w;
        read_row(r, s, &w);
        json_array_append_new(list, wd_row_json(r, &w));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "withdrawals", list);
}

json_t *wd_exports_json(http_request *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT id, msg_id, currency, tx_count, total_minor, created_at"
                                   " FROM credit_transfer_exports ORDER BY id DESC LIMIT $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, WD_LIST_MAX);
    json_t *list = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        money m = money_make(db_col_int64(s, 4), currency_find(db_col_text(s, 2)));
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:I, s:o, s:o}", "id",
            (json_int_t)db_col_int64(s, 0), "msg_id", db_col_text(s, 1), "currency", db_col_text(s, 2), "count",
            (json_int_t)db_col_int64(s, 3), "total", jout_money(m, r->lang), "created_at",
            jout_time(db_col_int64(s, 5))));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "exports", list);
}

const char *wd_export_xml(http_request *r, int64_t export_id)
{
    db_stmt *s = db_prepare(r->db, "SELECT xml FROM credit_transfer_exports WHERE id = $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, export_id);
    const char *xml = db_step(s) == DB_ROW ? arena_strdup(r->a, db_col_text(s, 0)) : NULL;
    db_done(s);
    return xml;
}
