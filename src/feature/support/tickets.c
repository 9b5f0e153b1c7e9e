/* tickets.c - tickets and their threads in the store (see support.h). */
#include "feature/support/support_internal.h"

#include <arpa/inet.h>
#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/field.h"

const char *const support_priority_names[] = {"normal", "high", NULL};
const char *const support_status_names[] = {"open", "answered", "waiting", "closed", NULL};
const char *const support_author_names[] = {"customer", "staff", "email", "chat", "system", NULL};

static int name_index(const char *const *names, const char *v)
{
    for (int i = 0; v && names[i]; i++)
        if (!strcmp(names[i], v))
            return i;
    return -1;
}

/* The ticket row of n; *out_id its id. */
static bool insert_ticket(db *d, const support_new *n, int64_t *out_id)
{
    int64_t now = (int64_t)time(NULL);
    unsigned char rnd[SUPPORT_TOKEN_HEX / 2];
    char token[SUPPORT_TOKEN_HEX + 1];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(token, sizeof token, rnd, sizeof rnd);
    db_stmt *s = db_prepare(d,
        "INSERT INTO support_tickets (org_id, opened_by, department_id, priority, subject, status, service_id,"
        " order_number, server_ip, problem_at, problem_tz, token, created_at, updated_at, first_response_due_at)"
        " VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id");
    bool ok = false;
    if (s) {
        db_bind_int64(s, 1, n->org_id);
        db_bind_int64(s, 2, n->user_id);
        db_bind_int64(s, 3, n->dep->id);
        db_bind_text(s, 4, support_priority_names[n->priority]);
        db_bind_text(s, 5, n->subject);
        db_bind_int64(s, 6, n->service_id);
        db_bind_text(s, 7, n->order_number ? n->order_number : "");
        db_bind_text(s, 8, n->server_ip ? n->server_ip : "");
        db_bind_int64(s, 9, n->problem_at);
        db_bind_text(s, 10, n->problem_tz ? n->problem_tz : "");
        db_bind_text(s, 11, token);
        db_bind_int64(s, 12, now);
        db_bind_int64(s, 13, now + 60 * (int64_t)n->dep->sla_min[n->priority]);
        ok = db_step(s) == DB_ROW;
        if (ok)
            *out_id = db_col_int64(s, 0);
        db_done(s);
    }
    return ok;
}

bool support_open(http_request *r, const support_new *n, int64_t *out_id)
{
    db *d = r->db;
    assert(n->dep && n->priority < SUPPORT_PRIORITY_COUNT);
    assert(n->author == SUPPORT_AUTHOR_CUSTOMER || n->author == SUPPORT_AUTHOR_EMAIL);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    bool ok = insert_ticket(d, n, out_id);
    support_ticket t = {.id = ok ? *out_id : 0, .status = SUPPORT_OPEN};
    int64_t msg_id = 0;
    support_written written = {0};
    ok = ok && support_add_message(d, &t, n->author, n->user_id, n->body, false, -1, &msg_id) &&
         support_store_files(r, msg_id, n->files, n->file_count, &written);
    if (ok && db_commit(d) == DB_OK)
        return true;
    db_rollback(d);
    support_unlink_written(&written);
    return false;
}

bool support_open_in_tx(db *d, const support_new *n, int64_t *out_id)
{
    assert(n->dep && n->priority < SUPPORT_PRIORITY_COUNT && !n->file_count && db_in_tx(d));
    int64_t msg_id = 0;
    if (!insert_ticket(d, n, out_id))
        return false;
    support_ticket t = {.id = *out_id, .status = SUPPORT_OPEN};
    return support_add_message(d, &t, n->author, n->user_id, n->body, false, -1, &msg_id);
}

#define TICKET_COLS                                                                                               \
    "t.id, t.org_id, t.opened_by, t.department_id, t.service_id, t.problem_at, t.assigned_staff_id,"              \
    " t.created_at, t.updated_at, t.first_response_due_at, t.first_response_at, t.closed_at, t.merged_into,"      \
    " t.rating, t.priority, t.status, d.code, t.subject, t.order_number, t.server_ip, t.problem_tz, t.token"      \
    " FROM support_tickets t JOIN support_departments d ON d.id = t.department_id"

