/* gateway.h - what saldo needs of a payment gateway, as a vtable, so the
 * sandbox adapter (gateway_sandbox.c, over HTTP with libcurl) and a real
 * gateway's adapter are interchangeable. Only what is used today is declared:
 * creating a payment (on the customer's session, or off-session with a saved
 * method), reading one back, refunding part of a succeeded one
 * (src/feature/refunds), listing or deleting a customer's saved methods (the
 * gateway keeps the card; saldo keeps its token), and verifying a card to
 * save it without a payment (src/feature/cards). */
#ifndef SALDO_GATEWAY_H
#define SALDO_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/config.h"

#define GATEWAY_ID_MAX 64      /* "pay_" + 24 hex digits, with room */
#define GATEWAY_URL_MAX 1023
#define GATEWAY_CODE_MAX 63

typedef enum {
    GATEWAY_OK,
    GATEWAY_REFUSED,      /* the gateway answered 4xx: the request itself is wrong */
    GATEWAY_UNAVAILABLE,  /* no answer, a timeout, a 5xx or an answer we cannot read */
} gateway_result;

/* The gateway's state of a payment; "requires_action" and "processing" are
 * both still pending for saldo. */
typedef enum { GW_PENDING, GW_SUCCEEDED, GW_FAILED, GW_CANCELED } gateway_status;

/* A saved method as the gateway describes it: never a card number. */
typedef struct gateway_card {
    char token[GATEWAY_ID_MAX + 1]; /* "pm_..."; "" when unknown */
    char brand[16];                 /* visa, mastercard, amex, unknown */
    char last4[5];
    int exp_month, exp_year;
} gateway_card;

#define GATEWAY_METHODS_MAX 100

typedef struct gateway_payment {
    char id[GATEWAY_ID_MAX + 1];
    gateway_status status;
    char currency[4];
    int64_t amount_minor;
    char customer[GATEWAY_ID_MAX + 1];
    char redirect_url[GATEWAY_URL_MAX + 1];   /* "" when none */
    char failure_code[GATEWAY_CODE_MAX + 1];  /* "" when none */
    gateway_card card;  /* the card used (brand "" when none); token: the method saved or charged, else "" */
} gateway_payment;

typedef struct gateway_create {
    const char *method;          /* card, wallet, paypal, crypto */
    const char *currency;
    int64_t amount_minor;
    const char *customer;        /* saldo's opaque customer id: "org_<id>" */
    const char *return_url;
    const char *idempotency_key; /* the same key for the same payment, always */
    bool save_method;            /* save the card (or wallet card) for customer (card, wallet only) */
    const char *payment_method;  /* a saved token: charged off-session, decided at once; NULL = on session */
} gateway_create;

/* A refund the gateway made. */
typedef struct gateway_refund {
    char id[GATEWAY_ID_MAX + 1];
    char payment_id[GATEWAY_ID_MAX + 1];
    char currency[4];
    int64_t amount_minor;
} gateway_refund;
/* A card verification (a setup): the customer types a card on the gateway's
 * page, it is checked (3-D Secure included) and saved; no money moves. */
typedef struct gateway_setup {
    char id[GATEWAY_ID_MAX + 1];
    gateway_status status;                    /* GW_PENDING, GW_SUCCEEDED or GW_FAILED */
    char customer[GATEWAY_ID_MAX + 1];
    char redirect_url[GATEWAY_URL_MAX + 1];   /* "" when none */
    char failure_code[GATEWAY_CODE_MAX + 1];  /* "" when none */
    gateway_card card;                        /* once succeeded: the card saved, with its token */
} gateway_setup;

typedef struct gateway {
    const char *name;            /* "sandbox": the ledger account is "gateway:<name>" */
    gateway_result (*create_payment)(const saldo_config *cfg, const gateway_create *in, gateway_payment *out);
    gateway_result (*get_payment)(const saldo_config *cfg, const char *id, gateway_payment *out);
    /* Refunds amount_minor of currency of payment_id; the same idempotency_key
     * for the same refund, always (a retry then gets the first answer). On
     * GATEWAY_REFUSED, refused holds the gateway's error code. */
    gateway_result (*refund)(const saldo_config *cfg, const char *payment_id, const char *currency,
                             int64_t amount_minor, const char *idempotency_key, gateway_refund *out,
                             char refused[GATEWAY_CODE_MAX + 1]);
    /* customer's saved methods, oldest first, at most max (*n of them). */
    gateway_result (*list_methods)(const saldo_config *cfg, const char *customer, gateway_card *out, size_t max,
                                   size_t *n);
    /* Deletes a saved method: GATEWAY_REFUSED when the gateway does not know it (or it was deleted). */
    gateway_result (*delete_method)(const saldo_config *cfg, const char *token);
    /* Starts a card verification for customer, back to return_url afterwards. */
    gateway_result (*create_setup)(const saldo_config *cfg, const char *customer, const char *return_url,
                                   const char *idempotency_key, gateway_setup *out);
    gateway_result (*get_setup)(const saldo_config *cfg, const char *id, gateway_setup *out);
} gateway;

/* The configured gateway, NULL when gateway.url is not set. */
const gateway *gateway_get(const saldo_config *cfg);

#endif
