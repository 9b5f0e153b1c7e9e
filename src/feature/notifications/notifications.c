/* notifications.c - adding an organization's in-app notifications, one or
 * fanned out to many organizations in one statement, and reading them as the
 * member asking may see them (notifications.h). */
#include "feature/notifications/notifications.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/orgs/orgs.h"
#include "core/zone.h"
#include "http/json_in.h"

static const char *const audience_names[NOTIFICATION_AUDIENCE_COUNT] = {"billing", "members", "admins"};

bool notification_add(db *d, int64_t org_id, const char *kind, notification_audience audience, int64_t ref_id,
                      const char *detail)
{
    assert(db_in_tx(d) && audience >= 0 && audience < NOTIFICATION_AUDIENCE_COUNT && detail);
    db_stmt *s = db_prepare(d, "INSERT INTO notifications (org_id, kind, audience, ref_id, detail, created_at)"
                               " VALUES ($1, $2, $3, $4, $5, $6)");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, audience_names[audience]);
    db_bind_int64(s, 4, ref_id);
    db_bind_text(s, 5, detail);
    db_bind_int64(s, 6, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

static int64_t max_id(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(id), 0) FROM notifications");
    int64_t id = s && db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    if (s)
        db_done(s);
    return id;
}

int64_t notification_fanout(db *d, const char *kind, int64_t ref_id, const char *detail, const char *fanout_sql,
                            const char *services_sql)
{
    assert(db_in_tx(d) && fanout_sql && services_sql);
    int64_t before = max_id(d);
    db_stmt *s = before >= 0 ? db_prepare(d, fanout_sql) : NULL;
    if (!s)
        return -1;
    db_bind_int64(s, 1, ref_id);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, detail);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    if (db_exec1(s) != DB_DONE)
        return -1;
    int64_t orgs = db_changes(d);
    s = db_prepare(d, services_sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, ref_id);
    db_bind_int64(s, 2, before);
    return db_exec1(s) == DB_DONE ? orgs : -1;
}

/* What the member asking may see of the organization's notifications. */
typedef struct viewer {
    int64_t org_id, user_id;
    bool billing, admin, all_services;
} viewer;

static bool viewer_get(db *d, int64_t org_id, int64_t user_id, viewer *v)
{
    *v = (viewer){.org_id = org_id, .user_id = user_id};
    if (!org_user_may(d, user_id, org_id, ORG_NEED_MEMBER))
        return false;
    v->billing = org_user_may(d, user_id, org_id, ORG_NEED_BILLING);
    v->admin = org_user_may(d, user_id, org_id, ORG_NEED_ADMIN);
    v->all_services = org_user_may_service(d, user_id, org_id, 0, 0);
    return true;
}