static int64_t col_or0(db_stmt *s, int c)
{
    return db_col_is_null(s, c) ? 0 : db_col_int64(s, c);
}

static void read_ticket(db_stmt *s, support_ticket *t)
{
    *t = (support_ticket){0};
    int64_t *ints[] = {&t->id, &t->org_id, &t->opened_by, &t->department_id, &t->service_id, &t->problem_at,
                       &t->assigned_staff_id, &t->created_at, &t->updated_at, &t->due_at, &t->first_response_at,
                       &t->closed_at, &t->merged_into};
    for (int i = 0; i < 13; i++)
        *ints[i] = col_or0(s, i);
    t->rating = (int)col_or0(s, 13);
    int p = name_index(support_priority_names, db_col_text(s, 14));
    int st = name_index(support_status_names, db_col_text(s, 15));
    assert(p >= 0 && st >= 0);
    t->priority = (support_priority)p;
    t->status = (support_status)st;
    snprintf(t->department, sizeof t->department, "%s", db_col_text(s, 16));
    snprintf(t->subject, sizeof t->subject, "%s", db_col_text(s, 17));
    snprintf(t->order_number, sizeof t->order_number, "%s", db_col_text(s, 18));
    snprintf(t->server_ip, sizeof t->server_ip, "%s", db_col_text(s, 19));
    snprintf(t->problem_tz, sizeof t->problem_tz, "%s", db_col_text(s, 20));
    snprintf(t->token, sizeof t->token, "%s", db_col_text(s, 21));
}

