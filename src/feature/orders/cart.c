/* cart.c - one cart per organization: the products chosen with their
 * period, the currency, the discount code typed and the free credit chosen
 * per product. The cart holds choices, never prices: it is priced afresh by
 * order_prepare each time it is shown, and checkout empties it. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

bool cart_get(db *d, int64_t org_id, cart *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *s = db_prepare(d, "SELECT currency, discount_code FROM carts WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW) {
        snprintf(out->currency, sizeof out->currency, "%s", db_col_text(s, 0));
        snprintf(out->discount_code, sizeof out->discount_code, "%s", db_col_text(s, 1));
    }
    db_done(s);
    if (st != DB_ROW)
        return st == DB_DONE;
    s = db_prepare(d, "SELECT id, product_id, period_months, COALESCE(credit_id, 0), auto_renew FROM cart_items"
                      " WHERE org_id = $1 ORDER BY id");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    while (out->n < ORDER_ITEMS_MAX && (st = db_step(s)) == DB_ROW)
        out->items[out->n++] = (cart_item){.id = db_col_int64(s, 0), .product_id = db_col_int64(s, 1),
                                           .period_months = (int)db_col_int64(s, 2),
                                           .credit_id = db_col_int64(s, 3), .auto_renew = db_col_int64(s, 4) != 0};
    db_done(s);
    return true;
}

/* Creates the cart or switches its currency (inside the transaction). */
static bool cart_upsert(db *d, int64_t org_id, const currency *cur)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO carts (org_id, currency, updated_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (org_id) DO UPDATE SET currency = excluded.currency, updated_at = excluded.updated_at");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, cur->code);
    db_bind_int64(s, 3, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

static bool cart_insert_item(db *d, int64_t org_id, const cart_item *item, int64_t *out_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO cart_items (org_id, product_id, period_months, credit_id, auto_renew, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, item->product_id);
    db_bind_int64(s, 3, item->period_months);
    if (item->credit_id)
        db_bind_int64(s, 4, item->credit_id);
    else
        db_bind_null(s, 4);
    db_bind_int64(s, 5, item->auto_renew);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    *out_id = ok ? db_col_int64(s, 0) : 0;
    db_done(s);
    return ok;
}

bool cart_add(http_request *r, int64_t org_id, const cart_item *item, const currency *cur, int64_t *out_id,
              order_fail *fail)
{
    assert(org_id > 0 && cur && item->product_id > 0);
    cart c;
    if (!cart_get(r->db, org_id, &c))
        return order_refuse(fail, 500, "store_error", N_("The cart could not be saved."), NULL);
    if (c.n >= ORDER_ITEMS_MAX)
        return order_refuse(fail, 422, "cart_full", N_("The cart is full: order what is in it first."), "product_id");
    /* The product must be orderable now, by this user, in this currency. */
    order_in in = {.org_id = org_id, .user_id = r->user_id, .cur = cur, .n = 1};
    in.items[0] = (order_item_in){item->product_id, item->period_months, item->credit_id, item->auto_renew};
    order_priced *pr = arena_alloc(r->a, sizeof *pr);
    if (!order_prepare(r, &in, pr, fail)) {
        if (fail->field && !strncmp(fail->field, "items[0].", 9))
            fail->field += 9; /* "items[0].period" is "period" here */
        return false;
    }
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return order_refuse(fail, 500, "store_error", N_("The cart could not be saved."), NULL);
    if (!cart_upsert(r->db, org_id, cur) || !cart_insert_item(r->db, org_id, item, out_id) ||
        db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return order_refuse(fail, 500, "store_error", N_("The cart could not be saved."), NULL);
    }
    return true;
}

int cart_remove(db *d, int64_t org_id, int64_t item_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM cart_items WHERE id = $1 AND org_id = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, item_id);
    db_bind_int64(s, 2, org_id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    return db_changes(d) == 1 ? 1 : 0;
}

bool cart_set_code(db *d, int64_t org_id, const char *code)
{
    db_stmt *s = db_prepare(d, "UPDATE carts SET discount_code = $1, updated_at = $2 WHERE org_id = $3");
    if (!s)
        return false;
    db_bind_text(s, 1, code ? code : "");
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, org_id);
    return db_exec1(s) == DB_DONE;
}

bool cart_set_currency(db *d, int64_t org_id, const currency *cur)
{
    db_stmt *s = db_prepare(d, "UPDATE carts SET currency = $1, updated_at = $2 WHERE org_id = $3");
    if (!s)
        return false;
    db_bind_text(s, 1, cur->code);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, org_id);
    return db_exec1(s) == DB_DONE;
}

bool cart_set_credit(db *d, int64_t org_id, int64_t item_id, int64_t credit_id)
{
    db_stmt *s = db_prepare(d, "UPDATE cart_items SET credit_id = $1 WHERE id = $2 AND org_id = $3");
    if (!s)
        return false;
    if (credit_id)
        db_bind_int64(s, 1, credit_id);
    else
        db_bind_null(s, 1);
    db_bind_int64(s, 2, item_id);
    db_bind_int64(s, 3, org_id);
    return db_exec1(s) == DB_DONE;
}

bool cart_clear(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "DELETE FROM cart_items WHERE org_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    if (db_exec1(s) != DB_DONE || !(s = db_prepare(d, "UPDATE carts SET discount_code = '' WHERE org_id = $1")))
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}

bool cart_order_in(const cart *c, int64_t org_id, int64_t user_id, order_in *out)
{
    const currency *cur = c->currency[0] ? currency_find(c->currency) : NULL;
    if (!c->n || !cur)
        return false;
    *out = (order_in){.org_id = org_id, .user_id = user_id, .cur = cur, .n = c->n,
                      .discount_code = c->discount_code, .pay_with = ORDER_PAY_BALANCE, .clear_cart = true};
    for (size_t i = 0; i < c->n; i++)
        out->items[i] = (order_item_in){c->items[i].product_id, c->items[i].period_months, c->items[i].credit_id,
                                        c->items[i].auto_renew ? -1 : 0};
    return true;
}
