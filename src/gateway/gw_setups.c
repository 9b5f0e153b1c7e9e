/* gw_setups.c - card verifications ("setups", like a setup intent): a
 * customer's card is checked on a hosted page (with 3-D Secure when the card
 * asks for it) and saved for later off-session payments, without moving any
 * money. The API creates one and reads it back; the pages /setup/{id} take the
 * card as /pay/{id} does. Events setup.succeeded and setup.failed. */
#include "gateway/gw.h"
#include "gateway/gw_card.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/form.h"
#include "http/json_in.h"

enum { GW_SETUP_CUSTOMER_MAX = 200, GW_SETUP_URL_MAX = 1000 };

typedef struct gw_setup {
    const char *id, *customer, *return_url, *status, *failure_code, *payment_method, *card, *otp;
    int64_t tries_3ds, created;
} gw_setup;

static const char *dup_col(arena *a, db_stmt *s, int col)
{
    const char *t = db_col_text(s, col);
    return t ? arena_strdup(a, t) : NULL;
}

static bool setup_get(db *d, arena *a, const char *id, gw_setup *out)
{
    db_stmt *s = db_prepare(d, "SELECT id, customer, return_url, status, failure_code, payment_method, card, otp,"
                               " tries_3ds, created FROM gw_setups WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        *out = (gw_setup){.id = dup_col(a, s, 0), .customer = dup_col(a, s, 1), .return_url = dup_col(a, s, 2),
                          .status = dup_col(a, s, 3), .failure_code = dup_col(a, s, 4),
                          .payment_method = dup_col(a, s, 5), .card = dup_col(a, s, 6), .otp = dup_col(a, s, 7),
                          .tries_3ds = db_col_int64(s, 8), .created = db_col_int64(s, 9)};
    db_done(s);
    return found;
}

static json_t *setup_json(const gw_setup *st)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "id", st->id, "object", "setup", "customer", st->customer,
                          "status", st->status, "return_url", st->return_url, "created", (json_int_t)st->created);
    json_object_set_new(j, "failure_code", st->failure_code ? json_string(st->failure_code) : json_null());
    json_object_set_new(j, "payment_method", st->payment_method ? json_string(st->payment_method) : json_null());
    json_t *card = st->card ? json_loads(st->card, 0, NULL) : NULL;
    if (card)
        json_object_del(card, "behavior");
    json_object_set_new(j, "card", card ? card : json_null());
    bool waiting = !strcmp(st->status, "requires_action");
    json_object_set_new(j, "redirect_url", waiting ? json_sprintf("%s/setup/%s", gw_cfg.public_url, st->id)
                                                   : json_null());
    return j;
}

/* Moves st to status (succeeded or failed) and records "setup.<status>"; inside a write transaction. */
static bool set_status(db *d, arena *a, const char *id, const char *status, const char *failure_code)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE gw_setups SET status = $1, failure_code = $2, otp = NULL, updated = $3"
                               " WHERE id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, failure_code);
    db_bind_int64(s, 3, gw_now_s());
    db_bind_text(s, 4, id);
    gw_setup st;
    return db_exec1(s) == DB_DONE && setup_get(d, a, id, &st) &&
           gw_event_emit(d, !strcmp(status, "succeeded") ? "setup.succeeded" : "setup.failed", setup_json(&st));
}

/* ---- API ---- */

static void setup_create(http_request *r)
{
    json_t *b;
    const char *customer, *return_url;
    gw_idem k;
    if (!jin_body(r, &b) || !jin_string(r, b, "customer", JIN_REQUIRED, 1, GW_SETUP_CUSTOMER_MAX, &customer) ||
        !jin_string(r, b, "return_url", JIN_REQUIRED, 1, GW_SETUP_URL_MAX, &return_url))
        return;
    if (strncmp(return_url, "http://", 7) && strncmp(return_url, "https://", 8))
        return http_error(r, 422, "invalid_return_url", "return_url must be an http or https URL", "return_url");
    if (!gw_idem_begin(r, "setups", &k))
        return;
    char id[GW_ID_CHARS + 1];
    gw_id_new("set", id);
    db_stmt *s = db_prepare(r->db, "INSERT INTO gw_setups (id, customer, return_url, status, created, updated)"
                                   " VALUES ($1, $2, $3, 'requires_action', $4, $4)");
    if (!s)
        return gw_store_failed(r);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, customer);
    db_bind_text(s, 3, return_url);
    db_bind_int64(s, 4, gw_now_s());
    gw_setup st;
    if (db_exec1(s) != DB_DONE || !setup_get(r->db, r->a, id, &st))
        return gw_store_failed(r);
    gw_idem_finish(r, &k, 201, setup_json(&st));
}

