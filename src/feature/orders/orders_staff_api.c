/* orders_staff_api.c - the staff API of buying: discount codes and free
 * credits. Every change writes the staff audit log in its transaction.
 *   GET/POST /api/v1/staff/discount-codes, PATCH .../discount-codes/{code_id}
 *   POST /api/v1/staff/orgs/{org_id}/credits, DELETE /api/v1/staff/credits/{credit_id} */
#include "feature/orders/orders_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/period.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"

static bool invalid(http_request *r, const char *field, const char *message)
{
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
    return false;
}

/* "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ" into Unix seconds. */
static bool parse_time(const char *text, int64_t *out)
{
    char date[11];
    unsigned h, m, s;
    char tail;
    size_t len = strlen(text);
    if (len != 10 && len != 20)
        return false;
    memcpy(date, text, 10);
    date[10] = '\0';
    if (!period_parse_date(date, out))
        return false;
    if (len == 10)
        return true;
    if (text[10] != 'T' || sscanf(text + 11, "%2u:%2u:%2u%c", &h, &m, &s, &tail) != 4 || tail != 'Z' ||
        h > 23 || m > 59 || s > 59)
        return false;
    *out += h * 3600 + m * 60 + s;
    return true;
}

/* An optional time field: absent leaves *out, null sets 0 when nullable. */
static bool jin_time(http_request *r, json_t *b, const char *field, bool nullable, int64_t *out)
{
    json_t *v = json_object_get(b, field);
    if (!v)
        return true;
    if (json_is_null(v) && nullable) {
        *out = 0;
        return true;
    }
    if (!json_is_string(v) || !parse_time(json_string_value(v), out))
        return invalid(r, field, "must be a date (2026-01-31) or a UTC time (2026-01-31T12:00:00Z)");
    return true;
}

/* An optional positive limit: absent leaves *out, null sets 0 (no limit). */
static bool jin_limit(http_request *r, json_t *b, const char *field, int64_t *out)
{
    json_t *v = json_object_get(b, field);
    if (!v)
        return true;
    if (json_is_null(v)) {
        *out = 0;
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000)
        return invalid(r, field, "must be a positive integer or null");
    *out = json_integer_value(v);
    return true;
}

static bool jin_ids(http_request *r, json_t *b, const char *field, int64_t *out, size_t *n)
{
    json_t *v = json_object_get(b, field), *e;
    size_t i;
    *n = 0;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_array(v) || json_array_size(v) > ORDER_CODE_RESTRICT_MAX)
        return invalid(r, field, "must be a list of at most 50 ids");
    json_array_foreach(v, i, e) {
        if (!json_is_integer(e) || json_integer_value(e) < 1)
            return invalid(r, field, "must be a list of positive integer ids");
        for (size_t j = 0; j < *n; j++)
            if (out[j] == json_integer_value(e))
                return invalid(r, field, "lists an id twice");
        out[(*n)++] = json_integer_value(e);
    }
    return true;
}

static bool read_amounts(http_request *r, json_t *b, discount_code *c)
{
    json_t *v = json_object_get(b, "amounts"), *e;
    size_t i;
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > DISCOUNT_AMOUNTS_MAX)
        return invalid(r, "amounts", "a fixed code needs 1 to 16 amounts, one per currency");
    json_array_foreach(v, i, e) {
        json_t *wrap = json_pack("{s:O}", "amounts", e);
        bool ok = jin_money(r, wrap, "amounts", &c->amounts[i]);
        json_decref(wrap);
        if (!ok)
            return false;
        if (c->amounts[i].minor <= 0 || c->amounts[i].minor > INT64_C(1000000000000000))
            return invalid(r, "amounts", "each amount must be more than zero");
        for (size_t j = 0; j < i; j++)
            if (c->amounts[j].cur == c->amounts[i].cur)
                return invalid(r, "amounts", "one amount per currency");
    }
    c->amount_count = json_array_size(v);
    return true;
}

/* The limits PATCH may change too, over c's current values. */
static bool read_limits(http_request *r, json_t *b, discount_code *c)
{
    if (!jin_time(r, b, "valid_from", false, &c->valid_from) || !jin_time(r, b, "valid_until", true, &c->valid_until) ||
        !jin_limit(r, b, "max_uses", &c->max_uses) || !jin_limit(r, b, "max_uses_per_org", &c->max_uses_per_org) ||
        !jin_bool(r, b, "first_order_only", JIN_OPTIONAL, &c->first_order_only))
        return false;
    if (c->valid_until && c->valid_until <= c->valid_from)
        return invalid(r, "valid_until", "must be after valid_from");
    return true;
}

static bool read_code(http_request *r, json_t *b, discount_code *c)
{
    static const char *const kinds[] = {"percent", "fixed", NULL};
    const char *text, *kind;
    int64_t bp = 0;
    *c = (discount_code){.valid_from = (int64_t)time(NULL)};
    if (!jin_string(r, b, "code", JIN_REQUIRED, 1, ORDER_CODE_TEXT_MAX, &text) ||
        !jin_enum(r, b, "kind", JIN_REQUIRED, kinds, &kind))
        return false;
    if (!discount_normalize(text, c->code))
        return invalid(r, "code", "must be 3 to 40 letters, digits, - or _");
    c->percent = !strcmp(kind, "percent");
    json_t *v = json_object_get(b, "percent_bp");
    if (c->percent) {
        if (!json_is_integer(v) || (bp = json_integer_value(v)) < 1 || bp > 10000)
            return invalid(r, "percent_bp", "must be an integer from 1 to 10000 (basis points: 1000 = 10%)");
        c->percent_bp = bp;
    } else if (!read_amounts(r, b, c)) {
        return false;
    }
    return read_limits(r, b, c) && jin_ids(r, b, "product_ids", c->products, &c->product_count) &&
           jin_ids(r, b, "category_ids", c->categories, &c->category_count);
}

