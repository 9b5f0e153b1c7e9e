/* outbox.h - mail leaves through the outbox table: a feature enqueues a message
 * in the same transaction as the change that causes it, and the worker started
 * by `saldo serve` sends it over SMTP, retrying with backoff. */
#ifndef SALDO_OUTBOX_H
#define SALDO_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum { OUTBOX_ATTEMPTS_MAX = 8, OUTBOX_BATCH_MAX = 32 };

bool outbox_enqueue(db *d, const char *recipient, const char *subject, const char *body_text);

typedef struct outbox_worker outbox_worker;
/* Starts a thread that sends due messages through smtp_url as mail_from; with an
 * empty smtp_url, messages stay pending (nothing is lost). */
outbox_worker *outbox_worker_start(const char *db_url, const char *smtp_url, const char *mail_from);
/* Asks the worker to look at the outbox now instead of at its next tick. */
void outbox_worker_poke(outbox_worker *w);
void outbox_worker_stop(outbox_worker *w);

#endif
