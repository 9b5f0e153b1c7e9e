/* wd_export.c - the credit-transfer export: one pain.001 file for every
 * approved, not yet exported bank withdrawal and bank refund (refunds.h) of a
 * currency. The rows are marked exported (refunds: paid), their money moves
 * from "withdrawals_payable" (refunds: "refunds_payable") to "bank:<provider
 * IBAN>" and the file is kept, all in one transaction, so a second export
 * never repeats a transfer and an earlier file can be downloaded again. */
#include "feature/withdrawals/withdrawals.h"
#include "feature/withdrawals/wd_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/refunds/refunds.h"
#include "feature/staff/staff.h"
#include "feature/withdrawals/pain001.h"

enum { WD_EXPORT_MAX = 1000, WD_EXPORT_XML_MAX = 4 * 1024 * 1024 };

/* The approved bank withdrawals of currency code waiting for an export, oldest first. */
static int waiting(http_request *r, const char *code, wd_row *out)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id FROM withdrawals WHERE status = 'approved' AND method = 'bank' AND currency = $1"
        " AND export_id IS NULL ORDER BY id LIMIT $2");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_bind_int64(s, 2, WD_EXPORT_MAX);
    int64_t *ids = arena_alloc(r->a, sizeof *ids * WD_EXPORT_MAX);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW)
        ids[n++] = db_col_int64(s, 0);
    db_done(s);
    if (st != DB_DONE)
        return -1;
    for (int i = 0; i < n; i++)
        if (wd_get(r, 0, ids[i], &out[i]) != 1)
            return -1;
    return n;
}

/* Inserts the export's row with a provisional MsgId; the XML follows. */
static bool insert_export(http_request *r, const char *code, int n, int64_t total, int64_t now, int64_t *id)
{
    unsigned char rnd[16];
    char hex[33];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO credit_transfer_exports (msg_id, currency, tx_count, total_minor, xml, staff_id, created_at)"
        " VALUES ($1, $2, $3, $4, '', $5, $6) RETURNING id");
    if (!s)
        return false;
    db_bind_text(s, 1, hex);
    db_bind_text(s, 2, code);
    db_bind_int64(s, 3, n);
    db_bind_int64(s, 4, total);
    db_bind_int64(s, 5, r->staff_id);
    db_bind_int64(s, 6, now);
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *id = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

/* Marks w exported in export_id (guarded: a concurrent export or decision
 * makes it fail, and the caller rolls back), then moves its money to the bank. */
static bool export_one(http_request *r, const wd_row *w, int64_t export_id)
{
    int64_t transfer_id;
    db_stmt *s = db_prepare(r->db,
        "UPDATE withdrawals SET status = 'exported', export_id = $1, updated_at = $2"
        " WHERE id = $3 AND status = 'approved' AND export_id IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, export_id);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, w->id);
    if (db_exec1(s) != DB_DONE || db_changes(r->db) != 1)
        return false;
    const char *bank = arena_printf(r->a, "bank:%s", r->app->cfg->provider.iban);
    if (!wd_payout(r, w, bank, &transfer_id) ||
        !(s = db_prepare(r->db, "UPDATE withdrawals SET payout_transfer_id = $1 WHERE id = $2")))
        return false;
    db_bind_int64(s, 1, transfer_id);
    db_bind_int64(s, 2, w->id);
    return db_exec1(s) == DB_DONE && wd_audit(r, w, "withdrawal.exported", NULL, NULL);
}

/* Writes the file (n withdrawals w, then nr refunds rf) and stores it with its final MsgId. */
static bool store_xml(http_request *r, const wd_row *w, int n, const rf_credit_transfer *rf, int nr,
                      int64_t export_id, int64_t now)
{
    pain001_tx *tx = arena_alloc(r->a, sizeof *tx * (size_t)(n + nr));
    for (int i = 0; i < n; i++)
        tx[i] = (pain001_tx){
            .end_to_end_id = arena_printf(r->a, "SALDO-W-%" PRId64, w[i].id),
            .amount_minor = w[i].amount_minor,
            .creditor_name = w[i].holder,
            .creditor_iban = w[i].iban,
            .remittance = *w[i].note ? arena_printf(r->a, "SALDO-W-%" PRId64 " %s", w[i].id, w[i].note)
                                     : arena_printf(r->a, "SALDO-W-%" PRId64, w[i].id),
        };
    for (int i = 0; i < nr; i++)
        tx[n + i] = (pain001_tx){rf[i].end_to_end_id, rf[i].amount_minor, rf[i].creditor_name, rf[i].creditor_iban,
                                 rf[i].remittance};
    const struct saldo_config *c = r->app->cfg;
    pain001_head h = {
        .msg_id = arena_printf(r->a, "SALDO-CT-%" PRId64 "-%" PRId64, export_id, now),
        .created_at = now,
        .debtor_name = c->provider.name,
        .debtor_iban = c->provider.iban,
        .debtor_bic = c->provider.bic,
    };
    buf xml;
    buf_init(&xml, WD_EXPORT_XML_MAX);
    bool ok = pain001_write(&xml, &h, tx, (size_t)(n + nr));
    db_stmt *s = ok ? db_prepare(r->db, "UPDATE credit_transfer_exports SET msg_id = $1, xml = $2 WHERE id = $3") : NULL;
    if (s) {
        db_bind_text(s, 1, h.msg_id);
        db_bind_text(s, 2, buf_cstr(&xml));
        db_bind_int64(s, 3, export_id);
        ok = db_exec1(s) == DB_DONE;
    }
    buf_free(&xml);
    return ok && s;
}

wd_result wd_export(http_request *r, const char *code, int64_t *export_id)
{
    assert(db_in_tx(r->db) && r->staff_id > 0 && strcmp(code, "EUR") == 0);
    wd_row *w = arena_alloc(r->a, sizeof *w * WD_EXPORT_MAX);
    rf_credit_transfer *rf = arena_alloc(r->a, sizeof *rf * RF_EXPORT_MAX);
    int n = waiting(r, code, w);
    int nr = n < 0 ? -1 : rf_export_waiting(r, code, rf, RF_EXPORT_MAX);
    if (nr < 0)
        return WD_STORE_ERROR;
    if (n + nr == 0)
        return WD_NOTHING_TO_EXPORT;
    int64_t total = 0, now = (int64_t)time(NULL);
    for (int i = 0; i < n; i++)
        total += w[i].amount_minor;
    for (int i = 0; i < nr; i++)
        total += rf[i].amount_minor;
    if (!insert_export(r, code, n + nr, total, now, export_id))
        return WD_STORE_ERROR;
    for (int i = 0; i < n; i++)
        if (!export_one(r, &w[i], *export_id))
            return WD_STORE_ERROR;
    for (int i = 0; i < nr; i++)
        if (!rf_export_done(r, &rf[i], *export_id))
            return WD_STORE_ERROR;
    if (!store_xml(r, w, n, rf, nr, *export_id, now))
        return WD_STORE_ERROR;
    const char *detail = arena_printf(r->a, "{\"export_id\":%" PRId64 ",\"count\":%d,\"currency\":\"%s\"}",
                                      *export_id, n + nr, code);
    return staff_audit(r->db, r->staff_id, "credit_transfer.export", "export", *export_id, detail, r->client_ip)
               ? WD_OK
               : WD_STORE_ERROR;
}
