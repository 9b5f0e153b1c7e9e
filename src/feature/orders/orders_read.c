/* orders_read.c - orders as the API, the pages and the confirmation mail
 * show them: one order with its items, the organization's list, and the
 * mail queued at checkout. */
#include "feature/orders/orders_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/orgs/orgs.h"
#include "feature/invoices/documents.h"
#include "http/json_in.h"
#include "render/i18n.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

const char *order_terms_version(const http_request *r)
{
    return r->app->cfg->terms_version;
}

static json_t *money_or_null(int64_t minor, const char *code, const char *lang)
{
    const currency *cur = currency_find(code);
    return cur ? jout_money(money_make(minor, cur), lang) : json_null();
}

json_t *order_vat_json(http_request *r, const char *scheme, int rate_bp, const char *mention_text, money amount)
{
    char rate[8];
    vat_rate_text(rate_bp, rate);
    return json_pack("{s:s?, s:i, s:s, s:s?, s:o}", "scheme", scheme, "rate_bp", rate_bp, "rate", rate,
                     "mention_text", mention_text ? i18n_text(r->lang, mention_text) : NULL, "amount",
                     jout_money(amount, r->lang));
}

json_t *order_tax_json(http_request *r, const sale_tax *tax, const currency *cur)
{
    const vat_decision *d = &tax->decision;
    return order_vat_json(r, vat_scheme_name(d->scheme), d->rate_bp, d->mention_text,
                          money_make(tax->vat_minor, cur));
}

/* The mention's text of a stored mention name, for the provider as seller. */
static const char *stored_mention_text(http_request *r, const char *name)
{
    for (int m = 0; name && m < VAT_MENTION_COUNT; m++)
        if (!strcmp(vat_mention_name((vat_mention)m), name))
            return vat_mention_text((vat_mention)m, r->app->cfg->provider.country);
    return NULL;
}

/* Product id's catalog entry: from pr's items when it is one of them (an
 * order just priced), else read. False when there is none. */
static bool item_product(http_request *r, const order_priced *pr, int64_t product_id, catalog_product *out)
{
    for (size_t i = 0; pr && i < pr->n; i++)
        if (pr->items[i].product.id == product_id) {
            *out = pr->items[i].product;
            return true;
        }
    return catalog_product_get(r->db, product_id, out) == 1;
}

static json_t *order_items_json(http_request *r, int64_t order_id, const currency *cur, const order_priced *pr)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, product_id, period_months, price_minor, setup_minor, discount_minor, COALESCE(credit_id, 0),"
        " total_minor, service_id FROM order_items WHERE order_id = $1 ORDER BY id");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, order_id);
    json_t *items = json_array();
    while (db_step(s) == DB_ROW) {
        catalog_product p;
        int64_t product_id = db_col_int64(s, 1), credit_id = db_col_int64(s, 6);
        bool named = item_product(r, pr, product_id, &p);
        json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:I, s:o, s:o, s:o, s:o, s:o, s:I}",
            "id", (json_int_t)db_col_int64(s, 0), "product_id", (json_int_t)product_id,
            "product_name", named ? catalog_product_name(&p, r->lang) : "",
            "period", (json_int_t)db_col_int64(s, 2),
            "price", jout_money(money_make(db_col_int64(s, 3), cur), r->lang),
            "setup", jout_money(money_make(db_col_int64(s, 4), cur), r->lang),
            "discount", jout_money(money_make(db_col_int64(s, 5), cur), r->lang),
            "credit_id", credit_id ? json_integer(credit_id) : json_null(),
            "total", jout_money(money_make(db_col_int64(s, 7), cur), r->lang),
            "service_id", (json_int_t)db_col_int64(s, 8)));
    }
    db_done(s);
    return items;
}

/* order_json; res (NULL when reading any order) is the order just checked
 * out, whose invoice and products are known. */
