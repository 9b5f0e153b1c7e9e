/* web_staff_discounts.c - the back office's discount codes (list, create,
 * change validity and limits) and free credits (granted and revoked from the
 * organization's page, whose section is the partial staff/org_credits). The
 * services are the ones the staff API calls (feature/orders), which write the
 * audit log; forms show errors next to their fields and change nothing. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/number_text.h"
#include "core/zone.h"
#include "feature/orders/orders.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"
#include "http/json_in.h"

static const char *const kinds[] = {"percent", "fixed", NULL};

/* A positive integer field: 0 when empty, -1 when not a number. */
static int64_t form_count(const form *f, const char *name)
{
    const char *v = form_get(f, name);
    int64_t n;
    if (!v || !*v)
        return 0;
    return int_text_parse(v, 1, 1000000000, &n) ? n : -1;
}

/* The page's days are days in Italy, both included: a code valid from 1 to
 * 31 December works from midnight of the 1st to midnight after the 31st in
 * Rome. t is such a limit (an instant: the API may set any); the day shown for
 * it into out ("" for 0). */
static void limit_day(int64_t t, bool until, char out[11])
{
    out[0] = '\0';
    if (t > 0)
        (void)zone_provider_date(until ? t - 1 : t, out); /* out untouched when out of range */
}

/* A "YYYY-MM-DD" limit field: 0 when empty, -1 when not a date; the start of
 * the day in Rome, or of the day after for until; stored (the limit the code
 * has) when the field still shows its day, so saving the page again moves no
 * limit the API set to the second. */
static int64_t form_limit(const form *f, const char *name, int64_t stored, bool until)
{
    const char *v = form_get(f, name);
    char shown[11];
    int64_t start, end;
    if (!v || !*v)
        return 0;
    limit_day(stored, until, shown);
    if (!strcmp(v, shown))
        return stored;
    if (!zone_provider_day(v, &start, &end) || start <= 0)
        return -1;
    return until ? end : start;
}

/* The limits of the form over c; messages under their fields in errors. */
static void read_limits(http_request *r, const form *f, discount_code *c, json_t *errors)
{
    int64_t from = form_limit(f, "valid_from", c->valid_from, false);
    int64_t until = form_limit(f, "valid_until", c->valid_until, true);
    int64_t uses = form_count(f, "max_uses"), per_org = form_count(f, "max_uses_per_org");
    if (from < 0)
        json_object_set_new(errors, "valid_from", json_string(_("Enter a date such as 2026-01-31.")));
    if (until < 0)
        json_object_set_new(errors, "valid_until", json_string(_("Enter a date such as 2026-01-31.")));
    if (uses < 0)
        json_object_set_new(errors, "max_uses", json_string(_("Enter a whole number above zero, or nothing.")));
    if (per_org < 0)
        json_object_set_new(errors, "max_uses_per_org", json_string(_("Enter a whole number above zero, or nothing.")));
    if (from > 0)
        c->valid_from = from;
    c->valid_until = until > 0 ? until : 0;
    c->max_uses = uses > 0 ? uses : 0;
    c->max_uses_per_org = per_org > 0 ? per_org : 0;
    c->first_order_only = form_get(f, "first_order_only") != NULL;
    if (c->valid_until && c->valid_until <= c->valid_from)
        json_object_set_new(errors, "valid_until", json_string(_("The end must come after the start.")));
}

static void read_value(http_request *r, const form *f, discount_code *c, json_t *errors)
{
    const char *kind = web_choice(r, f, "kind", kinds, errors);
    c->percent = kind && !strcmp(kind, "percent");
    if (c->percent) {
        int bp = 0;
        percent_text_parse(form_get(f, "percent"), 10000, &bp); /* 0 when it is not a percentage: refused below */
        c->percent_bp = bp;
        if (c->percent_bp < 1)
            json_object_set_new(errors, "percent", json_string(_("Enter a percentage from 0.01 to 100.")));
        return;
    }
    const currency *cur = currency_find(form_get(f, "currency") ? form_get(f, "currency") : "");
    money m;
    if (!cur)
        json_object_set_new(errors, "currency", json_string(_("Choose a currency.")));
    else if (money_parse_locale(form_get(f, "amount") ? form_get(f, "amount") : "", cur, r->lang, &m) != MONEY_OK ||
             m.minor <= 0)
        json_object_set_new(errors, "amount", json_string(_("Enter an amount above zero.")));
    else
        c->amounts[c->amount_count++] = m;
}