int support_get(db *d, int64_t org_id, int64_t id, support_ticket *out)
{
    db_stmt *s = db_prepare(d, "SELECT " TICKET_COLS " WHERE t.id = $1 AND ($2 = 0 OR t.org_id = $2)");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        read_ticket(s, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

int support_list(db *d, const support_filter *f, int64_t now, support_ticket *out, size_t max)
{
    const char *sql = f->queue_order
        ? "SELECT " TICKET_COLS " WHERE ($1 = 0 OR t.org_id = $1) AND ($2 = '' OR t.status = $2)"
          " AND ($2 <> '' OR t.status <> 'closed') AND ($3 = '' OR t.priority = $3)"
          " AND ($4 = 0 OR t.department_id = $4)"
          " AND ($5 = 0 OR ($5 = -1 AND t.assigned_staff_id IS NULL) OR t.assigned_staff_id = $5)"
          " AND ($6 = 0 OR (t.first_response_at IS NULL AND COALESCE(t.closed_at, $7) > t.first_response_due_at)"
          " OR t.first_response_at > t.first_response_due_at)"
          " ORDER BY CASE t.priority WHEN 'high' THEN 0 ELSE 1 END, CASE WHEN t.first_response_at IS NULL THEN 0"
          " ELSE 1 END, t.first_response_due_at, t.id LIMIT $8"
        : "SELECT " TICKET_COLS " WHERE ($1 = 0 OR t.org_id = $1) AND ($2 = '' OR t.status = $2)"
          " AND ($3 = '' OR t.priority = $3) AND ($4 = 0 OR t.department_id = $4)"
          " AND ($5 = 0 OR ($5 = -1 AND t.assigned_staff_id IS NULL) OR t.assigned_staff_id = $5)"
          " AND ($6 = 0 OR (t.first_response_at IS NULL AND COALESCE(t.closed_at, $7) > t.first_response_due_at)"
          " OR t.first_response_at > t.first_response_due_at)"
          " ORDER BY t.id DESC LIMIT $8";
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, f->org_id);
    db_bind_text(s, 2, f->status >= 0 ? support_status_names[f->status] : "");
    db_bind_text(s, 3, f->priority >= 0 ? support_priority_names[f->priority] : "");
    db_bind_int64(s, 4, f->department_id);
    db_bind_int64(s, 5, f->assigned_staff_id);
    db_bind_int64(s, 6, f->breached_only ? 1 : 0);
    db_bind_int64(s, 7, now);
    db_bind_int64(s, 8, (int64_t)max);
    size_t n = 0;
    db_status st = DB_DONE;
    while (n < max && (st = db_step(s)) == DB_ROW)
        read_ticket(s, &out[n++]);
    db_done(s);
    return n == max || st == DB_DONE ? (int)n : -1;
}

bool support_breached(const support_ticket *t, int64_t now)
{
    int64_t until = t->first_response_at ? t->first_response_at : t->closed_at ? t->closed_at : now;
    return until > t->due_at;
}

bool support_add_message(db *d, const support_ticket *t, support_author author, int64_t who, const char *body,
                         bool internal, int next_status, int64_t *out_id)
{
    assert(db_in_tx(d) && author < SUPPORT_AUTHOR_COUNT);
    int64_t now = (int64_t)time(NULL);
    bool staff = author == SUPPORT_AUTHOR_STAFF;
    db_stmt *s = db_prepare(d,
        "INSERT INTO support_messages (ticket_id, author, user_id, staff_id, body, internal, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, t->id);
    db_bind_text(s, 2, support_author_names[author]);
    if (!staff && who) db_bind_int64(s, 3, who); else db_bind_null(s, 3);
    if (staff) db_bind_int64(s, 4, who); else db_bind_null(s, 4);
    db_bind_text(s, 5, body);
    db_bind_int64(s, 6, internal ? 1 : 0);
    db_bind_int64(s, 7, now);
    bool ok = db_step(s) == DB_ROW;
    if (ok && out_id)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    bool system = author == SUPPORT_AUTHOR_SYSTEM;
    if (!ok || internal || (system && next_status < 0))
        return ok;
    int st = next_status >= 0 && (staff || system) ? next_status : staff ? SUPPORT_ANSWERED : SUPPORT_OPEN;
    s = db_prepare(d,
        "UPDATE support_tickets SET status = $1, updated_at = $2,"
        " first_response_at = CASE WHEN $3 = 1 AND first_response_at IS NULL THEN $2 ELSE first_response_at END,"
        " closed_at = CASE WHEN $1 = 'closed' THEN CAST($2 AS BIGINT) ELSE NULL END WHERE id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, support_status_names[st]);
    db_bind_int64(s, 2, now);
    db_bind_int64(s, 3, staff ? 1 : 0);
    db_bind_int64(s, 4, t->id);
    return db_exec1(s) == DB_DONE;
}

bool support_set_status(db *d, int64_t id, support_status st)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "UPDATE support_tickets SET status = $1, updated_at = $2,"
        " closed_at = CASE WHEN $1 = 'closed' THEN CAST($2 AS BIGINT) ELSE NULL END WHERE id = $3");
    if (!s)
        return false;
    db_bind_text(s, 1, support_status_names[st]);
    db_bind_int64(s, 2, now);
    db_bind_int64(s, 3, id);
    return db_exec1(s) == DB_DONE;
}

bool support_set_rating(db *d, int64_t id, int rating)
{
    assert(rating >= 1 && rating <= 5);
    db_stmt *s = db_prepare(d, "UPDATE support_tickets SET rating = $1 WHERE id = $2 AND status = 'closed'");
    if (!s)
        return false;
    db_bind_int64(s, 1, rating);
    db_bind_int64(s, 2, id);
    return db_exec1(s) == DB_DONE;
}

bool support_text_ok(const char *s, size_t min, size_t max)
{
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    size_t start = strspn(s, " \t\r\n");
    if (len < start || len - start < min || len > max)
        return false;
    for (size_t i = 0; i < len;) {
        size_t seg = strcspn(s + i, "\t\r\n");
        if (seg > len - i)
            seg = len - i;
        if (!field_text_ok(s + i, seg))
            return false;
        i += seg + 1;
    }
    return true;
}

bool support_ip_ok(const char *s)
{
    unsigned char bin[16];
    return strlen(s) <= SUPPORT_IP_MAX && (inet_pton(AF_INET, s, bin) == 1 || inet_pton(AF_INET6, s, bin) == 1);
}
