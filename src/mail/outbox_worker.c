/* outbox_worker.c - the thread of `saldo serve` that sends the outbox.
 *
 * Each round claims a batch of due messages by pushing their next attempt a
 * lease into the future (in one write transaction, so two workers never claim
 * the same message), sends them, then marks each sent, or reschedules it with
 * exponential backoff until OUTBOX_ATTEMPTS_MAX, after which it is failed.
 * A message's attached files are read when it is sent. */
#include "mail/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/worker.h"
#include "lib/log.h"
#include "mail/smtp.h"

enum { OUTBOX_LEASE_S = 300, OUTBOX_TICK_MS = 1000 };

struct outbox_worker {
    worker *w;
    char smtp_url[512], mail_from[256];
    outbox_renderer renderer; /* .render NULL: none */
};

typedef struct claimed {
    int64_t id;
    int64_t attempts;
    char *recipient, *subject, *body, *reply_to, *message_id;
} claimed;

static int claim_batch(db *d, claimed *out, int max)
{
    int64_t now = (int64_t)time(NULL);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return 0;
    /* The due ids first (a CTE: evaluated once, where PostgreSQL may run an
     * IN (subquery) with a row lock again per row and claim more than asked);
     * on PostgreSQL a node skips the rows another node is claiming (SKIP
     * LOCKED) instead of waiting for its commit; SQLite has one writer. */
#define CLAIM(lock)                                                                                                 \
    "WITH due AS (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2" lock \
    ") UPDATE outbox SET next_attempt_at = CAST($1 AS BIGINT) + CAST($3 AS BIGINT), attempts = attempts + 1"       \
    " WHERE id IN (SELECT id FROM due) AND status = 'pending' AND next_attempt_at <= $1"                           \
    " RETURNING id, attempts, recipient, subject, body_text, reply_to, message_id"
    static const char sql_sqlite[] = CLAIM(""), sql_pg[] = CLAIM(" FOR UPDATE SKIP LOCKED");
#undef CLAIM
    db_stmt *s = db_prepare(d, strcmp(db_driver_name(d), "sqlite") ? sql_pg : sql_sqlite);
    int n = 0;
    if (s) {
        db_bind_int64(s, 1, now);
        db_bind_int64(s, 2, max);
        db_bind_int64(s, 3, OUTBOX_LEASE_S);
        while (n < max && db_step(s) == DB_ROW) {
            out[n] = (claimed){db_col_int64(s, 0), db_col_int64(s, 1), strdup(db_col_text(s, 2)),
                               strdup(db_col_text(s, 3)), strdup(db_col_text(s, 4)),
                               strdup(db_col_text(s, 5)), strdup(db_col_text(s, 6))};
            n++;
        }
        db_done(s);
    }
    if (db_commit(d) != DB_OK) {
        for (int i = 0; i < n; i++)
            free(out[i].recipient), free(out[i].subject), free(out[i].body), free(out[i].reply_to),
                free(out[i].message_id);
        return 0;
    }
    return n;
}

static void record_outcome(db *d, const claimed *m, bool sent, const char *error)
{
    int64_t now = (int64_t)time(NULL);
    int64_t backoff = outbox_retry_delay_s(m->attempts);
    db_stmt *s = db_prepare(d,
        "UPDATE outbox SET status = $1, sent_at = $2, last_error = $3, next_attempt_at = $4 WHERE id = $5");
    if (!s)
        return;
    db_bind_text(s, 1, sent ? "sent" : m->attempts >= OUTBOX_ATTEMPTS_MAX ? "failed" : "pending");
    if (sent) db_bind_int64(s, 2, now); else db_bind_null(s, 2);
    db_bind_text(s, 3, sent ? NULL : error);
    db_bind_int64(s, 4, now + backoff);
    db_bind_int64(s, 5, m->id);
    db_exec1(s);
}

typedef struct files {
    smtp_attachment a[OUTBOX_FILES_MAX];
    size_t n;
} files;

static void files_load(db *d, int64_t outbox_id, files *f)
{
    f->n = 0;
    db_stmt *s = db_prepare(d, "SELECT filename, content_type, data_base64 FROM outbox_attachments"
                               " WHERE outbox_id = $1 ORDER BY id LIMIT $2");
    if (!s)
        return;
    db_bind_int64(s, 1, outbox_id);
    db_bind_int64(s, 2, OUTBOX_FILES_MAX);
    while (f->n < OUTBOX_FILES_MAX && db_step(s) == DB_ROW) {
        f->a[f->n] = (smtp_attachment){strdup(db_col_text(s, 0)), strdup(db_col_text(s, 1)), strdup(db_col_text(s, 2))};
        if (!f->a[f->n].filename || !f->a[f->n].content_type || !f->a[f->n].data_base64)
            abort();
        f->n++;
    }
    db_done(s);
}

