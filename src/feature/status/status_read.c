/* status_read.c - announcements as JSON: the staff list and one announcement
 * with its targets, and what the public /status page shows (status.h). */
#include "feature/status/status.h"
#include "feature/status/status_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/zone.h"
#include "http/json_in.h"

#define COLUMNS                                                                                                  \
    "id, kind, COALESCE(parent_id, 0), audience, public, title_en, title_it, body_en, body_it, starts_at,"      \
    " ends_at, closed_at, created_at, updated_at, org_count"

/* An integer time column as ISO text (null for 0), with "<key>_local". */
static void put_time(json_t *o, const char *key, int64_t at)
{
    char local[64], name[64];
    snprintf(name, sizeof name, "%s_local", key);
    if (at)
        zone_format(at, ZONE_PROVIDER, local, sizeof local);
    json_object_set_new(o, key, at ? jout_time(at) : json_null());
    json_object_set_new(o, name, at ? json_string(local) : json_null());
}

static json_t *targets_json(db *d, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT target_kind, target_id FROM announcement_targets WHERE announcement_id = $1"
                               " ORDER BY target_kind, target_id");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:s, s:I}", "kind", db_col_text(s, 0), "id",
                                              (json_int_t)db_col_int64(s, 1)));
    db_done(s);
    return list;
}

/* The row s stands on (COLUMNS), for staff. */
static json_t *staff_row(db_stmt *s)
{
    int64_t parent = db_col_int64(s, 2);
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:b, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)db_col_int64(s, 0),
                          "kind", db_col_text(s, 1), "parent_id", parent ? json_integer(parent) : json_null(),
                          "audience", db_col_text(s, 3), "public", (int)db_col_int64(s, 4), "title_en",
                          db_col_text(s, 5), "title_it", db_col_text(s, 6), "body_en", db_col_text(s, 7), "body_it",
                          db_col_text(s, 8), "organizations", (json_int_t)db_col_int64(s, 14));
    put_time(o, "starts_at", db_col_int64(s, 9));
    put_time(o, "ends_at", db_col_int64(s, 10));
    int64_t closed = db_col_int64(s, 11);
    json_object_set_new(o, "closed_at", closed ? jout_time(closed) : json_null());
    json_object_set_new(o, "created_at", jout_time(db_col_int64(s, 12)));
    json_object_set_new(o, "updated_at", jout_time(db_col_int64(s, 13)));
    return o;
}

json_t *announcement_json(db *d, int64_t id, bool *found)
{
    db_stmt *s = db_prepare(d, "SELECT " COLUMNS " FROM announcements WHERE id = $1");
    *found = false;
    if (!s)
        return NULL;
    db_bind_int64(s, 1, id);
    json_t *o = NULL;
    if (db_step(s) == DB_ROW) {
        *found = true;
        o = staff_row(s);
    }
    db_done(s);
    json_t *targets = o ? targets_json(d, id) : NULL;
    if (o && !targets) {
        json_decref(o);
        return NULL;
    }
    if (o)
        json_object_set_new(o, "targets", targets);
    return o;
}

json_t *announcements_json(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT " COLUMNS " FROM announcements ORDER BY id DESC LIMIT $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, ANNOUNCEMENT_LIST_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, staff_row(s));
    db_done(s);
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o) {
        json_t *t = targets_json(d, json_integer_value(json_object_get(o, "id")));
        if (!t) {
            json_decref(list);
            return NULL;
        }
        json_object_set_new(o, "targets", t);
    }
    return list;
}

/* The row s stands on as the public sees it in lang ([0] en, [1] it): the
 * details only of announcements for everyone. */
static json_t *public_row(db_stmt *s, int l)
{
    bool everyone = !strcmp(db_col_text(s, 3), "everyone");
    int64_t parent = db_col_int64(s, 2);
    json_t *o = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)db_col_int64(s, 0), "kind", db_col_text(s, 1),
                          "title", db_col_text(s, 5 + l), "details", everyone);
    json_object_set_new(o, "parent_id", parent ? json_integer(parent) : json_null());
    json_object_set_new(o, "body", everyone ? json_string(db_col_text(s, 7 + l)) : json_null());
    put_time(o, "starts_at", everyone ? db_col_int64(s, 9) : 0);
    put_time(o, "ends_at", everyone ? db_col_int64(s, 10) : 0);
    json_object_set_new(o, "created_at", jout_time(db_col_int64(s, 12)));
    put_time(o, "updated_at", db_col_int64(s, 13));
    return o;
}

/* The public announcements of one section (sql: $1 = a time, $2 = the
 * limit), newest first. */
static json_t *section(db *d, const char *sql, int64_t at, int l)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return NULL;
    db_bind_int64(s, 1, at);
    db_bind_int64(s, 2, ANNOUNCEMENT_LIST_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, public_row(s, l));
    db_done(s);
    return list;
}

#define SECTION(where) "SELECT " COLUMNS " FROM announcements WHERE public = 1 AND " where " ORDER BY id DESC LIMIT $2"

json_t *status_public_json(db *d, const char *lang)
{
    int l = !strcmp(lang, "it");
    int64_t now = (int64_t)time(NULL);
    json_t *incidents = section(d, SECTION("kind = 'incident' AND closed_at = 0 AND created_at <= $1"), now, l);
    json_t *maintenance = incidents ? section(d, SECTION("kind = 'maintenance' AND ends_at > $1"), now, l) : NULL;
    json_t *resolved = maintenance ? section(d, SECTION("kind = 'resolved' AND created_at > $1"),
                                        now - STATUS_RESOLVED_DAYS * 86400, l) : NULL;
    if (!resolved) {
        json_decref(incidents);
        json_decref(maintenance);
        return NULL;
    }
    bool operational = !json_array_size(incidents) && !json_array_size(maintenance);
    return json_pack("{s:b, s:o, s:o, s:o}", "operational", operational, "incidents", incidents, "maintenance",
                     maintenance, "resolved", resolved);
}
