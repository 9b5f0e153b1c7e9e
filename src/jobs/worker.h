/* worker.h - a background thread with its own database connection that does
 * rounds of work: the outbox sender, the provisioner, the billing scheduler
 * and the sandbox gateway's event deliverer are each one.
 *
 * A round runs at start, again at once when it says more work is waiting,
 * else when the interval has passed or worker_poke wakes it. worker_stop wakes
 * the thread and joins it; a long round can end early by asking
 * worker_stopping between two steps. */
#ifndef SALDO_WORKER_H
#define SALDO_WORKER_H

#include <stdbool.h>

#include "store/db.h"

typedef struct worker worker;

/* One round of work on d; true when more is waiting right now. */
typedef bool (*worker_round)(worker *w, db *d, void *ctx);

/* Starts the thread named name (for the logs), which opens db_url and calls
 * round(w, d, ctx) every interval_ms. NULL when the thread cannot start. */
worker *worker_start(const char *name, const char *db_url, int interval_ms, worker_round round, void *ctx);
/* Runs the next round now (NULL is ignored). */
void worker_poke(worker *w);
/* True once worker_stop was called. */
bool worker_stopping(worker *w);
/* Stops and joins the thread, and frees w (NULL is ignored). */
void worker_stop(worker *w);

#endif
