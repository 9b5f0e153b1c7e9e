/* cards.h - an organization's saved payment methods: cards (and wallet
 * cards) kept at the payment gateway, of which saldo stores only the token,
 * the brand, the last four digits and the expiry (table payment_methods).
 *
 * A card is recorded when a payment that asked to save it succeeds
 * (payment_sync, in its transaction), chosen for a top-up or charged by the
 * billing run off-session, made the default, or removed (at the gateway
 * first, then here; a removal at the gateway arrives as the webhook event
 * payment_method.deleted). Exactly one card of an organization is the
 * default while it has any: the first one saved becomes it, and removing the
 * default makes the newest remaining card the default. */
#ifndef SALDO_CARDS_H
#define SALDO_CARDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "feature/payments/gateway.h"
#include "http/router.h"
#include "store/db.h"

enum { CARDS_MAX = 50 }; /* saved cards listed (and offered) per organization */

typedef struct saved_card {
    int64_t id, org_id, user_id, created_at;
    char token[GATEWAY_ID_MAX + 1];
    char brand[16];
    char last4[5];
    int exp_month, exp_year;
    bool is_default;
} saved_card;

/* Records card c (token, brand, last4, expiry) saved at the gateway for
 * org_id by user_id, once per token; the organization's first becomes its
 * default. Inside the caller's write transaction. False on a store error. */
bool cards_record(db *d, int64_t org_id, int64_t user_id, const gateway_card *c, int64_t now);

/* The card id of org_id, not removed: 1 found, 0 not, -1 store error. */
int cards_get(db *d, int64_t org_id, int64_t id, saved_card *out);
/* The card id, removed or not, of any organization: 1, 0, -1. */
int cards_get_any(db *d, int64_t id, saved_card *out);
/* The card with this gateway token, not removed: 1, 0, -1. */
int cards_by_token(db *d, const char *token, saved_card *out);
/* org_id's default card: 1, 0 (none), -1. */
int cards_default(db *d, int64_t org_id, saved_card *out);
/* org_id's cards (not removed), oldest first, at most max; -1 on a store error. */
int cards_list(db *d, int64_t org_id, saved_card *out, int max);

/* Whether c's expiry month has passed at now in Italy (ZONE_PROVIDER): a card
 * works through its month. */
bool cards_expired(const saved_card *c, int64_t now);

/* Makes id org_id's default (inside the caller's write transaction): 1 done,
 * 0 no such card, -1 store error. */
int cards_set_default(db *d, int64_t org_id, int64_t id);
/* Marks c removed (inside the caller's write transaction); when it was the
 * default the newest remaining card becomes the default. 1 done, 0 it was
 * removed before, -1 store error. */
int cards_mark_removed(db *d, const saved_card *c, int64_t now);

/* What a member does (own transactions, with the organization's audit entry):
 * make c the default; remove c, at the gateway first (no transaction open
 * meanwhile; a card the gateway no longer knows is removed here too). */
bool cards_make_default(db *d, const saved_card *c, int64_t user_id);
typedef enum { CARDS_REMOVED, CARDS_REMOVE_UNAVAILABLE, CARDS_REMOVE_STORE_ERROR } cards_remove_result;
cards_remove_result cards_remove(db *d, const saldo_config *cfg, const saved_card *c, int64_t user_id);

/* {"id", "brand", "last4", "exp_month", "exp_year", "default", "expired"}. */
json_t *cards_json(const saved_card *c, int64_t now);

typedef enum { CARDS_SYNC_OK, CARDS_SYNC_UNAVAILABLE, CARDS_SYNC_STORE_ERROR } cards_sync_result;
/* A payment_method.deleted event named token (the webhook, signature checked;
 * its body is not trusted): the gateway is asked for the card's customer's
 * methods and, when token is not among them, the card is marked removed (its
 * own transaction). Idempotent: an unknown or removed token is CARDS_SYNC_OK. */
cards_sync_result cards_gateway_deleted(db *d, const saldo_config *cfg, const char *token);

/* ---- off-session charges (cards_charge.c) ---- */

struct app;
struct payment;

typedef enum {
    CARD_CHARGE_PAID,        /* succeeded: the wallet was credited (payment_sync) */
    CARD_CHARGE_DECLINED,    /* the gateway failed it (declined, 3-D Secure required, ...) */
    CARD_CHARGE_PENDING,     /* the gateway could not be reached: the same key retries it later */
    CARD_CHARGE_NO_CARD,     /* no default card, it has expired, or cards do not pay in that currency */
    CARD_CHARGE_STORE_ERROR,
} card_charge_result;

/* Charges org_id's default card (not expired; card payments offered in
 * amount's currency) off-session for amount, once per idem_key: a top-up row
 * of `payments` (method card, in the name of the member who saved the card)
 * with the card it charges (payment_method_charges), the gateway's charge,
 * then payment_sync, which credits the wallet when it succeeded. Called again
 * with the same key it charges nothing new and reports that payment's
 * outcome, or retries a charge the gateway did not answer, with the same card
 * and key. Outside any transaction (the gateway is called between
 * transactions); *out is the payment when there is one. */
card_charge_result cards_charge_default(db *d, const struct app *ap, int64_t org_id, money amount,
                                        const char *idem_key, struct payment *out);

/* ---- adding a card without a payment (cards_setup.c) ---- */

typedef struct card_setup {
    int64_t id, org_id, user_id;
    char gateway_id[GATEWAY_ID_MAX + 1];
    char redirect_url[GATEWAY_URL_MAX + 1]; /* the gateway's page where the card is typed */
} card_setup;

typedef enum {
    CARD_SETUP_STARTED,     /* waiting for the customer on the gateway's page */
    CARD_SETUP_ADDED,       /* verified and recorded (now or before) */
    CARD_SETUP_FAILED,      /* the gateway failed the verification (*failure_code) */
    CARD_SETUP_NOT_FOUND,   /* no such verification of this organization */
    CARD_SETUP_UNAVAILABLE, /* the gateway could not be reached */
    CARD_SETUP_STORE_ERROR,
} card_setup_result;

/* Starts a card verification for org_id by user_id at the gateway (back to
 * /billing/payment-methods/return) and records it as *out: CARD_SETUP_STARTED,
 * UNAVAILABLE or STORE_ERROR. Outside any transaction. */
card_setup_result cards_setup_start(db *d, const struct app *ap, int64_t org_id, int64_t user_id, card_setup *out);
/* The verification id of org_id: 1, 0, -1. */
int cards_setup_get(db *d, int64_t org_id, int64_t id, card_setup *out);
/* Asks the gateway about the verification gateway_id (recorded by
 * cards_setup_start; org_id > 0 limits it to that organization, 0 = any: the
 * webhook) and, when it succeeded, records the card once in the name of who
 * started it (own transaction, with the audit entry). *failure_code (size
 * GATEWAY_CODE_MAX + 1) says why it failed; *card is the card when added. */
card_setup_result cards_setup_finish(db *d, const saldo_config *cfg, const char *gateway_id, int64_t org_id,
                                     saved_card *card, char *failure_code);

void cards_routes(router *rt);

#endif
