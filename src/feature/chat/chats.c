/* chats.c - chats and their messages in the store (see chat_internal.h). */
#include "feature/chat/chat_internal.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/json_in.h"

const char *const chat_status_names[] = {"waiting", "active", "closed", NULL};
const char *const chat_author_names[] = {"customer", "visitor", "staff", "system", NULL};

#define CHAT_COLS                                                                                              \
    "id, org_id, user_id, assigned_staff_id, ticket_id, created_at, closed_at, status, visitor_email,"        \
    " visitor_name, language, visitor_token_hash FROM chats"

static int64_t col_or0(db_stmt *s, int c)
{
    return db_col_is_null(s, c) ? 0 : db_col_int64(s, c);
}

static void bind_or_null(db_stmt *s, int idx, int64_t v)
{
    if (v)
        db_bind_int64(s, idx, v);
    else
        db_bind_null(s, idx);
}

static void read_chat(db_stmt *s, chat *c)
{
    *c = (chat){0};
    int64_t *ints[] = {&c->id, &c->org_id, &c->user_id, &c->assigned_staff_id, &c->ticket_id, &c->created_at,
                       &c->closed_at};
    for (int i = 0; i < 7; i++)
        *ints[i] = col_or0(s, i);
    const char *st = db_col_text(s, 7);
    for (int i = 0; chat_status_names[i]; i++)
        if (!strcmp(chat_status_names[i], st))
            c->status = (chat_status)i;
    snprintf(c->email, sizeof c->email, "%s", db_col_text(s, 8));
    snprintf(c->name, sizeof c->name, "%s", db_col_text(s, 9));
    snprintf(c->lang, sizeof c->lang, "%s", db_col_text(s, 10));
    snprintf(c->token_hash, sizeof c->token_hash, "%s", db_col_is_null(s, 11) ? "" : db_col_text(s, 11));
}

bool chat_create(db *d, const chat_new *n, int64_t *out_id)
{
    assert(!n->user_id == !!n->token_hash);
    int64_t now = (int64_t)time(NULL);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(d,
        "INSERT INTO chats (org_id, user_id, visitor_email, visitor_name, visitor_token_hash, status, language,"
        " created_at) VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7) RETURNING id");
    bool ok = false;
    if (s) {
        bind_or_null(s, 1, n->org_id);
        bind_or_null(s, 2, n->user_id);
        db_bind_text(s, 3, n->email);
        db_bind_text(s, 4, n->name);
        db_bind_text(s, 5, n->token_hash);
        db_bind_text(s, 6, n->lang);
        db_bind_int64(s, 7, now);
        ok = db_step(s) == DB_ROW;
        if (ok)
            *out_id = db_col_int64(s, 0);
        db_done(s);
    }
    int64_t msg_id;
    ok = ok && chat_add_message(d, *out_id, n->user_id ? CHAT_BY_CUSTOMER : CHAT_BY_VISITOR, n->user_id, n->first,
                                &msg_id);
    if (ok && db_commit(d) == DB_OK)
        return true;
    db_rollback(d);
    return false;
}

int chat_get(db *d, int64_t id, chat *out)
{
    db_stmt *s = db_prepare(d, "SELECT " CHAT_COLS " WHERE id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    db_status st = db_step(s);
    if (st == DB_ROW)
        read_chat(s, out);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

bool chat_add_message(db *d, int64_t chat_id, chat_author kind, int64_t author_id, const char *body, int64_t *out_id)
{
    db_stmt *s = db_prepare(d, "INSERT INTO chat_messages (chat_id, author_kind, author_id, body, created_at)"
                               " VALUES ($1, $2, $3, $4, $5) RETURNING id");
    if (!s)
        return false;
    db_bind_int64(s, 1, chat_id);
    db_bind_text(s, 2, chat_author_names[kind]);
    db_bind_int64(s, 3, author_id);
    db_bind_text(s, 4, body);
    db_bind_int64(s, 5, (int64_t)time(NULL));
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out_id = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

json_t *chat_messages_json(db *d, int64_t chat_id, int64_t after_id, int max)
{
    db_stmt *s = db_prepare(d, "SELECT id, author_kind, body, created_at FROM chat_messages"
                               " WHERE chat_id = $1 AND id > $2 ORDER BY id LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, chat_id);
    db_bind_int64(s, 2, after_id);
    db_bind_int64(s, 3, max > 0 ? max : INT32_MAX);
    json_t *arr = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)db_col_int64(s, 0),
                                             "author", db_col_text(s, 1), "body", db_col_text(s, 2),
                                             "created_at", jout_time(db_col_int64(s, 3))));
    db_done(s);
    if (st != DB_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

bool chat_set_status(db *d, int64_t id, chat_status st, int64_t staff_id)
{
    db_stmt *s = db_prepare(d, "UPDATE chats SET status = $1, closed_at = CASE WHEN $1 = 'closed' THEN $2 ELSE"
                               " closed_at END, assigned_staff_id = CASE WHEN $3 > 0 THEN $3 ELSE"
                               " assigned_staff_id END WHERE id = $4");
    if (!s)
        return false;
    db_bind_text(s, 1, chat_status_names[st]);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, staff_id);
    db_bind_int64(s, 4, id);
    return db_exec1(s) == DB_DONE;
}

bool chat_set_ticket(db *d, int64_t id, int64_t ticket_id)
{
    db_stmt *s = db_prepare(d, "UPDATE chats SET ticket_id = $1 WHERE id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, ticket_id);
    db_bind_int64(s, 2, id);
    return db_exec1(s) == DB_DONE;
}

static void set_id_or_null(json_t *j, const char *key, int64_t v)
{
    json_object_set_new(j, key, v ? json_integer(v) : json_null());
}

json_t *chat_json(const chat *c, bool staff)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)c->id, "status",
                          chat_status_names[c->status], "name", c->name, "language", c->lang, "created_at",
                          jout_time(c->created_at));
    json_object_set_new(j, "closed_at", c->closed_at ? jout_time(c->closed_at) : json_null());
    set_id_or_null(j, "ticket_id", c->ticket_id);
    json_object_set_new(j, "visitor", json_boolean(!c->user_id));
    if (staff) {
        json_object_set_new(j, "email", json_string(c->email));
        set_id_or_null(j, "org_id", c->org_id);
        set_id_or_null(j, "user_id", c->user_id);
        set_id_or_null(j, "assigned_staff_id", c->assigned_staff_id);
    }
    return j;
}

json_t *chat_list_json(db *d, int status, int max)
{
    db_stmt *s = db_prepare(d, "SELECT " CHAT_COLS " WHERE ($1 = '' OR status = $1)"
                               " ORDER BY CASE WHEN status = 'closed' THEN 1 ELSE 0 END,"
                               " CASE WHEN status = 'closed' THEN -id ELSE id END LIMIT $2");
    if (!s)
        return NULL;
    db_bind_text(s, 1, status >= 0 ? chat_status_names[status] : "");
    db_bind_int64(s, 2, max);
    json_t *arr = json_array();
    db_status st;
    chat c;
    while ((st = db_step(s)) == DB_ROW) {
        read_chat(s, &c);
        json_array_append_new(arr, chat_json(&c, true));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

void chat_visitor_csrf(const char *token, char out[SECRET_HASH_HEX + 1])
{
    char salted[SECRET_TOKEN_CHARS + 8];
    snprintf(salted, sizeof salted, "csrf:%s", token);
    secret_token_hash(salted, out);
}
