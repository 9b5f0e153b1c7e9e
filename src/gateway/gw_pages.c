/* gw_pages.c - the hosted pages a customer is redirected to: the card form
 * (with the Apple Pay / Google Pay buttons), the 3-D Secure challenge, the
 * PayPal-style approval, the crypto payment, and the outcome page that sends
 * the customer back to return_url. The unguessable payment id in the URL is
 * the only credential, as on a real gateway's hosted page. */
#include "gateway/gw.h"
#include "gateway/gw_card.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/currency.h"
#include "core/money.h"
#include "http/form.h"
#include "lib/embedded.h"
#include "lib/log.h"
#include "render/template.h"

extern const embedded_file gateway_templates[];
extern const embedded_file gateway_static[];

/* Compiled once at startup, read-only afterwards (like configuration). */
static tmpl_set *pages;

bool gw_pages_init(char *err, size_t err_size)
{
    pages = tmpl_set_new();
    for (const embedded_file *f = gateway_templates; f->name; f++) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(strlen(f->name) - strlen(".html")), f->name);
        if (!tmpl_set_add(pages, name, f->data, f->len, err, err_size))
            return false;
    }
    return tmpl_set_check(pages, err, err_size);
}

void gw_pages_free(void)
{
    tmpl_set_free(pages);
    pages = NULL;
}

static void page(http_request *r, int status, const char *name, json_t *data)
{
    buf out;
    buf_init(&out, 0);
    char err[256];
    if (!tmpl_render(pages, name, data, NULL, NULL, &out, err, sizeof err)) {
        log_error("gateway_page", "error=\"%s\"", err);
        buf_reset(&out);
        buf_puts(&out, "internal error");
        status = 500;
    }
    json_decref(data);
    http_html(r, status, &out);
    buf_free(&out);
}

void gw_page(http_request *r, int status, const char *name, json_t *data)
{
    page(r, status, name, data);
}

static void not_found(http_request *r)
{
    page(r, 404, "message", json_pack("{s:s}", "message", "There is no such payment."));
}

static void today(int *year, int *month)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
}

static json_t *page_data(const gw_payment *p)
{
    char amount[MONEY_FORMAT_BYTES_MAX];
    money m = money_make(p->amount_minor, currency_find(p->currency));
    assert(m.cur);
    if (money_format(m, "en", amount, sizeof amount) != MONEY_OK)
        snprintf(amount, sizeof amount, "%s %lld (minor units)", p->currency, (long long)p->amount_minor);
    json_t *d = json_pack("{s:s, s:s, s:I, s:s, s:b, s:b}", "id", p->id, "currency", p->currency, "minor",
                          (json_int_t)p->amount_minor, "amount", amount, "wallet_only", !strcmp(p->method, "wallet"),
                          "save_method", p->save_method);
    return d;
}

static void show_done(http_request *r, const gw_payment *p)
{
    json_t *d = page_data(p);
    char url[1200];
    snprintf(url, sizeof url, "%s%cpayment_id=%s", p->return_url, strchr(p->return_url, '?') ? '&' : '?', p->id);
    json_object_set_new(d, "status", json_string(p->status));
    json_object_set_new(d, "succeeded", json_boolean(!strcmp(p->status, "succeeded")));
    json_object_set_new(d, "failure_code", p->failure_code ? json_string(p->failure_code) : json_null());
    if (*p->return_url)
        json_object_set_new(d, "return_url", json_string(url));
    page(r, 200, "done", d);
}

static void show_crypto(http_request *r, const gw_payment *p)
{
    json_t *d = page_data(p);
    char address[64], amount[32];
    gw_crypto_quote(p, address, sizeof address, amount, sizeof amount);
    json_object_set_new(d, "address", json_string(address));
    json_object_set_new(d, "btc", json_string(amount));
    json_object_set_new(d, "sent", json_boolean(!strcmp(p->status, "processing")));
    json_object_set_new(d, "confirmations", json_integer(p->confirmations));
    json_object_set_new(d, "required", json_integer(gw_cfg.confirmations));
    page(r, 200, "crypto", d);
}

static void pay_show(http_request *r)
{
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p))
        return not_found(r);
    if (!strcmp(p.method, "crypto") && strcmp(p.status, "succeeded") && strcmp(p.status, "failed"))
        return show_crypto(r, &p);
    if (strcmp(p.status, "requires_action"))
        return show_done(r, &p);
    if (p.otp)
        return http_redirect(r, arena_printf(r->a, "/pay/%s/3ds", p.id));
    page(r, 200, !strcmp(p.method, "paypal") ? "paypal" : "card", page_data(&p));
}

