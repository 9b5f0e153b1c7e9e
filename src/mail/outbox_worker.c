/* outbox_worker.c - the thread of `saldo serve` that sends the outbox.
 *
 * Each round claims a batch of due messages by pushing their next attempt a
 * lease into the future (in one write transaction, so two workers never claim
 * the same message), sends them, then marks each sent, or reschedules it with
 * exponential backoff until OUTBOX_ATTEMPTS_MAX, after which it is failed.
 * The outcomes are written together, one write transaction per batch (or per
 * OUTBOX_FLUSH_MS of slow sending), as a member of the server's group commit
 * when it has one (worker.h). A message's attached files are read when it is
 * sent. */
#include "mail/outbox.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs/worker.h"
#include "lib/log.h"
#include "mail/smtp.h"

enum { OUTBOX_LEASE_S = 300, OUTBOX_TICK_MS = 1000, OUTBOX_FLUSH_MS = 1000 };

/* A message's sending, waiting to be recorded with the others of its batch. */
typedef struct outcome {
    int64_t id, attempts;
    bool sent;
    char error[256];
} outcome;

struct outbox_worker {
    worker *w;
    char smtp_url[512], mail_from[256];
    outbox_renderer renderer; /* .render NULL: none */
    db_group *group;          /* NULL: group commit off */
    outcome done[OUTBOX_BATCH_MAX];
};

typedef struct claimed {
    int64_t id;
    int64_t attempts;
    char *recipient, *subject, *body, *reply_to, *message_id;
} claimed;

static int claim_batch(outbox_worker *w, db *d, claimed *out, int max)
{
    int64_t now = (int64_t)time(NULL);
    static const char due_sql[] = "SELECT 1 FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 LIMIT 1";
    if (!worker_any_due(d, due_sql, now) || !worker_tx_begin(d, w->group))
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
    if (!worker_tx_end(d, true)) {
        for (int i = 0; i < n; i++)
            free(out[i].recipient), free(out[i].subject), free(out[i].body), free(out[i].reply_to),
                free(out[i].message_id);
        return 0;
    }
    return n;
}

static bool record_outcome(db *d, const outcome *o)
{
    int64_t now = (int64_t)time(NULL);
    int64_t backoff = outbox_retry_delay_s(o->attempts);
    db_stmt *s = db_prepare(d,
        "UPDATE outbox SET status = $1, sent_at = $2, last_error = $3, next_attempt_at = $4 WHERE id = $5");
    if (!s)
        return false;
    db_bind_text(s, 1, o->sent ? "sent" : o->attempts >= OUTBOX_ATTEMPTS_MAX ? "failed" : "pending");
    if (o->sent) db_bind_int64(s, 2, now); else db_bind_null(s, 2);
    db_bind_text(s, 3, o->sent ? NULL : o->error);
    db_bind_int64(s, 4, now + backoff);
    db_bind_int64(s, 5, o->id);
    return db_exec1(s) == DB_DONE;
}

/* Records outcomes in one write transaction. When it cannot commit nothing is
 * recorded: the leases run out and those messages are sent again. */
static void record_all(outbox_worker *w, db *d, int n)
{
    if (n == 0 || !worker_tx_begin(d, w->group))
        return;
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = record_outcome(d, &w->done[i]);
    if (!worker_tx_end(d, ok))
        log_error("outbox", "msg=\"could not record %d outcomes: those messages go again after the lease\"", n);
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
        assert(f->n < OUTBOX_FILES_MAX);
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
        assert(n < OUTBOX_FILES_MAX - f->n); /* the LIMIT */
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

/* Sends one claimed message; its outcome into *o. */
static void send_one(outbox_worker *w, db *d, const claimed *m, outcome *o)
{
    *o = (outcome){.id = m->id, .attempts = m->attempts};
    files f;
    files_load(d, m->id, &f);
    o->sent = files_render(&w->renderer, d, m->id, &f);
    if (!o->sent)
        snprintf(o->error, sizeof o->error, "an attachment could not be made");
    else
        o->sent = smtp_send(w->smtp_url, w->mail_from, m->recipient, m->reply_to, m->message_id, m->subject, m->body,
                            f.a, f.n, o->error, sizeof o->error);
    files_free(&f);
    if (o->sent)
        log_info("mail_sent", "outbox_id=%lld", (long long)m->id);
    else
        log_warn("mail_failed", "outbox_id=%lld attempt=%lld error=\"%s\"", (long long)m->id, (long long)m->attempts,
                 o->error);
}

/* Sends one batch; true when it was full (more may be due). */
static bool send_round(worker *wk, db *d, void *ctx)
{
    (void)wk;
    outbox_worker *w = ctx;
    claimed batch[OUTBOX_BATCH_MAX];
    int n = claim_batch(w, d, batch, OUTBOX_BATCH_MAX), pending = 0;
    int64_t first_ms = 0;
    for (int i = 0; i < n; i++) {
        send_one(w, d, &batch[i], &w->done[pending]);
        free(batch[i].recipient), free(batch[i].subject), free(batch[i].body), free(batch[i].reply_to),
            free(batch[i].message_id);
        if (pending++ == 0)
            first_ms = worker_clock_ms();
        if (worker_clock_ms() - first_ms >= OUTBOX_FLUSH_MS) {
            record_all(w, d, pending);
            pending = 0;
        }
    }
    record_all(w, d, pending);
    return n == OUTBOX_BATCH_MAX;
}

outbox_worker *outbox_worker_start(const char *db_url, const char *smtp_url, const char *mail_from,
                                   const outbox_renderer *renderer, db_group *group)
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
    w->group = group;
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