/* Makes one rendered file into f; false when the renderer cannot. */
static bool render_one(const outbox_renderer *rd, db *d, const char *kind, int64_t ref, files *f)
{
    buf data;
    buf_init(&data, OUTBOX_ATTACHMENT_BYTES_MAX);
    char name[OUTBOX_FILENAME_MAX + 1];
    const char *type = NULL;
    bool ok = rd->render && rd->render(rd->ctx, d, kind, ref, &data, name, sizeof name, &type) && data.len > 0;
    outbox_attachment a = {name, type, data.data, data.len};
    if (ok && (ok = outbox_attachment_ok(&a))) {
        size_t size = sodium_base64_ENCODED_LEN(data.len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(size);
        if (!b64)
            abort();
        sodium_bin2base64(b64, size, (const unsigned char *)data.data, data.len, sodium_base64_VARIANT_ORIGINAL);
        f->a[f->n++] = (smtp_attachment){strdup(name), strdup(type), b64};
    }
    buf_free(&data);
    return ok;
}

/* Adds the files made at send time; false (with what was made kept in f for
 * files_free) when one cannot be made. */
static bool files_render(const outbox_renderer *rd, db *d, int64_t outbox_id, files *f)
{
    db_stmt *s = db_prepare(d, "SELECT kind, ref FROM outbox_rendered WHERE outbox_id = $1 ORDER BY id LIMIT $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, outbox_id);
    db_bind_int64(s, 2, (int64_t)(OUTBOX_FILES_MAX - f->n));
    typedef struct { char kind[33]; int64_t ref; } wanted;
    wanted w[OUTBOX_FILES_MAX];
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        snprintf(w[n].kind, sizeof w[n].kind, "%s", db_col_text(s, 0));
        w[n++].ref = db_col_int64(s, 1);
    }
    db_done(s);
    bool ok = st == DB_DONE;
    for (size_t i = 0; ok && i < n; i++)
        ok = render_one(rd, d, w[i].kind, w[i].ref, f);
    return ok;
}

static void files_free(files *f)
{
    for (size_t i = 0; i < f->n; i++)
        free((char *)f->a[i].filename), free((char *)f->a[i].content_type), free((char *)f->a[i].data_base64);
    f->n = 0;
}

/* Sends one batch; true when it was full (more may be due). */
static bool send_round(worker *wk, db *d, void *ctx)
{
    (void)wk;
    outbox_worker *w = ctx;
    claimed batch[OUTBOX_BATCH_MAX];
    int n = claim_batch(d, batch, OUTBOX_BATCH_MAX);
    for (int i = 0; i < n; i++) {
        char err[256] = "";
        files f;
        files_load(d, batch[i].id, &f);
        bool ok = files_render(&w->renderer, d, batch[i].id, &f);
        if (!ok)
            snprintf(err, sizeof err, "an attachment could not be made");
        else
            ok = smtp_send(w->smtp_url, w->mail_from, batch[i].recipient, batch[i].reply_to, batch[i].message_id,
                           batch[i].subject, batch[i].body, f.a, f.n, err, sizeof err);
        files_free(&f);
        if (ok)
            log_info("mail_sent", "outbox_id=%lld", (long long)batch[i].id);
        else
            log_warn("mail_failed", "outbox_id=%lld attempt=%lld error=\"%s\"", (long long)batch[i].id,
                     (long long)batch[i].attempts, err);
        record_outcome(d, &batch[i], ok, err);
        free(batch[i].recipient), free(batch[i].subject), free(batch[i].body), free(batch[i].reply_to),
            free(batch[i].message_id);
    }
    return n == OUTBOX_BATCH_MAX;
}

outbox_worker *outbox_worker_start(const char *db_url, const char *smtp_url, const char *mail_from,
                                   const outbox_renderer *renderer)
{
    if (!smtp_url || !*smtp_url) {
        log_warn("outbox", "msg=\"no smtp_url configured: mail stays in the outbox\"");
        return NULL;
    }
    outbox_worker *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    snprintf(w->smtp_url, sizeof w->smtp_url, "%s", smtp_url);
    snprintf(w->mail_from, sizeof w->mail_from, "%s", mail_from);
    if (renderer)
        w->renderer = *renderer;
    w->w = worker_start("outbox", db_url, OUTBOX_TICK_MS, send_round, w);
    if (!w->w) {
        free(w);
        return NULL;
    }
    return w;
}

void outbox_worker_poke(outbox_worker *w)
{
    if (w)
        worker_poke(w->w);
}

void outbox_worker_stop(outbox_worker *w)
{
    if (!w)
        return;
    worker_stop(w->w);
    free(w);
}