static void rollback_error(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

static void answer_code(http_request *r, int status, int64_t id)
{
    discount_code c;
    if (discount_get(r->db, id, &c) != 1)
        return http_error(r, 500, "store_error", "cannot read the code", NULL);
    http_json(r, status, discount_json(r, &c));
}

static void post_code(http_request *r)
{
    json_t *b;
    discount_code *c = arena_alloc(r->a, sizeof *c);
    int64_t id;
    if (!jin_body(r, &b) || !read_code(r, b, c))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return rollback_error(r, 500, "store_error", "cannot start the transaction", NULL);
    switch (discount_create(r->db, c, r->staff_id, r->client_ip, &id)) {
    case DISCOUNT_CREATE_OK:
        break;
    case DISCOUNT_CREATE_TAKEN:
        return rollback_error(r, 409, "code_taken", "code: another discount code has this text", "code");
    case DISCOUNT_CREATE_UNKNOWN_TARGET:
        return rollback_error(r, 422, "invalid_field", "product_ids: a product or category does not exist",
                              c->product_count ? "product_ids" : "category_ids");
    default:
        return rollback_error(r, 500, "store_error", "the code could not be saved", NULL);
    }
    if (db_commit(r->db) != DB_OK)
        return rollback_error(r, 500, "store_error", "the code could not be saved", NULL);
    answer_code(r, 201, id);
}

static void list_codes(http_request *r)
{
    discount_code *list = arena_alloc(r->a, sizeof *list * ORDER_CODES_MAX);
    int n = discount_list(r->db, list, ORDER_CODES_MAX);
    if (n < 0)
        return http_error(r, 500, "store_error", "cannot read the codes", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, discount_json(r, &list[i]));
    http_json(r, 200, json_pack("{s:o}", "codes", arr));
}

static void patch_code(http_request *r)
{
    int64_t id;
    json_t *b;
    discount_code *c = arena_alloc(r->a, sizeof *c);
    if (!http_param_id(r, "code_id", &id))
        return http_error(r, 404, "not_found", "no such discount code", NULL);
    if (!jin_body(r, &b))
        return;
    int found = discount_get(r->db, id, c);
    if (found <= 0)
        return found ? http_error(r, 500, "store_error", "cannot read the code", NULL)
                     : http_error(r, 404, "not_found", "no such discount code", NULL);
    if (!read_limits(r, b, c))
        return;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !discount_update(r->db, c, r->staff_id, r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return rollback_error(r, 500, "store_error", "the code could not be saved", NULL);
    answer_code(r, 200, id);
}

static void post_credit(http_request *r)
{
    json_t *b;
    free_credit c = {0};
    const char *reason;
    int64_t id, period = 0;
    catalog_product p;
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &c.org_id) || !org_name(r->db, c.org_id, name, sizeof name))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    if (!jin_body(r, &b) || !jin_string(r, b, "reason", JIN_REQUIRED, 3, ORDER_REASON_MAX, &reason))
        return;
    json_t *pid = json_object_get(b, "product_id"), *per = json_object_get(b, "period");
    if (!json_is_integer(pid) || json_integer_value(pid) < 1 || catalog_product_get(r->db, json_integer_value(pid), &p) != 1)
        return (void)invalid(r, "product_id", "there is no such product");
    if (per && !json_is_null(per) && (!json_is_integer(per) || !catalog_period_allowed(&p, (int)(period = json_integer_value(per)))))
        return (void)invalid(r, "period", "the product is not sold for that period");
    if (p.retired_at)
        return (void)invalid(r, "product_id", "this product can no longer be ordered");
    c.product_id = p.id;
    c.period_months = (int)period;
    snprintf(c.reason, sizeof c.reason, "%s", reason);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !credit_grant(r->db, &c, r->staff_id, r->client_ip, &id) ||
        db_commit(r->db) != DB_OK)
        return rollback_error(r, 500, "store_error", "the credit could not be saved", NULL);
    if (credit_get(r->db, c.org_id, id, &c) != 1)
        return http_error(r, 500, "store_error", "cannot read the credit", NULL);
    http_json(r, 201, credit_json(&c));
}

static void delete_credit(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "credit_id", &id))
        return http_error(r, 404, "not_found", "no such credit", NULL);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return rollback_error(r, 500, "store_error", "cannot start the transaction", NULL);
    int done = credit_revoke(r->db, id, r->staff_id, r->client_ip);
    if (done < 0)
        return rollback_error(r, 500, "store_error", "the credit could not be revoked", NULL);
    if (!done)
        return rollback_error(r, 404, "not_found", "no such unused credit", NULL);
    if (db_commit(r->db) != DB_OK)
        return rollback_error(r, 500, "store_error", "the credit could not be revoked", NULL);
    http_text(r, 204, NULL, "", 0);
}

void orders_staff_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/discount-codes", list_codes, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/discount-codes", post_code, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/discount-codes/{code_id}", patch_code, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/orgs/{org_id}/credits", post_credit, ROUTE_STAFF);
    router_add(rt, "DELETE", "/api/v1/staff/credits/{credit_id}", delete_credit, ROUTE_STAFF);
}
