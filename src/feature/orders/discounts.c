/* discounts.c - discount codes in the store: what checkout needs to judge a
 * code (order_code with its counters), redemptions, and the staff side
 * (create, change limits, list). The verdict itself is order_price.c's. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/staff/staff.h"
#include "http/json_in.h"

bool discount_normalize(const char *text, char out[ORDER_CODE_TEXT_MAX + 1])
{
    size_t len = text ? strlen(text) : 0;
    if (len < ORDER_CODE_TEXT_MIN || len > ORDER_CODE_TEXT_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (!isalnum(ch) && ch != '-' && ch != '_')
            return false;
        out[i] = (char)toupper(ch);
    }
    out[len] = '\0';
    return true;
}

/* Reads the ids of one restriction table into list (at most max). */
static bool load_ids(db *d, const char *sql, int64_t id, int64_t *list, size_t *n, size_t max)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    *n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && *n < max)
        list[(*n)++] = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW || st == DB_DONE;
}

static bool load_restrictions(db *d, int64_t id, int64_t *products, size_t *np, int64_t *categories, size_t *nc)
{
    return load_ids(d, "SELECT product_id FROM discount_code_products WHERE code_id = $1 ORDER BY product_id", id,
                    products, np, ORDER_CODE_RESTRICT_MAX) &&
           load_ids(d, "SELECT category_id FROM discount_code_categories WHERE code_id = $1 ORDER BY category_id",
                    id, categories, nc, ORDER_CODE_RESTRICT_MAX);
}

/* Redemptions of code id: all, and by org_id. */
static bool count_uses(db *d, int64_t id, int64_t org_id, int64_t *uses, int64_t *org_uses)
{
    db_stmt *s = db_prepare(d,
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN org_id = $1 THEN 1 ELSE 0 END), 0)"
        " FROM discount_redemptions WHERE code_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, id);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        *uses = db_col_int64(s, 0);
        *org_uses = db_col_int64(s, 1);
    }
    db_done(s);
    return ok;
}

int64_t orders_count_paid(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM orders WHERE org_id = $1 AND status = 'paid'");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    int64_t n = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_done(s);
    return n;
}

