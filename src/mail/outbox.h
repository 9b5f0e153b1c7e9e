/* outbox.h - mail leaves through the outbox table: a feature enqueues a message
 * in the same transaction as the change that causes it, and the worker started
 * by `saldo serve` sends it over SMTP, retrying with backoff. */
#ifndef SALDO_OUTBOX_H
#define SALDO_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum { OUTBOX_ATTEMPTS_MAX = 8, OUTBOX_BATCH_MAX = 32, OUTBOX_RETRY_FIRST_S = 10, OUTBOX_RETRY_MAX_S = 6 * 3600 };

/* Seconds to wait after the attempts-th failed attempt: 10 s, doubling, at most
 * six hours (10 s, 20 s, 40 s, ... over OUTBOX_ATTEMPTS_MAX attempts). */
int64_t outbox_retry_delay_s(int64_t attempts);

bool outbox_enqueue(db *d, const char *recipient, const char *subject, const char *body_text);
/* outbox_enqueue with a Reply-To address (replies to a support ticket carry
 * its token there). */
bool outbox_enqueue_reply_to(db *d, const char *recipient, const char *reply_to, const char *subject,
                             const char *body_text);

typedef struct outbox_worker outbox_worker;
/* Starts a thread that sends due messages through smtp_url as mail_from; with an
 * empty smtp_url, messages stay pending (nothing is lost). */
outbox_worker *outbox_worker_start(const char *db_url, const char *smtp_url, const char *mail_from);
/* Asks the worker to look at the outbox now instead of at its next tick. */
void outbox_worker_poke(outbox_worker *w);
void outbox_worker_stop(outbox_worker *w);

#endif