static json_t *order_read_json(http_request *r, int64_t org_id, int64_t order_id, const order_result *res,
                               bool *found)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT o.status, o.currency, o.subtotal_minor, o.discount_minor, o.credit_minor, o.total_minor,"
        " d.code, o.pay_with, o.wallet_currency, o.paid_minor, COALESCE(o.quote_id, 0), o.terms_version,"
        " o.terms_accepted_at, COALESCE(o.billing_address_id, 0), o.created_at, o.vat_minor, o.gross_minor,"
        " o.vat_rate_bp, o.vat_scheme, o.vat_mention"
        " FROM orders o LEFT JOIN discount_codes d ON d.id = o.discount_code_id WHERE o.id = $1 AND o.org_id = $2");
    *found = false;
    if (!s)
        return NULL;
    db_bind_int64(s, 1, order_id);
    db_bind_int64(s, 2, org_id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return NULL;
    }
    *found = true;
    const currency *cur = currency_find(db_col_text(s, 1));
    assert(cur);
    const char *code = db_col_is_null(s, 6) ? NULL : arena_strdup(r->a, db_col_text(s, 6));
    int64_t quote = db_col_int64(s, 10), address_id = db_col_int64(s, 13);
    const char *scheme = db_col_is_null(s, 18) ? NULL : arena_strdup(r->a, db_col_text(s, 18));
    const char *mention = db_col_is_null(s, 19) ? NULL : stored_mention_text(r, db_col_text(s, 19));
    json_t *vat = order_vat_json(r, scheme, (int)db_col_int64(s, 17), mention, money_make(db_col_int64(s, 15), cur));
    json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s?, s:s, s:o, s:o, s:s, s:o, s:o, s:o}",
        "id", (json_int_t)order_id, "status", db_col_text(s, 0), "currency", cur->code,
        "subtotal", jout_money(money_make(db_col_int64(s, 2), cur), r->lang),
        "discount", jout_money(money_make(db_col_int64(s, 3), cur), r->lang),
        "credit", jout_money(money_make(db_col_int64(s, 4), cur), r->lang),
        "total", jout_money(money_make(db_col_int64(s, 5), cur), r->lang),
        "discount_code", code, "pay_with", db_col_text(s, 7),
        "paid", money_or_null(db_col_int64(s, 9), db_col_text(s, 8), r->lang),
        "quote_id", quote ? json_integer(quote) : json_null(),
        "terms_version", db_col_text(s, 11), "terms_accepted_at", jout_time(db_col_int64(s, 12)),
        "billing_address_id", address_id ? json_integer(address_id) : json_null(),
        "created_at", jout_time(db_col_int64(s, 14)));
    json_object_set_new(o, "vat", vat);
    json_object_set_new(o, "gross", jout_money(money_make(db_col_int64(s, 16), cur), r->lang));
    db_done(s);
    bool store_error = false;
    int64_t invoice = res && res->invoice_id ? res->invoice_id
                                             : documents_by_source(r->db, arena_printf(r->a, "order:%" PRId64, order_id),
                                                                   &store_error);
    json_t *items = store_error ? NULL : order_items_json(r, order_id, cur, res ? &res->priced : NULL);
    json_object_set_new(o, "invoice_id", invoice ? json_integer(invoice) : json_null());
    if (!items) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "items", items);
    return o;
}

json_t *order_json(http_request *r, int64_t org_id, int64_t order_id, bool *found)
{
    return order_read_json(r, org_id, order_id, NULL, found);
}

json_t *order_json_placed(http_request *r, int64_t org_id, const order_result *res)
{
    assert(res->order_id > 0);
    bool found;
    return order_read_json(r, org_id, res->order_id, res, &found);
}

int64_t order_find_by_key(db *d, int64_t org_id, const char *idem_key)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM orders WHERE org_id = $1 AND idempotency_key = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, idem_key);
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : st == DB_DONE ? 0 : -1;
    db_done(s);
    return id;
}

