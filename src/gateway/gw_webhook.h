/* gw_webhook.h - the gateway's background worker (webhook deliveries and
 * crypto confirmations) and the webhook signature scheme. */
#ifndef SALDO_GW_WEBHOOK_H
#define SALDO_GW_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/gw.h"
#include "jobs/worker.h"

/* Starts the worker with its own connection to db_url; NULL on failure.
 * worker_stop stops it after the delivery in progress (if any). */
worker *gw_worker_start(const char *db_url);
/* "t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>" into out (>= 80 bytes). */
void gw_signature(const char *secret, int64_t t, const char *body, char *out, size_t out_size);

#endif
