/* gateway.h - what saldo needs of a payment gateway, as a vtable, so the
 * sandbox adapter (gateway_sandbox.c, over HTTP with libcurl) and a real
 * gateway's adapter are interchangeable. Only what is used today is declared:
 * creating a payment on the customer's session, reading one back, and
 * refunding part of a succeeded one (src/feature/refunds). */
#ifndef SALDO_GATEWAY_H
#define SALDO_GATEWAY_H

#include <stdbool.h>
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

typedef struct gateway_payment {
    char id[GATEWAY_ID_MAX + 1];
    gateway_status status;
    char currency[4];
    int64_t amount_minor;
    char customer[GATEWAY_ID_MAX + 1];
    char redirect_url[GATEWAY_URL_MAX + 1];   /* "" when none */
    char failure_code[GATEWAY_CODE_MAX + 1];  /* "" when none */
} gateway_payment;

typedef struct gateway_create {
    const char *method;          /* card, wallet, paypal, crypto */
    const char *currency;
    int64_t amount_minor;
    const char *customer;        /* saldo's opaque customer id: "org_<id>" */
    const char *return_url;
    const char *idempotency_key; /* the same key for the same payment, always */
} gateway_create;

/* A refund the gateway made. */
typedef struct gateway_refund {
    char id[GATEWAY_ID_MAX + 1];
    char payment_id[GATEWAY_ID_MAX + 1];
    char currency[4];
    int64_t amount_minor;
} gateway_refund;

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
} gateway;

/* The configured gateway, NULL when gateway.url is not set. */
const gateway *gateway_get(const saldo_config *cfg);

#endif
