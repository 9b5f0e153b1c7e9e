/* support_mail_in.c - the rules of email to ticket (see support_mail_in.h and
 * docs/SUPPORT.md "Mail-in"): the token of support+<token>@ finds the ticket,
 * or, without one, the ticket of the mail we sent that its In-Reply-To or
 * References names (support_mail_ids); the sender must be a member of its organization who may see it (or its
 * support or billing notification address, where its mails go); a new mail
 * from a customer's address opens a ticket in the department named by the
 * local part of the address it was sent to; anybody else gets one auto-reply
 * a day (support_mail_in_replies); auto-replies and bounces are never
 * answered, so that two robots cannot loop. */
#include "feature/support/support_mail_in.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/support/support_internal.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

enum { MAIL_IN_REF_MAX = 250, MAIL_IN_REFS_MAX = 20 };

const char *const support_mail_in_names[] = {"added", "opened", "answered", "quiet", "ignored", "store_error"};

/* The ticket whose token is token: 1, 0 none, -1 store error. A merged
 * ticket leads to the one it was merged into. */
static int ticket_by_token(db *d, const char *token, support_ticket *t)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM support_tickets WHERE token = $1");
    if (!s)
        return -1;
    db_bind_text(s, 1, token);
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    if (st != DB_ROW)
        return st == DB_DONE ? 0 : -1;
    int found = support_get(d, 0, id, t);
    return found == 1 && t->merged_into ? support_get(d, 0, t->merged_into, t) : found;
}

/* The ticket a reply without a token answers: the one we sent the mail its
 * In-Reply-To names, else the newest of its References we sent. 1, 0 none,
 * -1 store error. */
static int ticket_by_reference(db *d, const mail_in *m, support_ticket *t)
{
    int64_t id = 0;
    int found = m->in_reply_to[0] ? support_ticket_by_message_id(d, m->in_reply_to, &id) : 0;
    char ref[MAIL_IN_REF_MAX + 1];
    const char *end = m->references + strlen(m->references);
    /* From the newest (last) reference back, at most MAIL_IN_REFS_MAX of them. */
    for (int n = 0; found == 0 && end > m->references && n < MAIL_IN_REFS_MAX; n++) {
        const char *start = end;
        while (start > m->references && start[-1] != ' ')
            start--;
        size_t len = (size_t)(end - start);
        if (len && len <= MAIL_IN_REF_MAX) {
            memcpy(ref, start, len);
            ref[len] = '\0';
            found = support_ticket_by_message_id(d, ref, &id);
        }
        end = start > m->references ? start - 1 : start;
    }
    if (found <= 0)
        return found;
    found = support_get(d, 0, id, t);
    return found == 1 && t->merged_into ? support_get(d, 0, t->merged_into, t) : found;
}

/* Text a ticket accepts: control characters (but tabs and newlines) become
 * spaces, cut to max bytes on a character boundary; "" when it is not UTF-8. */
static char *clean_text(http_request *r, const char *in, size_t max)
{
    char *s = arena_alloc(r->a, max + 1);
    buf_copy_utf8(s, max + 1, in);
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
            *p = *p == '\r' ? '\n' : ' ';
        else if (*p == 0x7f)
            *p = ' ';
    return support_text_ok(s, 0, max) ? s : arena_strdup(r->a, "");
}

/* The body with a note for each attachment not kept; the files kept (their
 * types checked by content, as the API does) in files[0..*n). */
static const char *body_and_files(http_request *r, const mail_in *m, support_file *files, size_t *n)
{
    const char *body = clean_text(r, m->body, SUPPORT_BODY_MAX - 2000); /* room for the notes */
    if (!support_text_ok(body, 1, SUPPORT_BODY_MAX))
        body = "(no text)";
    *n = 0;
    for (size_t i = 0; i < m->file_count; i++) {
        support_file f = {.name = m->files[i].name, .data = m->files[i].data, .len = m->files[i].len};
        const char *field, *why = support_check_files(r, &f, 1, &field);
        if (!why)
            files[(*n)++] = f;
        else
            body = arena_printf(r->a, "%s\n\n[attachment \"%.100s\" not kept: only PNG, JPEG, GIF, PDF, ZIP and "
                                "plain text files are accepted]", body, clean_text(r, m->files[i].name, 100));
    }
    if (m->files_dropped)
        body = arena_printf(r->a, "%s\n\n[%zu attachment(s) not kept: at most %d files of 10 MB each]", body,
                            m->files_dropped, SUPPORT_FILES_MAX);
    return body;
}

static support_mail_in_result add_to_ticket(http_request *r, const mail_in *m, int64_t user_id,
                                            const support_ticket *t)
{
    support_file files[MAIL_IN_FILES_MAX];
    size_t n;
    const char *body = body_and_files(r, m, files, &n);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SUPPORT_MAIL_IN_STORE_ERROR;
    int64_t msg_id = 0;
    support_written written = {0};
    bool ok = support_add_message(r->db, t, SUPPORT_AUTHOR_EMAIL, user_id, body, false, -1, &msg_id) &&
              support_store_files(r, msg_id, files, n, &written) && db_commit(r->db) == DB_OK;
    if (!ok) {
        db_rollback(r->db);
        support_unlink_written(&written);
        return SUPPORT_MAIL_IN_STORE_ERROR;
    }
    return SUPPORT_MAIL_IN_ADDED;
}

/* The department of rcpt: the active one whose code is the local part
 * (before any +tag), 1 found, 0 not, -1 store error. */
