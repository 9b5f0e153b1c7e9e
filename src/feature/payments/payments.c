/* payments.c - the payments table and payment_sync(), the one path that
 * settles a payment: credits the wallet and, for an order or renewals, spends
 * it on them in the same transaction (see payments.h). */
#include "feature/payments/payments.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/cards/cards.h"
#include "feature/invoices/invoices.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "lib/arena.h"
#include "lib/log.h"

#define PAYMENT_COLUMNS                                                                                        \
    "SELECT id, org_id, user_id, method, currency, amount_minor, status, idem_key, COALESCE(gateway_id, ''),"  \
    " COALESCE(redirect_url, ''), COALESCE(failure_code, ''), COALESCE(transfer_id, 0), created_at,"           \
    " COALESCE(settled_at, 0), purpose, COALESCE(purpose_status, ''), COALESCE(purpose_ref, 0),"           \
    " COALESCE(purpose_error, '') FROM payments"

static void text_col(db_stmt *s, int col, char *out, size_t size)
{
    snprintf(out, size, "%s", db_col_text(s, col) ? db_col_text(s, col) : "");
}

static int read_one(db_stmt *s, payment *out)
{
    if (!s)
        return -1;
    db_status rc = db_step(s);
    if (rc == DB_ROW) {
        char cur[4];
        *out = (payment){.id = db_col_int64(s, 0), .org_id = db_col_int64(s, 1), .user_id = db_col_int64(s, 2)};
        text_col(s, 3, out->method, sizeof out->method);
        text_col(s, 4, cur, sizeof cur);
        out->amount = money_make(db_col_int64(s, 5), currency_find(cur));
        text_col(s, 6, out->status, sizeof out->status);
        text_col(s, 7, out->idem_key, sizeof out->idem_key);
        text_col(s, 8, out->gateway_id, sizeof out->gateway_id);
        text_col(s, 9, out->redirect_url, sizeof out->redirect_url);
        text_col(s, 10, out->failure_code, sizeof out->failure_code);
        out->transfer_id = db_col_int64(s, 11);
        out->created_at = db_col_int64(s, 12);
        out->settled_at = db_col_int64(s, 13);
        text_col(s, 14, out->purpose, sizeof out->purpose);
        text_col(s, 15, out->purpose_status, sizeof out->purpose_status);
        out->purpose_ref = db_col_int64(s, 16);
        text_col(s, 17, out->purpose_error, sizeof out->purpose_error);
        assert(out->amount.cur);
    }
    db_done(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int payment_get(db *d, int64_t id, payment *out)
{
    db_stmt *s = db_prepare(d, PAYMENT_COLUMNS " WHERE id = $1");
    if (s)
        db_bind_int64(s, 1, id);
    return read_one(s, out);
}

int payment_by_gateway_id(db *d, const char *gateway_id, payment *out)
{
    db_stmt *s = db_prepare(d, PAYMENT_COLUMNS " WHERE gateway_id = $1");
    if (s)
        db_bind_text(s, 1, gateway_id);
    return read_one(s, out);
}

int payment_by_key(db *d, int64_t org_id, const char *key, payment *out)
{
    db_stmt *s = db_prepare(d, PAYMENT_COLUMNS " WHERE org_id = $1 AND idem_key = $2");
    if (s) {
        db_bind_int64(s, 1, org_id);
        db_bind_text(s, 2, key);
    }
    return read_one(s, out);
}

bool payment_open(db *d, const payment *in, payment *out, bool *created)
{
    assert(db_in_tx(d) && in->org_id > 0 && in->amount.minor > 0 && in->idem_key[0]);
    db_stmt *s = db_prepare(d,
        "INSERT INTO payments (org_id, user_id, method, currency, amount_minor, status, idem_key, created_at)"
        " VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) ON CONFLICT (org_id, idem_key) DO NOTHING RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, in->org_id);
    db_bind_int64(s, 2, in->user_id);
    db_bind_text(s, 3, in->method);
    db_bind_text(s, 4, in->amount.cur->code);
    db_bind_int64(s, 5, in->amount.minor);
    db_bind_text(s, 6, in->idem_key);
    db_bind_int64(s, 7, (int64_t)time(NULL));
    db_status rc = db_step(s);
    *created = rc == DB_ROW;
    db_done(s);
    if (rc != DB_ROW && rc != DB_DONE)
        return false;
    return payment_by_key(d, in->org_id, in->idem_key, out) == 1;
}

bool payment_set_gateway(db *d, int64_t id, const gateway_payment *gp)
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(d, "UPDATE payments SET gateway_id = $1, redirect_url = $2"
                               " WHERE id = $3 AND gateway_id IS NULL");
    if (!s)
        return db_rollback(d), false;
    db_bind_text(s, 1, gp->id);
    db_bind_text(s, 2, gp->redirect_url[0] ? gp->redirect_url : NULL);
    db_bind_int64(s, 3, id);
    if (db_exec1(s) != DB_DONE || db_commit(d) != DB_OK)
        return db_rollback(d), false;
    return true;
}

static bool record_event(db *d, const char *event_id, const char *type, int64_t payment_id)
{
    db_stmt *s = db_prepare(d, "INSERT INTO payment_events (event_id, type, payment_id, received_at)"
                               " VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO NOTHING");
    if (!s)
        return false;
    db_bind_text(s, 1, event_id);
    db_bind_text(s, 2, type);
    if (payment_id > 0)
        db_bind_int64(s, 3, payment_id);
    else
        db_bind_null(s, 3);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

/* A final state other than succeeded, with the gateway's reason. */
static bool close_payment(db *d, const payment *p, const char *status, const char *failure_code)
{
    db_stmt *s = db_prepare(d, "UPDATE payments SET status = $1, failure_code = $2, settled_at = $3"
                               " WHERE id = $4 AND status = 'pending'");
    if (!s)
        return false;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, failure_code[0] ? failure_code : NULL);
    db_bind_int64(s, 3, (int64_t)time(NULL));
    db_bind_int64(s, 4, p->id);
    return db_exec1(s) == DB_DONE;
}

/* The transfer gateway:<name> -> wallet, the row, the audit entry, the receipt. */
static bool credit(db *d, const app *ap, const gateway *g, const payment *p)
{
    int64_t from, wallet, transfer;
    char account[64], ref[40], key[40];
    snprintf(account, sizeof account, "gateway:%s", g->name);
    snprintf(ref, sizeof ref, "payment:%" PRId64, p->id);
    snprintf(key, sizeof key, "payment:%" PRId64, p->id);
    if (ledger_system_account(d, account, p->amount.cur->code, &from) != LEDGER_OK ||
        ledger_wallet(d, p->org_id, p->amount.cur->code, true, &wallet) != LEDGER_OK)
        return false;
    ledger_transfer t = {from, wallet, p->amount.minor, p->amount.cur->code, "topup", ref, key, 0};
    ledger_result lr = ledger_post(d, &t, &transfer);
    if (lr == LEDGER_REPLAYED)
        return true; /* credited before: nothing else to do */
    if (lr != LEDGER_OK)
        return false;
    db_stmt *s = db_prepare(d, "UPDATE payments SET status = 'succeeded', transfer_id = $1, settled_at = $2"
                               " WHERE id = $3 AND status = 'pending'");
    if (!s)
        return false;
    db_bind_int64(s, 1, transfer);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, p->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    json_t *detail = json_pack("{s:{s:s, s:I}, s:s, s:I, s:I}", "amount", "currency", p->amount.cur->code, "minor",
                               (json_int_t)p->amount.minor, "method", p->method, "payment_id", (json_int_t)p->id,
                               "transfer_id", (json_int_t)transfer);
    return org_audit_record_json(d, p->org_id, p->user_id, "payment.received", detail, NULL) &&
           invoices_receipt(d, ap, p->org_id, p->amount.cur->code, p->amount.minor, p->method, key, p->id);
}

/* The outcome of the purpose, recorded on the row. */
static bool set_purpose_status(db *d, int64_t id, const char *status, int64_t ref, const char *why)
{
    db_stmt *s = db_prepare(d, "UPDATE payments SET purpose_status = $1, purpose_ref = $2, purpose_error = $3"
                               " WHERE id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, status);
    if (ref)
        db_bind_int64(s, 2, ref);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, why);
    db_bind_int64(s, 4, id);
    return db_exec1(s) == DB_DONE;
}

typedef enum { APPLY_OK, APPLY_ERROR, APPLY_REFUSED } apply_result;

/* After the credit: a top-up tells the customer; an order or renewals are
 * paid from that balance (settle), or, on the second run after a refusal
 * (why[0] set), recorded refused and the customer told. */
static apply_result spend(db *d, const app *ap, const payment *p, char why[GATEWAY_CODE_MAX + 1])
{
    if (!strcmp(p->purpose, "topup"))
        return payment_notify(d, ap, p) ? APPLY_OK : APPLY_ERROR;
    if (why[0]) {
        payment refused = *p;
        snprintf(refused.purpose_error, sizeof refused.purpose_error, "%s", why);
        return set_purpose_status(d, p->id, "refused", 0, why) && payment_notify_refused(d, ap, &refused)
                   ? APPLY_OK : APPLY_ERROR;
    }
    arena *a = arena_new();
    int64_t ref = 0;
    const char *reason = NULL;
    apply_result res = APPLY_ERROR;
    switch (payment_purpose_settle(d, ap, a, p, &ref, &reason)) {
    case PURPOSE_DONE:
        res = set_purpose_status(d, p->id, "done", ref, NULL) ? APPLY_OK : APPLY_ERROR;
        break;
    case PURPOSE_REFUSED:
        snprintf(why, GATEWAY_CODE_MAX + 1, "%s", reason && *reason ? reason : "refused");
        res = APPLY_REFUSED;
        break;
    case PURPOSE_ERROR:
        break;
    }
    arena_free(a);
    return res;
}

/* The card the gateway saved with p, if any (an off-session charge names its
 * token without a card: nothing new). */
static bool record_card(db *d, const payment *p, const gateway_payment *gp)
{
    if (!gp->card.token[0] || !gp->card.brand[0])
        return true;
    return cards_record(d, p->org_id, p->user_id, &gp->card, (int64_t)time(NULL));
}

/* Whether the gateway's object is the payment saldo recorded, to the cent. */
static bool same_payment(const payment *p, const gateway_payment *gp)
{
    char customer[32];
    snprintf(customer, sizeof customer, "org_%" PRId64, p->org_id);
    return !strcmp(gp->id, p->gateway_id) && !strcmp(gp->customer, customer) &&
           !strcmp(gp->currency, p->amount.cur->code) && gp->amount_minor == p->amount.minor;
}

/* Locks the row while it is pending: 1 when it is (and now ours until the
 * commit), 0 when it was decided before, -1 on a store error. A concurrent
 * sync of the same payment waits here and then finds it decided (PostgreSQL
 * re-checks the WHERE after the lock; SQLite has one writer at a time). */
static int claim(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "UPDATE payments SET status = status WHERE id = $1 AND status = 'pending'");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    return db_changes(d) == 1;
}

/* Applies the gateway's state to the row as it is now (inside the transaction). */
static apply_result apply(db *d, const app *ap, const gateway *g, int64_t id, const gateway_payment *gp,
                          char why[GATEWAY_CODE_MAX + 1])
{
    payment p;
    int claimed = claim(d, id);
    if (claimed <= 0)
        return claimed == 0 ? APPLY_OK : APPLY_ERROR; /* decided before: a late or repeated event */
    if (payment_get(d, id, &p) != 1)
        return APPLY_ERROR;
    if (!same_payment(&p, gp)) {
        log_warn("payment_mismatch", "payment=%" PRId64 " gateway_id=%s", p.id, gp->id);
        return APPLY_OK; /* never credit what does not match */
    }
    switch (gp->status) {
    case GW_SUCCEEDED:
        return record_card(d, &p, gp) && credit(d, ap, g, &p) ? spend(d, ap, &p, why) : APPLY_ERROR;
    case GW_FAILED:
        return close_payment(d, &p, "failed", gp->failure_code) ? APPLY_OK : APPLY_ERROR;
    case GW_CANCELED:
        return close_payment(d, &p, "canceled", gp->failure_code) ? APPLY_OK : APPLY_ERROR;
    default:
        return APPLY_OK;
    }
}

/* One transaction: the event, the gateway's state, the purpose. */
static apply_result run(db *d, const app *ap, const gateway *g, const payment *p, const gateway_payment *gp,
                        bool ask, const char *event_id, const char *event_type, char why[GATEWAY_CODE_MAX + 1])
{
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return APPLY_ERROR;
    apply_result res = !event_id || record_event(d, event_id, event_type, p->id) ? APPLY_OK : APPLY_ERROR;
    if (res == APPLY_OK && ask)
        res = apply(d, ap, g, p->id, gp, why);
    if (res != APPLY_OK || db_commit(d) != DB_OK) {
        db_rollback(d);
        return res == APPLY_REFUSED ? res : APPLY_ERROR;
    }
    return APPLY_OK;
}

payment_sync_result payment_sync(db *d, const app *ap, payment *p, const char *event_id, const char *event_type)
{
    const gateway *g = gateway_get(ap->cfg);
    gateway_payment gp;
    bool ask = g && p->gateway_id[0] && !strcmp(p->status, "pending");
    if (ask && g->get_payment(ap->cfg, p->gateway_id, &gp) != GATEWAY_OK)
        return SYNC_UNAVAILABLE;
    char why[GATEWAY_CODE_MAX + 1] = "";
    apply_result res = run(d, ap, g, p, &gp, ask, event_id, event_type, why);
    if (res == APPLY_REFUSED) /* the purpose's writes are undone: credit alone, and say why */
        res = run(d, ap, g, p, &gp, ask, event_id, event_type, why);
    if (res != APPLY_OK)
        return SYNC_STORE_ERROR;
    return payment_get(d, p->id, p) == 1 ? SYNC_OK : SYNC_STORE_ERROR;
}

json_t *payment_purpose_data(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT purpose_data FROM payments WHERE id = $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, id);
    json_t *j = db_step(s) == DB_ROW && db_col_text(s, 0) ? json_loads(db_col_text(s, 0), 0, NULL) : NULL;
    db_done(s);
    return j;
}

