/* idempotency.h - the Idempotency-Key contract of requests that move money.
 *
 * idem_begin() opens the handler's write transaction and claims the key (a
 * row without an answer yet); a replay of the same request gets the first
 * answer again (and nothing runs twice), the same key with another request
 * gets 409. A request arriving while the first is still running waits for it
 * at the claim (PostgreSQL's lock on the key's row; SQLite's one writer) and
 * is then a replay. After the work, idem_save_and_answer() keeps the answer
 * in the claimed row, in the same transaction, so the answer and the money
 * movement are committed together or not at all. */
#ifndef SALDO_IDEMPOTENCY_H
#define SALDO_IDEMPOTENCY_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

enum { IDEM_KEY_MAX = 200 };

typedef struct idem {
    const char *scope;        /* "user:12", "staff:3" */
    const char *key;
    char request_hash[65];
} idem;

/* Reads the header (400 when missing or too long). Call before the transaction. */
bool idem_start(http_request *r, const char *scope, idem *out);
/* Opens the write transaction and claims the key. True when the caller
 * should go on (inside the transaction); false when it has answered (replay,
 * conflict, store error) and nothing is open. */
bool idem_begin(http_request *r, const idem *k);
/* Stores the answer, commits the transaction and sends the answer; body is
 * stolen. On a store failure it rolls back and answers 500. */
bool idem_save_and_answer(http_request *r, const idem *k, int status, json_t *body);

#endif
