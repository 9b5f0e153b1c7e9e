/* outbox.c - enqueueing (see outbox.h). */
#include "mail/outbox.h"

#include <time.h>

bool outbox_enqueue(db *d, const char *recipient, const char *subject, const char *body_text)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at)"
        " VALUES ($1, $2, $3, $4, $4)");
    if (!s)
        return false;
    db_bind_text(s, 1, recipient);
    db_bind_text(s, 2, subject);
    db_bind_text(s, 3, body_text);
    db_bind_int64(s, 4, now);
    return db_exec1(s) == DB_DONE;
}
