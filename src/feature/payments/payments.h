/* payments.h - payments through the payment gateway (gateway.h): top-ups of
 * a wallet, and orders and renewals paid by card or PayPal (their purpose:
 * the wallet is credited, then the order or renewals paid from it, below).
 *
 * A top-up is a row of `payments` (one per organization and Idempotency-Key)
 * and a payment at the gateway. The wallet is credited only by
 * payment_sync(): it asks the gateway for the payment (never trusting a
 * return URL or a webhook's body) and, when the gateway says succeeded for
 * exactly the amount recorded, posts "gateway:<name>" -> wallet (kind
 * "topup", idempotency key "payment:<id>") with the status change, the
 * organization's audit entry "payment.received", the mail to the billing
 * address and an in-app notification, all in one transaction. The return
 * page and the webhook (payments_webhook.c) both call it. A card the gateway
 * saved with the payment is recorded in that transaction too (cards.h). */
#ifndef SALDO_PAYMENTS_H
#define SALDO_PAYMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "feature/payments/gateway.h"
#include "http/router.h"

struct app;

/* ---- methods (payments_methods.c) ---- */

typedef struct payment_method {
    const char *code;        /* card, wallet, paypal, crypto, bank_transfer */
    const char *label;       /* English; pages translate */
    const char *settlement;  /* English: "immediate", "1-3 business days", ... */
    bool gateway;            /* paid through the gateway (else bank_transfer) */
} payment_method;

#define PAYMENT_METHOD_COUNT 5
extern const payment_method payment_methods[PAYMENT_METHOD_COUNT];
const payment_method *payment_method_find(const char *code);
/* Whether m may top up in currency for an organization in country (ISO alpha-2). */
bool payment_method_enabled(const payment_method *m, const char *code, const char *country);
/* NULL when amount is a top-up amount, else the problem ("amount: ..."). */
const char *payment_amount_problem(money amount);
/* The organization's country: its default billing address's, else the provider's. */
void payment_org_country(db *d, const struct app *ap, int64_t org_id, char out[3]);

/* ---- the stored payment (payments.c) ---- */

#define PAYMENT_STATUS_MAX 15

typedef struct payment {
    int64_t id, org_id, user_id, transfer_id, created_at, settled_at;
    char method[16];
    char status[PAYMENT_STATUS_MAX + 1];
    money amount;
    char idem_key[256];
    char gateway_id[GATEWAY_ID_MAX + 1];        /* "" until the gateway created it */
    char redirect_url[GATEWAY_URL_MAX + 1];     /* "" when none */
    char failure_code[GATEWAY_CODE_MAX + 1];
    /* What it is for (migration 0014; payments_purpose.c). */
    char purpose[16];                           /* "topup", "order", "renewals" */
    char purpose_status[16];                    /* "" until it succeeded, then "done" or "refused" */
    int64_t purpose_ref;                        /* the order placed, else 0 */
    char purpose_error[GATEWAY_CODE_MAX + 1];   /* why it was refused, else "" */
    const char *purpose_data;                   /* payment_start's input only: the JSON kept with it */
    /* Asked of payment_start only (not stored): save the card used (card,
     * wallet), or charge this saved card's token off-session (card). */
    bool save_method;
    char card_token[GATEWAY_ID_MAX + 1];
} payment;

/* 1 found, 0 not, -1 store error. */
int payment_get(db *d, int64_t id, payment *out);
int payment_by_gateway_id(db *d, const char *gateway_id, payment *out);
/* The payment of org_id under idem_key (its Idempotency-Key): 1, 0, -1. */
int payment_by_key(db *d, int64_t org_id, const char *key, payment *out);
/* The newest max succeeded gateway payments of org_id (not bank transfers)
 * into out: their number, -1 on a store error (payments_succeeded.c). */
int payments_succeeded(db *d, int64_t org_id, payment *out, size_t max);
/* The payment of org under idem_key, created pending when new (*created set).
 * Inside the caller's write transaction. False on a store error. */
bool payment_open(db *d, const payment *in, payment *out, bool *created);
/* Records the gateway's id and redirect URL (once). Own transaction. */
bool payment_set_gateway(db *d, int64_t id, const gateway_payment *gp);
/* {"id", "status", "method", "amount", "redirect_url"?, "instructions"?, ...}. */
json_t *payment_json(const struct app *ap, const payment *p, const char *lang);

/* 1 when the webhook event was processed before, 0 not, -1 store error. */
int payment_event_seen(db *d, const char *event_id);

