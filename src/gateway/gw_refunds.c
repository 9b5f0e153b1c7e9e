/* gw_refunds.c - refunds of succeeded payments, whole or partial, never more
 * than what is left of the payment; and the event list saldo can page through. */
#include "gateway/gw.h"

#include <assert.h>
#include <string.h>

#include "core/number_text.h"
#include "http/json_in.h"

static json_t *refund_json(const char *id, const char *payment_id, const char *currency_code, int64_t minor,
                           const char *status, int64_t created)
{
    return json_pack("{s:s, s:s, s:s, s:{s:s, s:I}, s:s, s:I}", "id", id, "object", "refund", "payment_id",
                     payment_id, "amount", "currency", currency_code, "minor", (json_int_t)minor, "status", status,
                     "created", (json_int_t)created);
}

static bool insert_refund(db *d, const char *id, const gw_payment *p, int64_t minor, int64_t now)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_payments SET refunded_minor = refunded_minor + $1, updated = $2"
                               " WHERE id = $3 AND refunded_minor + $1 <= amount_minor");
    if (!s)
        return false;
    db_bind_int64(s, 1, minor);
    db_bind_int64(s, 2, now);
    db_bind_text(s, 3, p->id);
    if (db_exec1(s) != DB_DONE || db_changes(d) != 1)
        return false;
    s = db_prepare(d, "INSERT INTO gw_refunds (id, payment_id, currency, amount_minor, status, created)"
                      " VALUES ($1, $2, $3, $4, 'succeeded', $5)");
    if (!s)
        return false;
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, p->id);
    db_bind_text(s, 3, p->currency);
    db_bind_int64(s, 4, minor);
    db_bind_int64(s, 5, now);
    return db_exec1(s) == DB_DONE;
}

/* 422 (rolled back) when the payment cannot be refunded by amount. */
static bool refundable(http_request *r, const gw_payment *p, const money *amount, bool given)
{
    const char *why = NULL, *code = NULL;
    if (strcmp(p->status, "succeeded"))
        code = "payment_not_refundable", why = "only a succeeded payment can be refunded";
    else if (given && strcmp(amount->cur->code, p->currency))
        code = "currency_mismatch", why = "the refund must be in the payment's currency";
    else if (given && amount->minor <= 0)
        code = "invalid_amount", why = "the amount must be more than zero";
    else if (given && amount->minor > p->amount_minor - p->refunded_minor)
        code = "amount_too_large", why = "the amount is more than what is left of the payment to refund";
    else if (p->refunded_minor == p->amount_minor)
        code = "amount_too_large", why = "the payment is already refunded in full";
    if (!code)
        return true;
    db_rollback(r->db);
    http_error(r, 422, code, why, strcmp(code, "payment_not_refundable") ? "amount" : "payment_id");
    return false;
}

static void refund_create(http_request *r)
{
    json_t *b;
    const char *payment_id;
    money amount = {0};
    if (!jin_body(r, &b) || !jin_string(r, b, "payment_id", JIN_REQUIRED, 1, GW_ID_CHARS, &payment_id))
        return;
    bool given = json_object_get(b, "amount") != NULL;
    if (given && !jin_money(r, b, "amount", &amount))
        return;
    gw_idem k;
    if (!gw_idem_begin(r, "refunds", &k))
        return;
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, payment_id, &p)) {
        db_rollback(r->db);
        return http_error(r, 404, "not_found", "no such payment", "payment_id");
    }
    if (!refundable(r, &p, &amount, given))
        return;
    int64_t minor = given ? amount.minor : p.amount_minor - p.refunded_minor;
    assert(minor > 0 && minor <= p.amount_minor - p.refunded_minor);
    char id[GW_ID_CHARS + 1];
    gw_id_new("re", id);
    int64_t now = gw_now_s();
    if (!insert_refund(r->db, id, &p, minor, now) ||
        !gw_event_emit(r->db, "refund.succeeded", refund_json(id, p.id, p.currency, minor, "succeeded", now)))
        return gw_store_failed(r);
    gw_idem_finish(r, &k, 201, refund_json(id, p.id, p.currency, minor, "succeeded", now));
}

static void refund_show(http_request *r)
{
    db_stmt *s = db_prepare(r->db, "SELECT id, payment_id, currency, amount_minor, status, created FROM gw_refunds"
                                   " WHERE id = $1");
    if (!s)
        return gw_store_failed(r);
    db_bind_text(s, 1, http_param(r, "id"));
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return http_error(r, 404, "not_found", "no such refund", NULL);
    }
    json_t *j = refund_json(db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2), db_col_int64(s, 3),
                            db_col_text(s, 4), db_col_int64(s, 5));
    db_done(s);
    http_json(r, 200, j);
}

/* The seq of event id, 0 for none ("" or NULL lists from the start), -1 unknown. */
static int64_t event_seq(db *d, const char *id)
{
    if (!id || !*id)
        return 0;
    db_stmt *s = db_prepare(d, "SELECT seq FROM gw_events WHERE id = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, id);
    int64_t seq = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return seq;
}

json_t *gw_event_json_cols(db_stmt *s, int first)
{
    json_t *data = json_loads(db_col_text(s, first + 3), 0, NULL);
    assert(data);
    return json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", db_col_text(s, first), "object", "event", "type",
                     db_col_text(s, first + 1), "created", (json_int_t)db_col_int64(s, first + 2), "data", data);
}

static void events_list(http_request *r)
{
    int64_t after = event_seq(r->db, http_query(r, "after"));
    if (after < 0)
        return http_error(r, 422, "invalid_after", "after must be the id of an event", "after");
    const char *lim = http_query(r, "limit");
    int64_t limit = GW_EVENTS_PAGE_MAX;
    if (lim && !int_text_parse(lim, 1, GW_EVENTS_PAGE_MAX, &limit))
        return http_error(r, 422, "invalid_limit", "limit must be 1 to 100", "limit");
    db_stmt *s = db_prepare(r->db, "SELECT id, type, created, data FROM gw_events WHERE seq > $1 ORDER BY seq LIMIT $2");
    if (!s)
        return gw_store_failed(r);
    db_bind_int64(s, 1, after);
    db_bind_int64(s, 2, limit + 1);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW && (int64_t)json_array_size(list) <= limit)
        json_array_append_new(list, gw_event_json_cols(s, 0));
    db_done(s);
    bool more = (int64_t)json_array_size(list) > limit;
    if (more)
        json_array_remove(list, json_array_size(list) - 1);
    http_json(r, 200, json_pack("{s:o, s:b}", "data", list, "has_more", more));
}

void gw_refund_routes(router *rt)
{
    router_add(rt, "POST", "/v1/refunds", refund_create, ROUTE_PUBLIC);
    router_add(rt, "GET", "/v1/refunds/{id}", refund_show, ROUTE_PUBLIC);
    router_add(rt, "GET", "/v1/events", events_list, ROUTE_PUBLIC);
}