static void setup_show(http_request *r)
{
    gw_setup st;
    if (!setup_get(r->db, r->a, http_param(r, "id"), &st))
        return http_error(r, 404, "not_found", "no such setup", NULL);
    http_json(r, 200, setup_json(&st));
}

/* ---- hosted pages ---- */

static json_t *page_data(const gw_setup *st)
{
    return json_pack("{s:s}", "id", st->id);
}

static void not_found(http_request *r)
{
    gw_page(r, 404, "message", json_pack("{s:s}", "message", "There is no such card verification."));
}

static void show_done(http_request *r, const gw_setup *st)
{
    json_t *d = page_data(st);
    char url[1200];
    snprintf(url, sizeof url, "%s%csetup_id=%s", st->return_url, strchr(st->return_url, '?') ? '&' : '?', st->id);
    json_object_set_new(d, "status", json_string(st->status));
    json_object_set_new(d, "succeeded", json_boolean(!strcmp(st->status, "succeeded")));
    json_object_set_new(d, "failure_code", st->failure_code ? json_string(st->failure_code) : json_null());
    json_object_set_new(d, "return_url", json_string(url));
    gw_page(r, 200, "setup_done", d);
}

static void setup_page(http_request *r)
{
    gw_setup st;
    if (!setup_get(r->db, r->a, http_param(r, "id"), &st))
        return not_found(r);
    if (strcmp(st.status, "requires_action"))
        return show_done(r, &st);
    if (st.otp)
        return http_redirect(r, arena_printf(r->a, "/setup/%s/3ds", st.id));
    gw_page(r, 200, "setup", page_data(&st));
}

static char *card_text(const struct gw_card *c)
{
    json_t *j = json_pack("{s:s, s:s, s:i, s:i, s:s}", "brand", c->brand, "last4", c->last4, "exp_month",
                          c->exp_month, "exp_year", c->exp_year, "behavior", gw_card_behavior_name(c->behavior));
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    if (!text)
        abort(); /* out of memory */
    return text;
}

static bool set_card(db *d, const char *id, const struct gw_card *c, const char *otp)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_setups SET card = $1, otp = $2 WHERE id = $3");
    if (!s)
        return false;
    char *text = card_text(c);
    db_bind_text(s, 1, text);
    db_bind_text(s, 2, otp);
    db_bind_text(s, 3, id);
    free(text);
    return db_exec1(s) == DB_DONE;
}

/* The card is verified: saved for the customer, the setup succeeded. */
static bool save_card(db *d, arena *a, const gw_setup *st, const struct gw_card *c)
{
    char token[GW_ID_CHARS + 1];
    db_stmt *s;
    if (!set_card(d, st->id, c, NULL) || !gw_method_save(d, st->customer, c, NULL, token) ||
        !(s = db_prepare(d, "UPDATE gw_setups SET payment_method = $1 WHERE id = $2")))
        return false;
    db_bind_text(s, 1, token);
    db_bind_text(s, 2, st->id);
    return db_exec1(s) == DB_DONE && set_status(d, a, st->id, "succeeded", NULL);
}

static bool card_outcome(db *d, arena *a, const gw_setup *st, const struct gw_card *c)
{
    static const char *const failures[GW_CARD_BEHAVIOR_COUNT] = {
        [GW_CARD_DECLINED] = "card_declined", [GW_CARD_INSUFFICIENT_FUNDS] = "insufficient_funds",
        [GW_CARD_EXPIRED] = "expired_card"};
    if (c->behavior == GW_CARD_SUCCEEDS)
        return save_card(d, a, st, c);
    if (c->behavior == GW_CARD_NEEDS_3DS) {
        char otp[7];
        snprintf(otp, sizeof otp, "%06u", (unsigned)randombytes_uniform(1000000));
        return set_card(d, st->id, c, otp);
    }
    return set_card(d, st->id, c, NULL) && set_status(d, a, st->id, "failed", failures[c->behavior]);
}

static void card_form_error(http_request *r, const gw_setup *st, const form *f, gw_card_error e)
{
    json_t *d = page_data(st);
    json_object_set_new(d, "number", json_string(form_get(f, "number") ? form_get(f, "number") : ""));
    json_object_set_new(d, "expiry", json_string(form_get(f, "expiry") ? form_get(f, "expiry") : ""));
    json_object_set_new(d, "name", json_string(form_get(f, "name") ? form_get(f, "name") : ""));
    json_object_set_new(d, arena_printf(r->a, "error_%s", e.field), json_string(e.message));
    gw_page(r, 422, "setup", d);
}

