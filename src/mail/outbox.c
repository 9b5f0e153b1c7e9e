/* outbox.c - enqueueing (see outbox.h). */
#include "mail/outbox.h"

#include <time.h>

bool outbox_enqueue(db *d, const char *recipient, const char *subject, const char *body_text)
{
    return outbox_enqueue_reply_to(d, recipient, "", subject, body_text);
}

bool outbox_enqueue_reply_to(db *d, const char *recipient, const char *reply_to, const char *subject,
                             const char *body_text)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at, reply_to)"
        " VALUES ($1, $2, $3, $4, $4, $5)");
    if (!s)
        return false;
    db_bind_text(s, 1, recipient);
    db_bind_text(s, 2, subject);
    db_bind_text(s, 3, body_text);
    db_bind_int64(s, 4, now);
    db_bind_text(s, 5, reply_to);
    return db_exec1(s) == DB_DONE;
}

int64_t outbox_retry_delay_s(int64_t attempts)
{
    if (attempts < 1)
        attempts = 1;
    int64_t delay = OUTBOX_RETRY_FIRST_S;
    for (int64_t i = 1; i < attempts && delay < OUTBOX_RETRY_MAX_S; i++)
        delay *= 2;
    return delay < OUTBOX_RETRY_MAX_S ? delay : OUTBOX_RETRY_MAX_S;
}