json_t *order_list_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit)
{
    assert(limit > 0 && limit <= ORDER_LIST_MAX && before_id >= 0);
    db_stmt *s = db_prepare(r->db,
        "SELECT id, status, currency, total_minor, created_at, (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id),"
        " gross_minor FROM orders o WHERE org_id = $1 AND (CAST($2 AS BIGINT) = 0 OR id < $2) ORDER BY id DESC LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, before_id);
    db_bind_int64(s, 3, (int64_t)limit + 1);
    json_t *list = json_array();
    int64_t last = 0;
    bool more = false;
    while (db_step(s) == DB_ROW) {
        if (json_array_size(list) == limit) {
            more = true;
            break;
        }
        last = db_col_int64(s, 0);
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:o, s:I, s:o}", "id", (json_int_t)last,
            "status", db_col_text(s, 1), "total", money_or_null(db_col_int64(s, 3), db_col_text(s, 2), r->lang),
            "gross", money_or_null(db_col_int64(s, 6), db_col_text(s, 2), r->lang),
            "item_count", (json_int_t)db_col_int64(s, 5), "created_at", jout_time(db_col_int64(s, 4))));
    }
    db_done(s);
    return json_pack("{s:o, s:o}", "orders", list, "next_cursor", more ? json_string(arena_printf(r->a, "%" PRId64, last)) : json_null());
}

/* The mail's data: organization, order number, lines, totals, link. */
static json_t *mail_data(http_request *r, const order_in *in, const order_result *res, const char *lang)
{
    const order_priced *pr = &res->priced;
    char net[MONEY_FORMAT_BYTES_MAX], vat[MONEY_FORMAT_BYTES_MAX], total[MONEY_FORMAT_BYTES_MAX],
        paid[MONEY_FORMAT_BYTES_MAX];
    const char *org = pr->buyer.profile.name; /* read with the tax, in this transaction */
    json_t *lines = json_array();
    bool renewing = false; /* paid by card and some service renews by itself */
    for (size_t i = 0; i < pr->n; i++) {
        char line_total[MONEY_FORMAT_BYTES_MAX];
        bool renews = in->auto_renew_all && pr->items[i].auto_renew;
        renewing = renewing || renews;
        money_format(money_make(pr->items[i].total_minor, in->cur), lang, line_total, sizeof line_total);
        json_array_append_new(lines, json_pack("{s:s, s:i, s:s, s:b, s:b}", "name",
            catalog_product_name(&pr->items[i].product, lang), "period", pr->items[i].period_months,
            "total", line_total, "credited", pr->items[i].credit_id != 0, "auto_renew", renews));
    }
    money_format(money_make(pr->totals.total_minor, in->cur), lang, net, sizeof net);
    money_format(money_make(pr->tax.vat_minor, in->cur), lang, vat, sizeof vat);
    money_format(money_make(pr->tax.gross_minor, in->cur), lang, total, sizeof total);
    money_format(money_make(res->paid_minor, res->wallet_cur), lang, paid, sizeof paid);
    return json_pack("{s:s, s:I, s:o, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s}", "organization", org,
        "order_id", (json_int_t)res->order_id, "lines", lines, "net", net, "vat", vat, "total", total, "paid", paid,
        "converted", res->wallet_cur != in->cur, "card_auto_renew", renewing, "terms_version", order_terms_version(r),
        "link", arena_printf(r->a, "%s/orders/%" PRId64, r->app->cfg->base_url, res->order_id),
        "provider", r->app->cfg->provider.name);
}

bool order_mail(http_request *r, const order_in *in, const order_result *res, const char *to)
{
    if (!to)
        return true; /* nobody to tell (no administrator left) */
    const char *lang = !strcmp(r->lang, "it") ? "it" : "en";
    json_t *data = mail_data(r, in, res, lang);
    const char *subject, *body;
    bool ok = mail_render(r->app, r->a, "order_confirmation", lang, data, &subject, &body) &&
              outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}
