/* invoices_archive.c - see invoices_archive.h. */
#include "feature/invoices/invoices_archive.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/invoices/invoice_files.h"
#include "http/field.h"
#include "lib/arena.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

/* The organization's document ids, oldest first, into *ids (malloc'd) and the
 * newest one's language into lang; how many, -1 on a store error. */
static int document_ids(db *d, int64_t org_id, int64_t **ids, char lang[3])
{
    db_stmt *s = db_prepare(d, "SELECT id, language FROM documents WHERE org_id = $1 ORDER BY id LIMIT $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, INVOICES_ARCHIVE_DOCS_MAX);
    int n = 0;
    *ids = malloc(sizeof **ids * INVOICES_ARCHIVE_DOCS_MAX);
    if (!*ids)
        abort();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        (*ids)[n++] = db_col_int64(s, 0);
        snprintf(lang, 3, "%s", db_col_text(s, 1));
    }
    db_done(s);
    return st == DB_DONE ? n : -1;
}

/* One mail of the archive: part (1-based) of parts, with files refs[0..n). */
static bool queue_part(db *d, const app *ap, arena *a, const char *to, const char *lang, int part, int parts,
                       const int64_t *refs, size_t n)
{
    json_t *data = json_pack("{s:i, s:i, s:b, s:i, s:s}", "part", part, "parts", parts, "several", parts > 1, "files",
                             (int)n, "provider", ap->cfg->provider.name);
    const char *subject, *body;
    bool ok = data && mail_render(ap, a, "documents_archive", lang, data, &subject, &body) &&
              outbox_enqueue_with_rendered(d, to, subject, body, INVOICE_FILE_PDF, refs, n);
    json_decref(data);
    return ok;
}

bool invoices_mail_archive(db *d, const app *ap, int64_t org_id, int *mails)
{
    assert(db_in_tx(d));
    *mails = 0;
    char to[FIELD_EMAIL_MAX + 1], lang[3] = "en";
    int found = notify_address(d, org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0;
    int64_t *ids = NULL;
    int n = document_ids(d, org_id, &ids, lang);
    int parts = n > 0 ? (n + OUTBOX_FILES_MAX - 1) / OUTBOX_FILES_MAX : 0;
    arena *a = arena_new();
    bool ok = n >= 0;
    for (int p = 0; ok && p < parts; p++) {
        size_t first = (size_t)p * OUTBOX_FILES_MAX, count = (size_t)n - first;
        ok = queue_part(d, ap, a, to, lang, p + 1, parts, ids + first, count < OUTBOX_FILES_MAX ? count : OUTBOX_FILES_MAX);
    }
    arena_free(a);
    free(ids);
    *mails = ok ? parts : 0;
    return ok;
}

bool invoices_cancel_proformas(db *d, int64_t org_id)
{
    assert(db_in_tx(d));
    db_stmt *s = db_prepare(d, "UPDATE documents SET status = 'cancelled'"
                               " WHERE org_id = $1 AND kind = 'proforma' AND status = 'unpaid'");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    return db_exec1(s) == DB_DONE;
}