static bool read_code(http_request *r, const form *f, discount_code *c, json_t *errors)
{
    *c = (discount_code){.valid_from = (int64_t)time(NULL)};
    if (!discount_normalize(form_get(f, "code"), c->code))
        json_object_set_new(errors, "code", json_string(_("Use 3 to 40 letters, digits, - or _.")));
    read_value(r, f, c, errors);
    read_limits(r, f, c, errors);
    if (!web_catalog_ticked(f, "product", c->products, ORDER_CODE_RESTRICT_MAX, &c->product_count) ||
        !web_catalog_ticked(f, "category", c->categories, ORDER_CODE_RESTRICT_MAX, &c->category_count))
        json_object_set_new(errors, "targets", json_string(_("Choose products or categories of the list.")));
    return json_object_size(errors) == 0;
}

static json_t *form_json(const form *f)
{
    static const char *const names[] = {"code", "kind", "percent", "amount", "currency", "valid_from", "valid_until",
                                        "max_uses", "max_uses_per_org"};
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        json_object_set_new(o, names[i], json_string(f && form_get(f, names[i]) ? form_get(f, names[i]) : ""));
    json_object_set_new(o, "fixed", json_boolean(f && form_get(f, "kind") && !strcmp(form_get(f, "kind"), "fixed")));
    json_object_set_new(o, "first_order_only", json_boolean(f && form_get(f, "first_order_only")));
    return o;
}

/* A code for the pages: its JSON with dates as people read them. */
static json_t *code_view(http_request *r, const discount_code *c)
{
    json_t *o = discount_json(r, c);
    char from[11], until[11];
    limit_day(c->valid_from, false, from);
    limit_day(c->valid_until, true, until);
    json_object_set_new(o, "from_date", json_string(from));
    json_object_set_new(o, "until_date", json_string(until));
    json_object_set_new(o, "value", json_string(c->percent ? arena_printf(r->a, "%" PRId64 ".%02" PRId64 " %%",
                                                                          c->percent_bp / 100, c->percent_bp % 100)
                                                           : ""));
    return o;
}

static void codes_page(http_request *r, int status, const form *f, json_t *errors)
{
    discount_code *list = arena_alloc(r->a, sizeof *list * ORDER_CODES_MAX);
    int n = discount_list(r->db, list, ORDER_CODES_MAX);
    json_t *catalog = n < 0 ? NULL : web_catalog_choices(r, f);
    if (!catalog)
        return (void)json_decref(errors), web_fail(r);
    json_t *codes = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(codes, code_view(r, &list[i]));
    web_staff_page(r, status, "staff/discounts", _("Discount codes"), "discounts",
                   json_pack("{s:o, s:b, s:o, s:o, s:o}", "codes", codes, "has_codes", n > 0, "form", form_json(f),
                             "catalog", catalog, "errors", errors ? errors : json_object()));
}

static void get_codes(http_request *r)
{
    codes_page(r, 200, NULL, NULL);
}

static void post_codes(http_request *r)
{
    form f;
    discount_code *c = arena_alloc(r->a, sizeof *c);
    int64_t id;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    if (!read_code(r, &f, c, errors))
        return codes_page(r, 422, &f, errors);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return (void)json_decref(errors), web_fail(r);
    discount_create_result res = discount_create(r->db, c, r->staff_id, r->client_ip, &id);
    if (res != DISCOUNT_CREATE_OK)
        db_rollback(r->db);
    if (res == DISCOUNT_CREATE_TAKEN || res == DISCOUNT_CREATE_UNKNOWN_TARGET) {
        json_object_set_new(errors, res == DISCOUNT_CREATE_TAKEN ? "code" : "targets",
                            json_string(res == DISCOUNT_CREATE_TAKEN ? _("Another discount code has this text.")
                                                                     : _("A product or category does not exist.")));
        return codes_page(r, 422, &f, errors);
    }
    json_decref(errors);
    if (res != DISCOUNT_CREATE_OK || db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "code_saved");
    http_redirect(r, "/staff/discount-codes");
}

static void code_page(http_request *r, int status, const discount_code *c, const form *f, json_t *errors)
{
    json_t *view = code_view(r, c);
    json_t *values = form_json(f);
    if (!f) {
        json_object_set_new(values, "valid_from", json_incref(json_object_get(view, "from_date")));
        json_object_set_new(values, "valid_until", json_incref(json_object_get(view, "until_date")));
        if (c->max_uses)
            json_object_set_new(values, "max_uses", json_string(arena_printf(r->a, "%" PRId64, c->max_uses)));
        if (c->max_uses_per_org)
            json_object_set_new(values, "max_uses_per_org",
                                json_string(arena_printf(r->a, "%" PRId64, c->max_uses_per_org)));
        json_object_set_new(values, "first_order_only", json_boolean(c->first_order_only));
    }
    web_staff_page(r, status, "staff/discount", c->code, "discounts",
                   json_pack("{s:o, s:o, s:o}", "code", view, "form", values, "errors", errors ? errors : json_object()));
}