/* Begins the write transaction and reads the setup of the path; false after answering. */
static bool begin_setup(http_request *r, form *f, gw_setup *st)
{
    if (!form_parse(r->a, r->body, r->body_len, f)) {
        gw_page(r, 400, "message", json_pack("{s:s}", "message", "The form could not be read."));
        return false;
    }
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK) {
        gw_store_failed(r);
        return false;
    }
    if (!setup_get(r->db, r->a, http_param(r, "id"), st)) {
        db_rollback(r->db);
        not_found(r);
        return false;
    }
    return true;
}

static void setup_post(http_request *r)
{
    form f;
    gw_setup st;
    if (!begin_setup(r, &f, &st))
        return;
    const char *action = form_get(&f, "action");
    if (strcmp(st.status, "requires_action") || st.otp || !action || strcmp(action, "card")) {
        db_rollback(r->db);
        return gw_page(r, 409, "message", json_pack("{s:s}", "message", "This card verification cannot take this action now."));
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    struct gw_card c;
    gw_card_error e = gw_card_parse(form_get(&f, "number"), form_get(&f, "expiry"), form_get(&f, "cvc"),
                                    tm.tm_year + 1900, tm.tm_mon + 1, &c);
    if (e.field) {
        db_rollback(r->db);
        return card_form_error(r, &st, &f, e);
    }
    if (!card_outcome(r->db, r->a, &st, &c) || db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    http_redirect(r, arena_printf(r->a, "/setup/%s", st.id));
}

static void challenge_show(http_request *r)
{
    gw_setup st;
    if (!setup_get(r->db, r->a, http_param(r, "id"), &st))
        return not_found(r);
    if (!st.otp || strcmp(st.status, "requires_action"))
        return http_redirect(r, arena_printf(r->a, "/setup/%s", st.id));
    json_t *d = page_data(&st);
    json_object_set_new(d, "otp", json_string(st.otp));
    json_object_set_new(d, "tries_left", json_integer(GW_3DS_TRIES_MAX - st.tries_3ds));
    json_object_set_new(d, "wrong", json_boolean(http_query(r, "wrong") != NULL));
    gw_page(r, 200, "setup_3ds", d);
}

/* A wrong code: one try fewer, and the setup fails after the last. */
static bool wrong_code(db *d, arena *a, const gw_setup *st)
{
    db_stmt *s = db_prepare(d, "UPDATE gw_setups SET tries_3ds = tries_3ds + 1 WHERE id = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, st->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    return st->tries_3ds + 1 < GW_3DS_TRIES_MAX || set_status(d, a, st->id, "failed", "authentication_failed");
}

/* The card typed before the challenge, from the setup's card column. */
static void stored_card(const gw_setup *st, struct gw_card *out)
{
    json_t *c = json_loads(st->card, 0, NULL);
    assert(c);
    *out = (struct gw_card){.exp_month = (int)json_integer_value(json_object_get(c, "exp_month")),
                            .exp_year = (int)json_integer_value(json_object_get(c, "exp_year")),
                            .behavior = GW_CARD_NEEDS_3DS};
    snprintf(out->brand, sizeof out->brand, "%s", json_string_value(json_object_get(c, "brand")));
    snprintf(out->last4, sizeof out->last4, "%s", json_string_value(json_object_get(c, "last4")));
    json_decref(c);
}

static void challenge_post(http_request *r)
{
    form f;
    gw_setup st;
    if (!begin_setup(r, &f, &st))
        return;
    if (!st.otp || strcmp(st.status, "requires_action")) {
        db_rollback(r->db);
        return http_redirect(r, arena_printf(r->a, "/setup/%s", st.id));
    }
    const char *code = form_get(&f, "code");
    bool right = code && strlen(code) == strlen(st.otp) && sodium_memcmp(code, st.otp, strlen(st.otp)) == 0;
    struct gw_card card;
    stored_card(&st, &card);
    bool ok = right ? save_card(r->db, r->a, &st, &card) : wrong_code(r->db, r->a, &st);
    if (!ok || db_commit(r->db) != DB_OK)
        return gw_store_failed(r);
    bool again = !right && st.tries_3ds + 1 < GW_3DS_TRIES_MAX;
    http_redirect(r, again ? arena_printf(r->a, "/setup/%s/3ds?wrong=1", st.id) : arena_printf(r->a, "/setup/%s", st.id));
}

void gw_setup_routes(router *rt)
{
    router_add(rt, "POST", "/v1/setups", setup_create, ROUTE_PUBLIC);
    router_add(rt, "GET", "/v1/setups/{id}", setup_show, ROUTE_PUBLIC);
    router_add(rt, "GET", "/setup/{id}", setup_page, ROUTE_PAGE);
    router_add(rt, "POST", "/setup/{id}", setup_post, ROUTE_PAGE);
    router_add(rt, "GET", "/setup/{id}/3ds", challenge_show, ROUTE_PAGE);
    router_add(rt, "POST", "/setup/{id}/3ds", challenge_post, ROUTE_PAGE);
}
