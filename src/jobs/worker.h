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
#include <stdint.h>

#include "store/db.h"
#include "store/db_group.h"

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

/* A write transaction of a round on d. With g (the server's group commit,
 * db_group.h; NULL: off) it is a member of the group's transaction: one fsync
 * with the requests' writes, and no wait for SQLite's one write lock, which a
 * transaction of its own would take from the group. A statement the round
 * runs after it outside any transaction waits until the group is on disk
 * (db.h), so nothing outside is done on a write that could still vanish.
 * worker_tx_end commits (keep) or rolls back; true when committed. */
bool worker_tx_begin(db *d, db_group *g);
bool worker_tx_end(db *d, bool keep);

/* Whether sql (a query taking the time now as $1, a row when work is due;
 * keep it a literal: statements are cached by their text's address) returns
 * a row: a plain read before a round's claim, so an idle round takes no write
 * lock. */
bool worker_any_due(db *d, const char *sql, int64_t now);

/* A monotonic clock in milliseconds, for a round's own deadlines. */
int64_t worker_clock_ms(void);

#endif