static bool load_code(http_request *r, discount_code *c)
{
    int64_t id;
    int found = http_param_id(r, "code_id", &id) ? discount_get(r->db, id, c) : 0;
    if (found < 0)
        web_fail(r);
    else if (!found)
        web_error_page(r, 404);
    return found == 1;
}

static void get_code(http_request *r)
{
    discount_code *c = arena_alloc(r->a, sizeof *c);
    if (load_code(r, c))
        code_page(r, 200, c, NULL, NULL);
}

static void post_code(http_request *r)
{
    form f;
    discount_code *c = arena_alloc(r->a, sizeof *c);
    if (!web_form(r, &f) || !load_code(r, c))
        return;
    json_t *errors = json_object();
    read_limits(r, &f, c, errors);
    if (json_object_size(errors))
        return code_page(r, 422, c, &f, errors);
    json_decref(errors);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !discount_update(r->db, c, r->staff_id, r->client_ip) ||
        db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "code_saved");
    http_redirect(r, "/staff/discount-codes");
}

json_t *web_staff_credits(http_request *r, int64_t org_id)
{
    free_credit *list = arena_alloc(r->a, sizeof *list * ORDER_CREDITS_MAX);
    int n = credit_list_unused(r->db, org_id, list, ORDER_CREDITS_MAX);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = credit_json(&list[i]);
        catalog_product p;
        json_object_set_new(o, "product_name", json_string(catalog_product_get(r->db, list[i].product_id, &p) == 1
                                                               ? catalog_product_name(&p, r->lang) : "?"));
        json_array_append_new(arr, o);
    }
    return json_pack("{s:o, s:b}", "list", arr, "any", n > 0);
}

/* POST /staff/orgs/{org_id}/credits: product_id, period ("" = any), reason. */
static void post_credit(http_request *r)
{
    form f;
    free_credit c = {0};
    catalog_product p;
    char name[ORG_NAME_MAX + 1];
    int64_t id;
    if (!http_param_id(r, "org_id", &c.org_id) || !org_name(r->db, c.org_id, name, sizeof name))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    int64_t product = form_count(&f, "product_id"), period = form_count(&f, "period");
    const char *reason = form_get(&f, "reason");
    if (product < 1 || catalog_product_get(r->db, product, &p) != 1 || p.retired_at || period < 0 ||
        (period && !catalog_period_allowed(&p, (int)period)) || !reason || strlen(reason) < 3 ||
        strlen(reason) > ORDER_REASON_MAX)
        return web_error_page(r, 400);
    c.product_id = product;
    c.period_months = (int)period;
    snprintf(c.reason, sizeof c.reason, "%s", reason);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK || !credit_grant(r->db, &c, r->staff_id, r->client_ip, &id) ||
        db_commit(r->db) != DB_OK)
        return web_fail(r);
    web_flash(r, "credit_granted");
    http_redirect(r, arena_printf(r->a, "/staff/orgs/%" PRId64 "#credits", c.org_id));
}

static void post_revoke(http_request *r)
{
    form f;
    int64_t id;
    free_credit c;
    if (!web_form(r, &f))
        return;
    if (!http_param_id(r, "credit_id", &id) || credit_get(r->db, 0, id, &c) != 1)
        return web_error_page(r, 404);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return web_fail(r);
    int done = credit_revoke(r->db, id, r->staff_id, r->client_ip);
    if (done <= 0 || db_commit(r->db) != DB_OK)
        return done == 0 ? (db_rollback(r->db), web_error_page(r, 404)) : web_fail(r);
    web_flash(r, "credit_revoked");
    http_redirect(r, arena_printf(r->a, "/staff/orgs/%" PRId64 "#credits", c.org_id));
}

void web_staff_discounts_routes(router *rt)
{
    router_add(rt, "GET", "/staff/discount-codes", get_codes, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/discount-codes", post_codes, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/discount-codes/{code_id}", get_code, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/discount-codes/{code_id}", post_code, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/orgs/{org_id}/credits", post_credit, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/credits/{credit_id}/revoke", post_revoke, ROUTE_STAFF | ROUTE_PAGE);
}