static char *card_json(const struct gw_card *c)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:i, s:s}", "brand", c->brand, "last4", c->last4, "exp_month",
                          c->exp_month, "exp_year", c->exp_year, "behavior", gw_card_behavior_name(c->behavior));
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return text;
}

static bool set_card(db *d, const char *id, const struct gw_card *c, const char *wallet, const char *otp)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_payments SET card = $1, wallet = $2, otp = $3 WHERE id = $4");
    char *text = card_json(c);
    if (!s || !text) {
        free(text);
        return false;
    }
    db_bind_text(s, 1, text);
    db_bind_text(s, 2, wallet);
    db_bind_text(s, 3, otp);
    db_bind_text(s, 4, id);
    free(text);
    return db_exec1(s) == DB_DONE;
}

/* The card was accepted: save it when asked, then succeed. */
static bool succeed(db *d, arena *a, const gw_payment *p, const struct gw_card *c, const char *wallet)
{
    if (!set_card(d, p->id, c, wallet, NULL))
        return false;
    if (p->save_method) {
        char token[GW_ID_CHARS + 1];
        db_stmt *s = db_prepare(d, "UPDATE gw_payments SET payment_method = $1 WHERE id = $2");
        if (!gw_method_save(d, p->customer, c, wallet, token) || !s)
            return false;
        db_bind_text(s, 1, token);
        db_bind_text(s, 2, p->id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return gw_payment_set_status(d, a, p->id, "succeeded", NULL);
}

static bool card_outcome(db *d, arena *a, const gw_payment *p, const struct gw_card *c)
{
    static const char *const failures[GW_CARD_BEHAVIOR_COUNT] = {
        [GW_CARD_DECLINED] = "card_declined", [GW_CARD_INSUFFICIENT_FUNDS] = "insufficient_funds",
        [GW_CARD_EXPIRED] = "expired_card"};
    if (c->behavior == GW_CARD_SUCCEEDS)
        return succeed(d, a, p, c, NULL);
    if (c->behavior == GW_CARD_NEEDS_3DS) {
        char otp[7];
        snprintf(otp, sizeof otp, "%06u", (unsigned)randombytes_uniform(1000000));
        return set_card(d, p->id, c, NULL, otp);
    }
    return set_card(d, p->id, c, NULL, NULL) && gw_payment_set_status(d, a, p->id, "failed", failures[c->behavior]);
}

static void card_form_error(http_request *r, const gw_payment *p, const form *f, gw_card_error e)
{
    json_t *d = page_data(p);
    json_object_set_new(d, "number", json_string(form_get(f, "number") ? form_get(f, "number") : ""));
    json_object_set_new(d, "expiry", json_string(form_get(f, "expiry") ? form_get(f, "expiry") : ""));
    json_object_set_new(d, "name", json_string(form_get(f, "name") ? form_get(f, "name") : ""));
    json_object_set_new(d, arena_printf(r->a, "error_%s", e.field), json_string(e.message));
    page(r, 422, "card", d);
}

/* Runs the action of the form on p inside a write transaction; false on a store error. */
static bool pay_action(http_request *r, const gw_payment *p, const form *f, const char *action, bool *handled)
{
    *handled = true;
    bool card = !strcmp(p->method, "card"), wallet = !strcmp(p->method, "wallet");
    if ((card || wallet) && (!strcmp(action, "apple_pay") || !strcmp(action, "google_pay"))) {
        int y, m;
        today(&y, &m);
        struct gw_card c;
        gw_card_wallet(&c, y);
        return succeed(r->db, r->a, p, &c, action);
    }
    if (card && !strcmp(action, "card")) {
        int y, m;
        today(&y, &m);
        struct gw_card c;
        gw_card_error e = gw_card_parse(form_get(f, "number"), form_get(f, "expiry"), form_get(f, "cvc"), y, m, &c);
        if (!e.field)
            return card_outcome(r->db, r->a, p, &c);
        db_rollback(r->db);
        card_form_error(r, p, f, e);
        return true;
    }
    if (!strcmp(p->method, "paypal") && (!strcmp(action, "approve") || !strcmp(action, "cancel")))
        return gw_payment_set_status(r->db, r->a, p->id, action[0] == 'a' ? "succeeded" : "canceled",
                                     action[0] == 'a' ? NULL : "canceled_by_customer");
    if (!strcmp(p->method, "crypto") && !strcmp(action, "send"))
        return gw_crypto_broadcast(r->db, r->a, p);
    *handled = false;
    return true;
}

static void pay_post(http_request *r)
{
    form f;
    if (!form_parse(r->a, r->body, r->body_len, &f))
        return page(r, 400, "message", json_pack("{s:s}", "message", "The form could not be read."));
    const char *action = form_get(&f, "action");
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return gw_store_failed(r);
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p)) {
        db_rollback(r->db);
        return not_found(r);
    }
    bool handled = false;
    if (!strcmp(p.status, "requires_action") && !p.otp && action) {
        if (!pay_action(r, &p, &f, action, &handled))
            return gw_store_failed(r);
        if (r->answered)
            return;
    }
    if (!handled) {
        db_rollback(r->db);
        return page(r, 409, "message", json_pack("{s:s}", "message", "This payment cannot take this action now."));
    }
    if (db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    http_redirect(r, arena_printf(r->a, "/pay/%s", p.id));
}

static void challenge_show(http_request *r)
{
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p))
        return not_found(r);
    if (!p.otp || strcmp(p.status, "requires_action"))
        return http_redirect(r, arena_printf(r->a, "/pay/%s", p.id));
    json_t *d = page_data(&p);
    json_object_set_new(d, "otp", json_string(p.otp));
    json_object_set_new(d, "tries_left", json_integer(GW_3DS_TRIES_MAX - p.tries_3ds));
    json_object_set_new(d, "wrong", json_boolean(http_query(r, "wrong") != NULL));
    page(r, 200, "challenge", d);
}