/* Opens the payment in (org, user, method, amount, idem_key; purpose and
 * purpose_data, "" = a top-up) as *out and, for a gateway method, creates it
 * at the gateway once (saving the card when in->save_method; charging
 * in->card_token off-session when set, which the gateway decides at once:
 * call payment_sync next to apply it). False with the HTTP *status and error
 * *code (409 the key was used for another payment: amount, method or purpose
 * differ; 502 gateway unreachable, 500 store). */
bool payment_start(http_request *r, payment *in, payment *out, int *status, const char **code);
/* The card part of a gateway payment's JSON body b, for in->method (set):
 * `save_method` (cards and wallets: save the card used) or
 * `payment_method_id` (a saved card of org_id, not expired, charged
 * off-session: method card only), into in->save_method and in->card_token.
 * Answers 422 naming the field itself and returns false. */
bool payment_card_choice(http_request *r, json_t *b, int64_t org_id, payment *in);

typedef enum { SYNC_OK, SYNC_UNAVAILABLE, SYNC_STORE_ERROR } payment_sync_result;
/* Asks the gateway for p's state and applies it (crediting once); event_id
 * and event_type, when not NULL, record a webhook event in the same
 * transaction. Re-reads p afterwards. */
payment_sync_result payment_sync(db *d, const struct app *ap, payment *p, const char *event_id,
                                 const char *event_type);

/* ---- purposes (payments_purpose.c) ----
 *
 * A payment for an order or for renewals is credited to the wallet like a
 * top-up and then, in the same transaction, spent on its purpose from that
 * balance by the feature that owns it (orders, renewals). When the purpose can
 * no longer be done (a code used up meanwhile, a product retired, a service
 * renewed), payment_sync rolls that back, credits the wallet alone, records
 * purpose_status "refused" and tells the customer: the money is never lost. */

typedef enum { PURPOSE_DONE, PURPOSE_REFUSED, PURPOSE_ERROR } payment_purpose_result;

/* What a purpose's settle function gets: the payment and its kept JSON. */
typedef struct payment_purpose_in {
    const payment *p;
    json_t *data;
} payment_purpose_in;

/* The kept JSON of payment id (NULL when none or on a store error). */
json_t *payment_purpose_data(db *d, int64_t id);
/* Spends p's amount (just credited) on its purpose inside payment_sync's
 * transaction: DONE with *ref (an order id, or 0), REFUSED with *why (a
 * stable code, static or in arena a), ERROR on a store error. */
payment_purpose_result payment_purpose_settle(db *d, const struct app *ap, arena *a, const payment *p, int64_t *ref,
                                              const char **why);

/* ---- notifications (payments_notify.c) ---- */

/* Queues the mail and the in-app notification of p, succeeded (caller's tx). */
bool payment_notify(db *d, const struct app *ap, const payment *p);
/* Queues the mail and the notification of p, succeeded but its purpose refused
 * (the money stays as balance) (caller's tx). */
bool payment_notify_refused(db *d, const struct app *ap, const payment *p);

/* ---- the webhook (payments_webhook.c) ---- */

#define WEBHOOK_TOLERANCE_S 300
/* True when header ("t=<unix>,v1=<64 hex>") is the HMAC-SHA256 with secret of
 * "<t>.<body>" (compared in constant time) and t is within
 * WEBHOOK_TOLERANCE_S of now. */
bool payment_signature_ok(const char *header, const char *body, size_t body_len, const char *secret, int64_t now);
void payments_webhook(http_request *r);

/* A bank transfer arrived for org_id (the bank feature's statement import,
 * inside its write transaction, after crediting transfer_id): the oldest
 * pending bank-transfer top-up of that currency and amount, if any, is
 * settled by it (*settled says whether one was). False on a store error. */
bool payment_settle_bank(db *d, int64_t org_id, const char *currency_code, int64_t amount_minor,
                         int64_t transfer_id, int64_t now, bool *settled);

/* ---- catching up with the gateway (payments_catchup.c) ---- */

enum { PAYMENTS_CATCHUP_MAX = 100 };
typedef struct payments_catchup_counts {
    int checked, settled, unavailable;
} payments_catchup_counts;
/* Syncs (payment_sync) up to max pending gateway payments started at least
 * min_age_s before now (and within the last 7 days), after id *after, oldest
 * first; *after moves on, back to 0 once none are left. Adds to *c. Returns
 * how many were looked at, -1 on a store error. */
int payments_catch_up(db *d, const struct app *ap, int64_t now, int64_t min_age_s, int64_t *after, int max,
                      payments_catchup_counts *c);
/* The serve worker doing that a minute, 25 at a time, for payments older
 * than two minutes; NULL when no gateway is configured. */
typedef struct payments_catchup payments_catchup;
payments_catchup *payments_catchup_start(const struct app *ap, const char *db_url);
void payments_catchup_stop(payments_catchup *pc);

void payments_routes(router *rt);

#endif
