/* rf_approve.c - the staff's approval of a refund and, for a gateway one,
 * sending it. The approval is committed first; the gateway is called with no
 * transaction open (no lock is held over the network) and the Idempotency-Key
 * "refund:<id>", so a retry after a lost answer gets the same refund back and
 * the money never leaves twice; its answer is then applied in a second
 * transaction guarded by the status "approved", so it is applied once. */
#include "feature/refunds/refunds.h"
#include "feature/refunds/rf_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "feature/payments/gateway.h"
#include "lib/log.h"

/* Approves a requested refund (unless retry_only); *f is the refund then. */
static rf_result approve_tx(http_request *r, int64_t id, bool retry_only, rf_row *f)
{
    int found = rf_get(r, 0, id, f);
    if (found <= 0)
        return found < 0 ? RF_STORE_ERROR : RF_NOT_FOUND;
    bool by_gateway = !strcmp(f->source, "payment");
    if (!strcmp(f->status, "approved") && by_gateway)
        return RF_OK; /* the gateway did not answer before: send it again */
    if (strcmp(f->status, "requested") || retry_only)
        return RF_WRONG_STATUS;
    rf_result res = rf_set_status(r, f, "requested", "approved");
    if (res != RF_OK)
        return res;
    f->status = "approved";
    if (!rf_audit(r, f, "refund.approved", NULL, NULL) || (!by_gateway && !rf_mail(r, f, "refund_approved")))
        return RF_STORE_ERROR;
    return RF_OK;
}

static rf_result paid(http_request *r, const rf_row *f, const gateway *g, const gateway_refund *gr)
{
    int64_t transfer_id;
    rf_result res = rf_set_status(r, f, "approved", "paid");
    if (res != RF_OK)
        return res;
    db_stmt *s = db_prepare(r->db, "UPDATE refund_requests SET gateway_refund_id = $1 WHERE id = $2");
    if (!s)
        return RF_STORE_ERROR;
    db_bind_text(s, 1, gr->id);
    db_bind_int64(s, 2, f->id);
    if (db_exec1(s) != DB_DONE || !rf_payout(r, f, arena_printf(r->a, "gateway:%s", g->name), &transfer_id))
        return RF_STORE_ERROR;
    return rf_audit(r, f, "refund.paid", "gateway_refund_id", gr->id) && rf_mail(r, f, "refund_paid")
               ? RF_OK
               : RF_STORE_ERROR;
}

static rf_result failed(http_request *r, const rf_row *f, const char *code)
{
    rf_result res = rf_set_status(r, f, "approved", "failed");
    if (res != RF_OK)
        return res;
    db_stmt *s = db_prepare(r->db, "UPDATE refund_requests SET failure_code = $1 WHERE id = $2");
    if (!s)
        return RF_STORE_ERROR;
    db_bind_text(s, 1, code);
    db_bind_int64(s, 2, f->id);
    if (db_exec1(s) != DB_DONE || !rf_release(r, f))
        return RF_STORE_ERROR;
    return rf_audit(r, f, "refund.failed", "failure_code", code) && rf_mail(r, f, "refund_failed") ? RF_OK
                                                                                                : RF_STORE_ERROR;
}

/* Applies the gateway's answer; a refund decided meanwhile by a concurrent
 * retry is left as that one made it. */
static rf_result apply(http_request *r, const rf_row *f, const gateway *g, gateway_result gres,
                       const gateway_refund *gr, const char *code)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return RF_STORE_ERROR;
    rf_result res = gres == GATEWAY_OK ? paid(r, f, g, gr) : failed(r, f, code);
    if (res == RF_OK && db_commit(r->db) == DB_OK)
        return RF_OK;
    db_rollback(r->db);
    return res == RF_WRONG_STATUS ? RF_OK : RF_STORE_ERROR;
}

static rf_result send(http_request *r, const rf_row *f)
{
    const gateway *g = gateway_get(r->app->cfg);
    if (!g)
        return RF_GATEWAY_UNAVAILABLE;
    gateway_refund gr;
    char code[GATEWAY_CODE_MAX + 1];
    char key[48];
    snprintf(key, sizeof key, "refund:%" PRId64, f->id);
    gateway_result gres = g->refund(r->app->cfg, f->gateway_payment_id, f->currency, f->amount_minor, key, &gr, code);
    if (gres == GATEWAY_UNAVAILABLE) {
        log_warn("refund_gateway_unavailable", "refund=%" PRId64, f->id);
        return RF_GATEWAY_UNAVAILABLE;
    }
    if (gres == GATEWAY_OK && (strcmp(gr.payment_id, f->gateway_payment_id) || strcmp(gr.currency, f->currency) ||
                               gr.amount_minor != f->amount_minor)) {
        log_warn("refund_mismatch", "refund=%" PRId64 " gateway_refund=%s", f->id, gr.id);
        return RF_GATEWAY_UNAVAILABLE; /* never record what does not match: staff look at it */
    }
    return apply(r, f, g, gres, &gr, code);
}

rf_result rf_approve(http_request *r, int64_t id, bool retry_only)
{
    assert(!db_in_tx(r->db) && r->staff_id > 0);
    rf_row f;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return RF_STORE_ERROR;
    rf_result res = approve_tx(r, id, retry_only, &f);
    if (res != RF_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return res == RF_OK ? RF_STORE_ERROR : res;
    }
    return !strcmp(f.source, "payment") ? send(r, &f) : RF_OK;
}
