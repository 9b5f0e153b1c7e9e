/* gw.h - the sandbox payment gateway (`saldo gateway-sandbox`): a separate
 * service that behaves like a commercial gateway, with its own SQLite store,
 * so that saldo talks to it only over HTTP, as it would to a real one.
 *
 * This header is what the gateway's files share: its configuration (the only
 * global state, set once before the server starts), the store's schema and
 * helpers, payment objects, events, and the route tables. */
#ifndef SALDO_GW_H
#define SALDO_GW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

enum {
    GW_ID_CHARS = 28,            /* "pay_" + 24 hex; longest prefix is 4 chars */
    GW_3DS_TRIES_MAX = 3,        /* wrong one-time codes before a payment fails */
    GW_CONFIRMATIONS_MAX = 1000, /* --confirmations upper bound */
    GW_EVENTS_PAGE_MAX = 100,    /* GET /v1/events page size limit */
    GW_METHODS_MAX = 100,        /* saved methods listed per customer */
};

/* The largest amount a payment may have: a sandbox limit. */
#define GW_AMOUNT_MINOR_MAX INT64_C(1000000000000)

typedef struct gw_config {
    const char *api_key;
    const char *webhook_url;
    const char *webhook_secret;
    const char *public_url;          /* base of redirect_url, "http://HOST:PORT" */
    int64_t confirmations;           /* network confirmations a crypto payment needs */
    int64_t confirmation_interval_s; /* one confirmation per this many seconds */
    int64_t retry_base_ms;           /* first webhook retry delay; doubles each time */
} gw_config;

/* Set once by the command before the server and the worker start; read-only after. */
extern gw_config gw_cfg;

/* The schema (CREATE TABLE IF NOT EXISTS ...), applied at startup. */
bool gw_store_init(db *d, char *err, size_t err_size);

/* A new random id "<prefix>_<24 hex>" into out (GW_ID_CHARS + 1 bytes). */
void gw_id_new(const char *prefix, char *out);
int64_t gw_now_s(void);
int64_t gw_now_ms(void);

/* A payment row read from the store. Strings live in the arena given. */
typedef struct gw_payment {
    const char *id, *method, *customer, *return_url, *status, *failure_code;
    const char *payment_method, *wallet, *currency;
    int64_t amount_minor, refunded_minor, created, tries_3ds, confirmations;
    bool save_method;
    const char *otp;
    const char *card; /* JSON {brand, last4, exp_month, exp_year, behavior} of the card used, or NULL */
} gw_payment;

/* Reads payment id; false when there is none (or the store failed). */
bool gw_payment_get(db *d, arena *a, const char *id, gw_payment *out);
/* The payment as the API shows it (new reference). */
json_t *gw_payment_json(const gw_payment *p);
/* Moves the payment to status (and failure_code, may be NULL), and records the
 * event "payment.<status>" with the payment's new state. Inside a write
 * transaction. */
bool gw_payment_set_status(db *d, arena *a, const char *id, const char *status, const char *failure_code);

/* Records event {type, data} and queues its webhook delivery; inside a write
 * transaction. Steals data. */
bool gw_event_emit(db *d, const char *type, json_t *data);
/* Queues one more delivery of an existing event; false when there is none. */
bool gw_event_requeue(db *d, const char *event_id);

/* An event as the API shows it, from the columns (id, type, created, data)
 * of s starting at column first. */
json_t *gw_event_json_cols(db_stmt *s, int first);

/* Saved methods. */
typedef struct gw_card gw_card;
bool gw_method_save(db *d, const char *customer, const gw_card *c, const char *wallet, char *token_out);
json_t *gw_method_json(db_stmt *s); /* from a row of GW_METHOD_COLUMNS */
#define GW_METHOD_COLUMNS "id, brand, last4, exp_month, exp_year, wallet, customer, created"

/* Renders the hosted page template name with data (stolen) and answers it. */
void gw_page(http_request *r, int status, const char *name, json_t *data);

/* Route tables. */
void gw_api_routes(router *rt);
void gw_setup_routes(router *rt); /* card verifications (setups): API and hosted pages */
void gw_refund_routes(router *rt);
void gw_page_routes(router *rt);
/* Builds the route table (once, before the server starts). */
void gw_routes_init(void);
/* The dispatcher handed to the HTTP server. */
void gw_dispatch(http_request *r);
bool gw_pages_init(char *err, size_t err_size);
void gw_pages_free(void);

/* Crypto: advances due confirmations of broadcast crypto payments (worker). */
void gw_crypto_tick(db *d);
/* The deterministic sandbox address and the amount in BTC ("0.00024680"). */
void gw_crypto_quote(const gw_payment *p, char *address, size_t address_size, char *amount, size_t amount_size);
/* The customer sent the coins: requires_action -> processing, 0 confirmations. */
bool gw_crypto_broadcast(db *d, arena *a, const gw_payment *p);
/* Adds one confirmation to a crypto payment (inside a write transaction). */
bool gw_crypto_confirm(db *d, arena *a, const gw_payment *p);

/* Idempotency-Key for creating calls, inside the caller's write transaction.
 * gw_idem_begin: true when the call should run; false when it has answered
 * (missing key: 400; a stored answer replayed; the key reused with another
 * body: 422), having rolled back. gw_idem_finish stores the answer, commits
 * and answers (500 when the store fails). */
typedef struct gw_idem {
    const char *key, *scope;
    char hash[65];
} gw_idem;
bool gw_idem_begin(http_request *r, const char *scope, gw_idem *k);
void gw_idem_finish(http_request *r, const gw_idem *k, int status, json_t *body);
/* Rolls back and answers 500. */
void gw_store_failed(http_request *r);

#endif
