/* outbox.c - enqueueing (see outbox.h). */
#include "mail/outbox.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool outbox_enqueue(db *d, const char *recipient, const char *subject, const char *body_text)
{
    return outbox_enqueue_reply_to(d, recipient, "", subject, body_text);
}

bool outbox_enqueue_reply_to(db *d, const char *recipient, const char *reply_to, const char *subject,
                             const char *body_text)
{
    return outbox_enqueue_with_id(d, recipient, reply_to, "", subject, body_text);
}

bool outbox_enqueue_with_id(db *d, const char *recipient, const char *reply_to, const char *message_id,
                            const char *subject, const char *body_text)
{
    assert(message_id && (!*message_id || (strlen(message_id) >= 3 && strlen(message_id) <= 250 &&
                                           strchr(message_id, '@') && !strpbrk(message_id, "<> \r\n"))));
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at, reply_to, message_id)"
        " VALUES ($1, $2, $3, $4, $4, $5, $6)");
    if (!s)
        return false;
    db_bind_text(s, 1, recipient);
    db_bind_text(s, 2, subject);
    db_bind_text(s, 3, body_text);
    db_bind_int64(s, 4, now);
    db_bind_text(s, 5, reply_to);
    db_bind_text(s, 6, message_id);
    return db_exec1(s) == DB_DONE;
}

int64_t outbox_enqueue_each(db *d, const char *each_sql, int64_t ref, const char *const subject[2],
                            const char *const body[2])
{
    assert(db_in_tx(d) && each_sql);
    db_stmt *s = db_prepare(d, each_sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, ref);
    db_bind_text(s, 2, subject[1]);
    db_bind_text(s, 3, subject[0]);
    db_bind_text(s, 4, body[1]);
    db_bind_text(s, 5, body[0]);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE ? db_changes(d) : -1;
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

static bool filename_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > OUTBOX_FILENAME_MAX || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_", s[i]))
            return false;
    return true;
}

static bool content_type_ok(const char *s)
{
    size_t n = strlen(s);
    const char *slash = strchr(s, '/');
    if (n < 3 || n > OUTBOX_CONTENT_TYPE_MAX || !slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789/.+-", s[i]))
            return false;
    return true;
}

bool outbox_attachment_ok(const outbox_attachment *a)
{
    return a && a->filename && a->content_type && a->data && filename_ok(a->filename) &&
           content_type_ok(a->content_type) && a->len >= 1 && a->len <= OUTBOX_ATTACHMENT_BYTES_MAX;
}

/* The message's row; its id, 0 on a store error. */
static int64_t insert_message(db *d, const char *recipient, const char *subject, const char *body_text)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO outbox (recipient, subject, body_text, next_attempt_at, created_at)"
        " VALUES ($1, $2, $3, $4, $4) RETURNING id");
    if (!s)
        return 0;
    db_bind_text(s, 1, recipient);
    db_bind_text(s, 2, subject);
    db_bind_text(s, 3, body_text);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

static bool insert_attachment(db *d, int64_t outbox_id, const outbox_attachment *a)
{
    size_t b64_size = sodium_base64_ENCODED_LEN(a->len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(b64_size);
    if (!b64)
        abort();
    sodium_bin2base64(b64, b64_size, a->data, a->len, sodium_base64_VARIANT_ORIGINAL);
    db_stmt *s = db_prepare(d,
        "INSERT INTO outbox_attachments (outbox_id, filename, content_type, size_bytes, data_base64)"
        " VALUES ($1, $2, $3, $4, $5)");
    bool ok = false;
    if (s) {
        db_bind_int64(s, 1, outbox_id);
        db_bind_text(s, 2, a->filename);
        db_bind_text(s, 3, a->content_type);
        db_bind_int64(s, 4, (int64_t)a->len);
        db_bind_text(s, 5, b64);
        ok = db_exec1(s) == DB_DONE;
    }
    free(b64);
    return ok;
}

bool outbox_enqueue_with_attachment(db *d, const char *recipient, const char *subject, const char *body_text,
                                    const outbox_attachment *a)
{
    assert(db_in_tx(d));
    if (!outbox_attachment_ok(a))
        return false;
    int64_t id = insert_message(d, recipient, subject, body_text);
    return id > 0 && insert_attachment(d, id, a);
}

bool outbox_enqueue_with_rendered(db *d, const char *recipient, const char *subject, const char *body_text,
                                  const char *kind, const int64_t *refs, size_t n)
{
    assert(db_in_tx(d) && kind && *kind && strlen(kind) <= 32 && n >= 1 && n <= OUTBOX_FILES_MAX);
    int64_t id = insert_message(d, recipient, subject, body_text);
    if (id <= 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO outbox_rendered (outbox_id, kind, ref) VALUES ($1, $2, $3)");
        if (!s)
            return false;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, kind);
        db_bind_int64(s, 3, refs[i]);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}