/* The fixed amount of code id in cur, if it has one. */
static bool load_amount(db *d, int64_t id, const currency *cur, order_code *c)
{
    db_stmt *s = db_prepare(d, "SELECT amount_minor FROM discount_code_amounts WHERE code_id = $1 AND currency = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, cur->code);
    db_status st = db_step(s);
    c->has_amount = st == DB_ROW;
    c->amount_minor = c->has_amount ? db_col_int64(s, 0) : 0;
    db_done(s);
    return st == DB_ROW || st == DB_DONE;
}

/* Takes the code's row lock (PostgreSQL; SQLite's write transaction already
 * holds the whole database). */
static bool lock_code(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "UPDATE discount_codes SET id = id WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    return db_exec1(s) == DB_DONE;
}

int discount_load(db *d, const char *text, int64_t org_id, const currency *cur, bool lock, order_code *c,
                  int64_t *id)
{
    char code[ORDER_CODE_TEXT_MAX + 1];
    if (!discount_normalize(text, code))
        return 0;
    db_stmt *s = db_prepare(d,
        "SELECT id, kind, percent_bp, valid_from, COALESCE(valid_until, 0), COALESCE(max_uses, 0),"
        " COALESCE(max_uses_per_org, 0), first_order_only FROM discount_codes WHERE code = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_status st = db_step(s);
    if (st != DB_ROW) {
        db_done(s);
        return st == DB_DONE ? 0 : -1;
    }
    *c = (order_code){
        .percent = !strcmp(db_col_text(s, 1), "percent"),
        .percent_bp = db_col_int64(s, 2),
        .valid_from = db_col_int64(s, 3),
        .valid_until = db_col_int64(s, 4),
        .max_uses = db_col_int64(s, 5),
        .max_uses_per_org = db_col_int64(s, 6),
        .first_order_only = db_col_int64(s, 7) != 0,
    };
    *id = db_col_int64(s, 0);
    db_done(s);
    bool ok = (!lock || lock_code(d, *id)) && (c->org_orders = orders_count_paid(d, org_id)) >= 0 &&
              load_amount(d, *id, cur, c) &&
              count_uses(d, *id, org_id, &c->uses, &c->org_uses) &&
              load_restrictions(d, *id, c->products, &c->product_count, c->categories, &c->category_count);
    return ok ? 1 : -1;
}

bool discount_redeem(db *d, int64_t code_id, int64_t org_id, int64_t order_id, money amount)
{
    assert(db_in_tx(d) && code_id > 0 && order_id > 0 && amount.minor >= 0);
    db_stmt *s = db_prepare(d,
        "INSERT INTO discount_redemptions (code_id, org_id, order_id, amount_minor, currency, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s)
        return false;
    db_bind_int64(s, 1, code_id);
    db_bind_int64(s, 2, org_id);
    db_bind_int64(s, 3, order_id);
    db_bind_int64(s, 4, amount.minor);
    db_bind_text(s, 5, amount.cur->code);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

/* ---- staff ---- */

static bool load_amounts(db *d, discount_code *c)
{
    db_stmt *s = db_prepare(d,
        "SELECT currency, amount_minor FROM discount_code_amounts WHERE code_id = $1 ORDER BY currency");
    if (!s)
        return false;
    db_bind_int64(s, 1, c->id);
    c->amount_count = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && c->amount_count < DISCOUNT_AMOUNTS_MAX) {
        const currency *cur = currency_find(db_col_text(s, 0));
        if (cur)
            c->amounts[c->amount_count++] = money_make(db_col_int64(s, 1), cur);
    }
    db_done(s);
    return st == DB_ROW || st == DB_DONE;
}

#define DISCOUNT_COLUMNS                                                                                   \
    "SELECT d.id, d.code, d.kind, d.percent_bp, d.valid_from, COALESCE(d.valid_until, 0),"                 \
    " COALESCE(d.max_uses, 0), COALESCE(d.max_uses_per_org, 0), d.first_order_only, d.created_by,"         \
    " d.created_at, (SELECT COUNT(*) FROM discount_redemptions r WHERE r.code_id = d.id)"                  \
    " FROM discount_codes d "

static void discount_from_row(db_stmt *s, discount_code *c)
{
    *c = (discount_code){
        .id = db_col_int64(s, 0),
        .percent = !strcmp(db_col_text(s, 2), "percent"),
        .percent_bp = db_col_int64(s, 3),
        .valid_from = db_col_int64(s, 4),
        .valid_until = db_col_int64(s, 5),
        .max_uses = db_col_int64(s, 6),
        .max_uses_per_org = db_col_int64(s, 7),
        .first_order_only = db_col_int64(s, 8) != 0,
        .created_by = db_col_int64(s, 9),
        .created_at = db_col_int64(s, 10),
        .uses = db_col_int64(s, 11),
    };
    snprintf(c->code, sizeof c->code, "%s", db_col_text(s, 1));
}

static bool discount_details(db *d, discount_code *c)
{
    return load_amounts(d, c) &&
           load_restrictions(d, c->id, c->products, &c->product_count, c->categories, &c->category_count);
}

int discount_get(db *d, int64_t id, discount_code *out)
{
    db_stmt *s = db_prepare(d, DISCOUNT_COLUMNS "WHERE d.id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        discount_from_row(s, out);
    db_done(s);
    if (st != DB_ROW)
        return st == DB_DONE ? 0 : -1;
    return discount_details(d, out) ? 1 : -1;
}

int discount_list(db *d, discount_code *out, size_t max)
{
    db_stmt *s = db_prepare(d, DISCOUNT_COLUMNS "ORDER BY d.id DESC LIMIT $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, (int64_t)max);
    size_t n = 0;
    db_status st;
    while (n < max && (st = db_step(s)) == DB_ROW)
        discount_from_row(s, &out[n++]);
    db_done(s);
    for (size_t i = 0; i < n; i++)
        if (!discount_details(d, &out[i]))
            return -1;
    return (int)n;
}

/* Inserts the restriction rows; DB_CONSTRAINT names an unknown id (the
 * caller rolls the whole transaction back). */
static db_status insert_ids(db *d, const char *sql, int64_t id, const int64_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        db_stmt *s = db_prepare(d, sql);
        if (!s)
            return DB_ERROR;
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, list[i]);
        db_status st = db_exec1(s);
        if (st != DB_DONE)
            return st;
    }
    return DB_DONE;
}

static bool insert_amounts(db *d, const discount_code *c, int64_t id)
{
    for (size_t i = 0; i < c->amount_count; i++) {
        db_stmt *s = db_prepare(d,
            "INSERT INTO discount_code_amounts (code_id, currency, amount_minor) VALUES ($1, $2, $3)");
        if (!s)
            return false;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, c->amounts[i].cur->code);
        db_bind_int64(s, 3, c->amounts[i].minor);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

static void bind_limit(db_stmt *s, int idx, int64_t v)
{
    if (v)
        db_bind_int64(s, idx, v);
    else
        db_bind_null(s, idx);
}

static bool audit_code(db *d, const char *action, int64_t id, int64_t staff_id, const char *ip)
{
    discount_code c;
    if (discount_get(d, id, &c) != 1)
        return false;
    json_t *j = json_pack("{s:s, s:s, s:I}", "code", c.code, "kind", c.percent ? "percent" : "fixed",
                          "percent_bp", (json_int_t)c.percent_bp);
    char *text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!text)
        abort(); /* out of memory */
    bool ok = staff_audit(d, staff_id, action, "discount_code", id, text, ip);
    free(text);
    return ok;
}

discount_create_result discount_create(db *d, const discount_code *c, int64_t staff_id, const char *ip,
                                       int64_t *out_id)
{
    assert(db_in_tx(d) && staff_id > 0 && (c->percent ? c->percent_bp > 0 : c->amount_count > 0));
    *out_id = 0;
    db_stmt *s = db_prepare(d,
        "INSERT INTO discount_codes (code, kind, percent_bp, valid_from, valid_until, max_uses, max_uses_per_org,"
        " first_order_only, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (code) DO NOTHING RETURNING id");
    if (!s)
        return DISCOUNT_CREATE_STORE_ERROR;
    db_bind_text(s, 1, c->code);
    db_bind_text(s, 2, c->percent ? "percent" : "fixed");
    db_bind_int64(s, 3, c->percent ? c->percent_bp : 0);
    db_bind_int64(s, 4, c->valid_from);
    bind_limit(s, 5, c->valid_until);
    bind_limit(s, 6, c->max_uses);
    bind_limit(s, 7, c->max_uses_per_org);
    db_bind_int64(s, 8, c->first_order_only);
    db_bind_int64(s, 9, staff_id);
    db_bind_int64(s, 10, (int64_t)time(NULL));
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    if (st == DB_DONE)
        return DISCOUNT_CREATE_TAKEN;
    if (st != DB_ROW || !insert_amounts(d, c, id))
        return DISCOUNT_CREATE_STORE_ERROR;
    st = insert_ids(d, "INSERT INTO discount_code_products (code_id, product_id) VALUES ($1, $2)", id,
                    c->products, c->product_count);
    if (st == DB_DONE)
        st = insert_ids(d, "INSERT INTO discount_code_categories (code_id, category_id) VALUES ($1, $2)", id,
                        c->categories, c->category_count);
    if (st == DB_CONSTRAINT)
        return DISCOUNT_CREATE_UNKNOWN_TARGET;
    if (st != DB_DONE || !audit_code(d, "discount.create", id, staff_id, ip))
        return DISCOUNT_CREATE_STORE_ERROR;
    *out_id = id;
    return DISCOUNT_CREATE_OK;
}

bool discount_update(db *d, const discount_code *c, int64_t staff_id, const char *ip)
{
    assert(db_in_tx(d) && c->id > 0 && staff_id > 0);
    db_stmt *s = db_prepare(d,
        "UPDATE discount_codes SET valid_from = $1, valid_until = $2, max_uses = $3, max_uses_per_org = $4,"
        " first_order_only = $5 WHERE id = $6");
    if (!s)
        return false;
    db_bind_int64(s, 1, c->valid_from);
    bind_limit(s, 2, c->valid_until);
    bind_limit(s, 3, c->max_uses);
    bind_limit(s, 4, c->max_uses_per_org);
    db_bind_int64(s, 5, c->first_order_only);
    db_bind_int64(s, 6, c->id);
    return db_exec1(s) == DB_DONE && audit_code(d, "discount.update", c->id, staff_id, ip);
}

static json_t *id_array(const int64_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return a;
}

json_t *discount_json(http_request *r, const discount_code *c)
{
    json_t *amounts = json_array();
    for (size_t i = 0; i < c->amount_count; i++)
        json_array_append_new(amounts, jout_money(c->amounts[i], r->lang));
    return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o?, s:o?, s:b, s:o, s:o, s:I, s:o}",
        "id", (json_int_t)c->id, "code", c->code, "kind", c->percent ? "percent" : "fixed",
        "percent_bp", (json_int_t)c->percent_bp, "amounts", amounts,
        "valid_from", jout_time(c->valid_from),
        "valid_until", c->valid_until ? jout_time(c->valid_until) : json_null(),
        "max_uses", c->max_uses ? json_integer(c->max_uses) : json_null(),
        "max_uses_per_org", c->max_uses_per_org ? json_integer(c->max_uses_per_org) : json_null(),
        "first_order_only", c->first_order_only,
        "product_ids", id_array(c->products, c->product_count),
        "category_ids", id_array(c->categories, c->category_count),
        "uses", (json_int_t)c->uses, "created_at", jout_time(c->created_at));
}