/* A wrong code: one try fewer, and the payment fails after the last. */
static bool wrong_code(db *d, arena *a, const gw_payment *p)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_payments SET tries_3ds = tries_3ds + 1 WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, p->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    if (p->tries_3ds + 1 < GW_3DS_TRIES_MAX)
        return true;
    s = db_prepare(d, "UPDATE gw_payments SET otp = NULL WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, p->id);
    return db_exec1(s) == DB_DONE && gw_payment_set_status(d, a, p->id, "failed", "authentication_failed");
}

static void challenge_post(http_request *r)
{
    form f;
    if (!form_parse(r->a, r->body, r->body_len, &f))
        return page(r, 400, "message", json_pack("{s:s}", "message", "The form could not be read."));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return gw_store_failed(r);
    gw_payment p;
    if (!gw_payment_get(r->db, r->a, http_param(r, "id"), &p)) {
        db_rollback(r->db);
        return not_found(r);
    }
    if (!p.otp || strcmp(p.status, "requires_action")) {
        db_rollback(r->db);
        return http_redirect(r, arena_printf(r->a, "/pay/%s", p.id));
    }
    const char *code = form_get(&f, "code");
    bool right = code && strlen(code) == strlen(p.otp) && sodium_memcmp(code, p.otp, strlen(p.otp)) == 0;
    json_t *c = json_loads(p.card, 0, NULL);
    assert(c);
    struct gw_card card = {.exp_month = (int)json_integer_value(json_object_get(c, "exp_month")),
                           .exp_year = (int)json_integer_value(json_object_get(c, "exp_year")),
                           .behavior = GW_CARD_NEEDS_3DS};
    snprintf(card.brand, sizeof card.brand, "%s", json_string_value(json_object_get(c, "brand")));
    snprintf(card.last4, sizeof card.last4, "%s", json_string_value(json_object_get(c, "last4")));
    json_decref(c);
    bool ok = right ? succeed(r->db, r->a, &p, &card, NULL) : wrong_code(r->db, r->a, &p);
    if (!ok || db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    bool again = !right && p.tries_3ds + 1 < GW_3DS_TRIES_MAX;
    http_redirect(r, again ? arena_printf(r->a, "/pay/%s/3ds?wrong=1", p.id) : arena_printf(r->a, "/pay/%s", p.id));
}

static void stylesheet(http_request *r)
{
    const embedded_file *f = &gateway_static[0];
    assert(f->name && !strcmp(f->name, "gateway.css"));
    http_add_header(r, "Cache-Control", "public, max-age=3600");
    http_text(r, 200, "text/css; charset=utf-8", f->data, f->len);
}

void gw_page_routes(router *rt)
{
    router_add(rt, "GET", "/gateway.css", stylesheet, ROUTE_PUBLIC);
    router_add(rt, "GET", "/pay/{id}", pay_show, ROUTE_PAGE);
    router_add(rt, "POST", "/pay/{id}", pay_post, ROUTE_PAGE);
    router_add(rt, "GET", "/pay/{id}/3ds", challenge_show, ROUTE_PAGE);
    router_add(rt, "POST", "/pay/{id}/3ds", challenge_post, ROUTE_PAGE);
}