/* A limited member sees a notification about services when one is theirs. */
static bool may_see_services(db *d, const viewer *v, int64_t notification_id)
{
    db_stmt *s = db_prepare(d, "SELECT service_id, category_id FROM notification_services WHERE notification_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, notification_id);
    size_t n = 0, cap = 16;
    int64_t(*ids)[2] = malloc(cap * sizeof *ids);
    if (!ids)
        abort();
    while (db_step(s) == DB_ROW) {
        if (n == cap && !(ids = realloc(ids, (cap *= 2) * sizeof *ids)))
            abort();
        ids[n][0] = db_col_int64(s, 0);
        ids[n][1] = db_col_int64(s, 1);
        n++;
    }
    db_done(s);
    bool may = false;
    for (size_t i = 0; !may && i < n; i++)
        may = org_user_may_service(d, v->user_id, v->org_id, ids[i][0], ids[i][1]);
    free(ids);
    return may;
}

/* The newest id of org that user_id has read (0: none). */
#define LAST_READ "COALESCE((SELECT last_read_id FROM notification_reads WHERE org_id = $1 AND user_id = $2), 0)"
/* The audiences v may see, with $3 = billing and $4 = admin. */
#define AUDIENCE_OK "(audience = 'members' OR ($3 = 1 AND audience = 'billing') OR ($4 = 1 AND audience = 'admins'))"

typedef struct row {
    int64_t id, created_at;
    bool unread, has_services;
    char *kind, *detail;
} row;

enum { ROWS_READ_MAX = 200 };

/* Up to ROWS_READ_MAX rows v's audiences allow, newest first (unread_only:
 * only those not read); -1 on a store error. Free with rows_free. */
static int rows_read(db *d, const viewer *v, bool unread_only, row *out)
{
    db_stmt *s = db_prepare(d, unread_only
        ? "SELECT id, kind, detail, created_at, 1, EXISTS (SELECT 1 FROM notification_services ns"
          " WHERE ns.notification_id = n.id) FROM notifications n WHERE org_id = $1 AND id > " LAST_READ
          " AND " AUDIENCE_OK " ORDER BY id DESC LIMIT $5"
        : "SELECT id, kind, detail, created_at, id > " LAST_READ ", EXISTS (SELECT 1 FROM notification_services ns"
          " WHERE ns.notification_id = n.id) FROM notifications n WHERE org_id = $1"
          " AND " AUDIENCE_OK " ORDER BY id DESC LIMIT $5");
    if (!s)
        return -1;
    db_bind_int64(s, 1, v->org_id);
    db_bind_int64(s, 2, v->user_id);
    db_bind_int64(s, 3, v->billing);
    db_bind_int64(s, 4, v->admin);
    db_bind_int64(s, 5, ROWS_READ_MAX);
    int n = 0;
    db_status st;
    while (n < ROWS_READ_MAX && (st = db_step(s)) == DB_ROW) {
        out[n] = (row){db_col_int64(s, 0), db_col_int64(s, 3), db_col_int64(s, 4) != 0, db_col_int64(s, 5) != 0,
                       strdup(db_col_text(s, 1)), strdup(db_col_text(s, 2))};
        if (!out[n].kind || !out[n].detail)
            abort();
        n++;
    }
    db_done(s);
    return n;
}

static void rows_free(row *rows, int n)
{
    for (int i = 0; i < n; i++) {
        free(rows[i].kind);
        free(rows[i].detail);
    }
}

static bool row_visible(db *d, const viewer *v, const row *r)
{
    return !r->has_services || v->all_services || may_see_services(d, v, r->id);
}

int notifications_unread(db *d, int64_t org_id, int64_t user_id)
{
    viewer v;
    if (!viewer_get(d, org_id, user_id, &v))
        return 0;
    row *rows = calloc(ROWS_READ_MAX, sizeof *rows);
    if (!rows)
        abort();
    int n = rows_read(d, &v, true, rows), count = 0;
    for (int i = 0; i < n && count < NOTIFICATIONS_UNREAD_MAX; i++)
        count += row_visible(d, &v, &rows[i]);
    rows_free(rows, n);
    free(rows);
    return n < 0 ? -1 : count;
}

/* An integer time field: null for 0, else its ISO time and, as "<key>_local",
 * the time in Europe/Rome with CET/CEST (as tickets show times). */
static void time_field(json_t *out, const char *key, int64_t at)
{
    char local[64], name[64];
    snprintf(name, sizeof name, "%s_local", key);
    if (!at) {
        json_object_set_new(out, key, json_null());
        json_object_set_new(out, name, json_null());
        return;
    }
    zone_format(at, ZONE_PROVIDER, local, sizeof local);
    json_object_set_new(out, key, jout_time(at));
    json_object_set_new(out, name, json_string(local));
}

/* The detail's fields as notifications_json shows them; false for a detail
 * this version cannot show (an unknown currency). */
static bool detail_fields(json_t *out, const char *detail, const char *lang)
{
    json_t *obj = json_loads(detail, 0, NULL), *value;
    if (!json_is_object(obj)) {
        json_decref(obj);
        return false;
    }
    const char *key;
    bool ok = true;
    json_object_foreach(obj, key, value) {
        size_t len = strlen(key);
        if (!strcmp(key, "amount")) {
            const currency *cur = currency_find(json_string_value(json_object_get(value, "currency")));
            ok = cur != NULL;
            if (ok)
                json_object_set_new(out, key, jout_money(money_make(json_integer_value(json_object_get(value, "minor")), cur), lang));
        } else if (len > 3 && (!strcmp(key + len - 3, "_en") || !strcmp(key + len - 3, "_it"))) {
            if (!strcmp(key + len - 2, lang)) {
                char base[64];
                snprintf(base, sizeof base, "%.*s", (int)(len - 3), key);
                json_object_set(out, base, value);
            }
        } else if (len > 3 && !strcmp(key + len - 3, "_at") && json_is_integer(value)) {
            time_field(out, key, json_integer_value(value));
        } else if (strcmp(key, "id") && strcmp(key, "kind") && strcmp(key, "unread")) {
            json_object_set(out, key, value);
        }
    }
    json_decref(obj);
    return ok;
}

json_t *notifications_json(db *d, int64_t org_id, int64_t user_id, const char *lang)
{
    viewer v;
    if (!viewer_get(d, org_id, user_id, &v))
        return json_array();
    row *rows = calloc(ROWS_READ_MAX, sizeof *rows);
    if (!rows)
        abort();
    int n = rows_read(d, &v, false, rows);
    json_t *list = n >= 0 ? json_array() : NULL;
    for (int i = 0; i < n && json_array_size(list) < NOTIFICATIONS_PAGE_MAX; i++) {
        if (!row_visible(d, &v, &rows[i]))
            continue;
        json_t *o = json_pack("{s:I, s:s, s:o, s:b}", "id", (json_int_t)rows[i].id, "kind", rows[i].kind,
                              "created_at", jout_time(rows[i].created_at), "unread", rows[i].unread);
        if (detail_fields(o, rows[i].detail, lang))
            json_array_append_new(list, o);
        else
            json_decref(o);
    }
    rows_free(rows, n);
    free(rows);
    return list;
}

bool notifications_read(db *d, int64_t org_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO notification_reads (org_id, user_id, last_read_id)"
        " SELECT $1, $2, MAX(id) FROM notifications WHERE org_id = $1 HAVING MAX(id) IS NOT NULL"
        " ON CONFLICT (org_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id"
        " WHERE excluded.last_read_id > notification_reads.last_read_id");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE;
}
