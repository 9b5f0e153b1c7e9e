/* outbox.h - mail leaves through the outbox table: a feature enqueues a message
 * in the same transaction as the change that causes it, and the worker started
 * by `saldo serve` sends it over SMTP, retrying with backoff. A message may
 * carry a file (a new invoice's PDF): it leaves as multipart/mixed. */
#ifndef SALDO_OUTBOX_H
#define SALDO_OUTBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/buf.h"
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
/* outbox_enqueue_reply_to sent with message_id as its Message-ID (without
 * <>: "local@domain", 3..250 characters; a ticket keeps the ids of its mails
 * so that a reply naming one in In-Reply-To finds it). */
bool outbox_enqueue_with_id(db *d, const char *recipient, const char *reply_to, const char *message_id,
                            const char *subject, const char *body_text);

/* Queues one message per row of a SELECT of (recipient, lang) rows whose
 * only parameter is $1 = ref, in one statement whatever their number (a
 * status announcement to every organization): pass OUTBOX_EACH_SQL(that
 * SELECT) (a string literal, as db_prepare wants). A row whose lang is "it"
 * gets subject[1] and body[1], any other subject[0] and body[0]; rows with an
 * empty recipient are skipped. Inside the caller's write transaction; returns
 * how many were queued, -1 on a store error. */
#define OUTBOX_EACH_SQL(rows)                                                                                   \
    "WITH q AS (" rows ") INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at)"      \
    " SELECT q.recipient, CASE WHEN q.lang = 'it' THEN $2 ELSE $3 END,"                                          \
    " CASE WHEN q.lang = 'it' THEN $4 ELSE $5 END, $6, $6 FROM q WHERE q.recipient <> ''"
int64_t outbox_enqueue_each(db *d, const char *each_sql, int64_t ref, const char *const subject[2],
                            const char *const body[2]);

enum { OUTBOX_FILENAME_MAX = 100, OUTBOX_CONTENT_TYPE_MAX = 100, OUTBOX_ATTACHMENT_BYTES_MAX = 10 * 1000 * 1000 };

typedef struct outbox_attachment {
    const char *filename;     /* 1..OUTBOX_FILENAME_MAX of A-Z a-z 0-9 . - _, not starting with '.' */
    const char *content_type; /* "type/subtype" in lower case: "application/pdf" */
    const void *data;
    size_t len;               /* 1..OUTBOX_ATTACHMENT_BYTES_MAX */
} outbox_attachment;

/* True when a's name, type and size are as outbox_attachment requires. */
bool outbox_attachment_ok(const outbox_attachment *a);

/* outbox_enqueue with a file attached. Call it inside the caller's write
 * transaction (asserted): false when the attachment is not
 * outbox_attachment_ok (nothing written) or a statement fails (the caller
 * rolls back). */
bool outbox_enqueue_with_attachment(db *d, const char *recipient, const char *subject, const char *body_text,
                                    const outbox_attachment *a);

/* outbox_enqueue with a file made when the message is sent, not now: the
 * worker's renderer turns (kind, ref) into the file (a document's PDF: made
 * at send time, so that a billing run issuing a million invoices neither
 * renders nor stores a million PDFs in its transactions): one file per ref,
 * 1..OUTBOX_FILES_MAX of them. Inside the caller's write transaction; kind
 * is 1..32 characters. */
enum { OUTBOX_FILES_MAX = 4 }; /* files one message carries at most */
bool outbox_enqueue_with_rendered(db *d, const char *recipient, const char *subject, const char *body_text,
                                  const char *kind, const int64_t *refs, size_t n);

/* Makes the file of (kind, ref) on d: its bytes appended to data, its name
 * (outbox_attachment's rules) and type. False when it cannot: the message
 * waits and is tried again, as after an SMTP failure. */
typedef struct outbox_renderer {
    bool (*render)(void *ctx, db *d, const char *kind, int64_t ref, buf *data, char *filename, size_t filename_size,
                   const char **content_type);
    void *ctx;
} outbox_renderer;

struct db_group;
typedef struct outbox_worker outbox_worker;
/* Starts a thread that sends due messages through smtp_url as mail_from,
 * making rendered files with renderer (NULL: a message with one fails); with
 * an empty smtp_url, messages stay pending (nothing is lost). With group (the
 * server's group commit; NULL: off) its write transactions are members of the
 * group's; the caller stops the group after the worker. */
outbox_worker *outbox_worker_start(const char *db_url, const char *smtp_url, const char *mail_from,
                                   const outbox_renderer *renderer, struct db_group *group);
/* Asks the worker to look at the outbox now instead of at its next tick. */
void outbox_worker_poke(outbox_worker *w);
void outbox_worker_stop(outbox_worker *w);

#endif