int payment_event_seen(db *d, const char *event_id)
{
    db_stmt *s = db_prepare(d, "SELECT 1 FROM payment_events WHERE event_id = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, event_id);
    db_status rc = db_step(s);
    db_done(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

bool payment_settle_bank(db *d, int64_t org_id, const char *currency_code, int64_t amount_minor,
                         int64_t transfer_id, int64_t now, bool *settled)
{
    assert(db_in_tx(d) && transfer_id > 0);
    db_stmt *s = db_prepare(d,
        "UPDATE payments SET status = 'succeeded', transfer_id = $1, settled_at = $2"
        " WHERE status = 'pending' AND id = (SELECT p.id FROM payments p WHERE p.org_id = $3"
        " AND p.method = 'bank_transfer' AND p.status = 'pending' AND p.currency = $4 AND p.amount_minor = $5"
        " ORDER BY p.id LIMIT 1)");
    if (!s)
        return false;
    db_bind_int64(s, 1, transfer_id);
    db_bind_int64(s, 2, now);
    db_bind_int64(s, 3, org_id);
    db_bind_text(s, 4, currency_code);
    db_bind_int64(s, 5, amount_minor);
    if (db_exec1(s) != DB_DONE)
        return false;
    *settled = db_changes(d) > 0;
    return true;
}