static int department_of(db *d, const char *rcpt, support_department *dep)
{
    char code[SUPPORT_DEPT_CODE_MAX + 1];
    size_t len = strcspn(rcpt, "+@");
    if (!rcpt[0] || len == 0 || len > SUPPORT_DEPT_CODE_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        code[i] = (char)tolower((unsigned char)rcpt[i]);
    code[len] = '\0';
    int found = support_department_by_code(d, code, dep);
    return found == 1 && !dep->active ? 0 : found;
}

/* The department of the first recipient that names one, else technical. */
static int pick_department(db *d, const mail_in *m, const char *dept_address, support_department *dep)
{
    int found = dept_address ? department_of(d, dept_address, dep) : 0;
    for (size_t i = 0; found == 0 && i < m->rcpt_count; i++)
        found = department_of(d, m->rcpt[i], dep);
    return found ? found : support_department_by_code(d, "technical", dep);
}

static support_mail_in_result open_ticket(http_request *r, const mail_in *m, int64_t user_id, int64_t org_id,
                                          const char *dept_address, int64_t *ticket_id)
{
    support_department dep;
    int found = pick_department(r->db, m, dept_address, &dep);
    if (found != 1)
        return SUPPORT_MAIL_IN_STORE_ERROR; /* technical is a seeded department */
    support_file files[MAIL_IN_FILES_MAX];
    support_new n = {.org_id = org_id, .user_id = user_id, .dep = &dep, .priority = SUPPORT_NORMAL,
                     .author = SUPPORT_AUTHOR_EMAIL, .files = files};
    n.body = body_and_files(r, m, files, &n.file_count);
    n.subject = clean_text(r, m->subject, SUPPORT_SUBJECT_MAX);
    for (char *p = (char *)n.subject; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    if (strlen(n.subject) < 3)
        n.subject = "(no subject)";
    return support_open(r, &n, ticket_id) ? SUPPORT_MAIL_IN_OPENED : SUPPORT_MAIL_IN_STORE_ERROR;
}

/* Queues the auto-reply to an unknown sender, once per address and UTC day. */
static support_mail_in_result answer_unknown(http_request *r, const mail_in *m)
{
    const char *from = r->app->cfg->mail_from;
    if (!strcasecmp(m->from, from) || !strncasecmp(m->from, "support+", 8))
        return SUPPORT_MAIL_IN_IGNORED; /* never answer ourselves */
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return SUPPORT_MAIL_IN_STORE_ERROR;
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO support_mail_in_replies (address, day) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        " RETURNING day");
    if (!s) {
        db_rollback(r->db);
        return SUPPORT_MAIL_IN_STORE_ERROR;
    }
    db_bind_text(s, 1, m->from);
    db_bind_int64(s, 2, (int64_t)time(NULL) / 86400);
    db_status st = db_step(s);
    db_done(s);
    if (st != DB_ROW) {
        db_rollback(r->db);
        return st == DB_DONE ? SUPPORT_MAIL_IN_QUIET : SUPPORT_MAIL_IN_STORE_ERROR;
    }
    const char *subject = clean_text(r, m->subject, SUPPORT_SUBJECT_MAX), *mail_subject, *text;
    json_t *data = json_pack("{s:s, s:s, s:s}", "subject", subject[0] ? subject : "your message", "provider",
                             r->app->cfg->provider.name, "link",
                             arena_printf(r->a, "%s/support", r->app->cfg->base_url));
    bool ok = data && mail_render(r->app, r->a, "mail_in_unknown", m->lang, data, &mail_subject, &text) &&
              outbox_enqueue(r->db, m->from, mail_subject, text) && db_commit(r->db) == DB_OK;
    json_decref(data);
    if (!ok) {
        db_rollback(r->db);
        return SUPPORT_MAIL_IN_STORE_ERROR;
    }
    return SUPPORT_MAIL_IN_ANSWERED;
}

/* 1 when from is org's support or billing notification address (where the
 * ticket's mails go), 0 not, -1 store error. */
static int org_notify_address(db *d, int64_t org_id, const char *from)
{
    notify_entry e[NOTIFY_KIND_COUNT];
    if (!notify_addresses_get(d, org_id, e))
        return -1;
    return !strcmp(e[NOTIFY_SUPPORT].address, from) || !strcmp(e[NOTIFY_BILLING].address, from);
}

support_mail_in_result support_mail_in(http_request *r, const mail_in *m, const char *dept_address,
                                       int64_t *ticket_id)
{
    assert(r->db && r->app && r->a);
    *ticket_id = 0;
    if (m->is_auto || !m->from[0])
        return SUPPORT_MAIL_IN_IGNORED;
    int64_t user_id = auth_user_id_by_email(r->db, m->from);
    if (user_id < 0)
        return SUPPORT_MAIL_IN_STORE_ERROR;
    support_ticket t;
    int found = m->token[0] ? ticket_by_token(r->db, m->token, &t) : ticket_by_reference(r->db, m, &t);
    if (found < 0)
        return SUPPORT_MAIL_IN_STORE_ERROR;
    if (m->token[0] || found) {
        if (found == 1 && user_id > 0 && support_user_may(r, user_id, &t)) {
            *ticket_id = t.id;
            return add_to_ticket(r, m, user_id, &t);
        }
        int notify = found == 1 ? org_notify_address(r->db, t.org_id, m->from) : 0;
        if (notify < 0)
            return SUPPORT_MAIL_IN_STORE_ERROR;
        if (notify) {
            *ticket_id = t.id;
            return add_to_ticket(r, m, 0, &t); /* from the address the ticket's mails go to */
        }
        return answer_unknown(r, m);
    }
    int64_t org_id = user_id > 0 ? org_first_for_user(r->db, user_id) : 0;
    if (org_id > 0)
        return open_ticket(r, m, user_id, org_id, dept_address, ticket_id);
    return answer_unknown(r, m);
}
