/* announcements.c - posting and updating service-status announcements: the
 * one write transaction that stores an announcement, resolves its
 * organizations, notifies them and queues their mails (status.h); the checks
 * are announcement_check.c's. */
#include "feature/status/status.h"
#include "feature/status/status_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/notifications/notifications.h"
#include "feature/staff/staff.h"
#include "mail/outbox.h"

const char *const announcement_target_names[TARGET_KIND_COUNT] = {"product", "category", "service"};

/* The organizations of an announcement ($1), as notification_fanout wants them. */
#define ORGS_SQL "SELECT org_id, service_id, category_id FROM announcement_orgs WHERE announcement_id = $1"

/* Where each organization of announcement $1 gets its mail, and in which
 * language: "status", else "billing", else the first administrator. */
#define FIRST_ADMIN(col)                                                                                         \
    "(SELECT u." col " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = o.org_id"           \
    " AND m.role = 'admin' ORDER BY m.created_at, m.user_id LIMIT 1)"
#define RECIPIENTS_SQL                                                                                           \
    "SELECT COALESCE((SELECT na.email FROM notification_addresses na WHERE na.org_id = o.org_id"                \
    " AND na.kind = 'status'), (SELECT na.email FROM notification_addresses na WHERE na.org_id = o.org_id"      \
    " AND na.kind = 'billing'), " FIRST_ADMIN("email") ", '') AS recipient,"                                      \
    " COALESCE(" FIRST_ADMIN("language") ", 'en') AS lang"                                                        \
    " FROM (SELECT DISTINCT org_id FROM announcement_orgs WHERE announcement_id = $1) o"

static int64_t insert_announcement(db *d, int64_t staff_id, const announcement_in *in, bool targeted, bool is_public)
{
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "INSERT INTO announcements (kind, parent_id, audience, public, title_en, title_it, body_en, body_it,"
        " starts_at, ends_at, staff_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
        " $11, $12, $12) RETURNING id");
    if (!s)
        return 0;
    db_bind_text(s, 1, in->kind);
    if (in->parent_id)
        db_bind_int64(s, 2, in->parent_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, targeted ? "targeted" : "everyone");
    db_bind_int64(s, 4, is_public);
    db_bind_text(s, 5, in->title[0]);
    db_bind_text(s, 6, in->title[1]);
    db_bind_text(s, 7, in->body[0]);
    db_bind_text(s, 8, in->body[1]);
    db_bind_int64(s, 9, in->starts_at);
    db_bind_int64(s, 10, in->ends_at);
    db_bind_int64(s, 11, staff_id);
    db_bind_int64(s, 12, now);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

static bool insert_targets(db *d, int64_t id, const announcement_in *in)
{
    for (size_t i = 0; i < in->n_targets; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO announcement_targets (announcement_id, target_kind, target_id)"
                                   " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
        if (!s)
            return false;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, announcement_target_names[in->targets[i].kind]);
        db_bind_int64(s, 3, in->targets[i].id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

/* Resolves the organizations of announcement id ($1) in one statement: every
 * organization, those with an active or suspended service of a target, or
 * (a resolution, $2 = the incident) the incident's. How many, -1 on error. */
static int64_t resolve_orgs(db *d, int64_t id, const announcement_in *in, bool targeted)
{
    const char *sql = in->parent_id
        ? "INSERT INTO announcement_orgs (announcement_id, org_id, service_id, category_id)"
          " SELECT $1, org_id, service_id, category_id FROM announcement_orgs WHERE announcement_id = $2"
        : targeted
        ? "INSERT INTO announcement_orgs (announcement_id, org_id, service_id, category_id)"
          " SELECT $1, s.org_id, s.id, p.category_id FROM services s JOIN catalog_products p ON p.id = s.product_id"
          " WHERE s.status IN ('active', 'suspended') AND EXISTS (SELECT 1 FROM announcement_targets t"
          " WHERE t.announcement_id = $1 AND ((t.target_kind = 'service' AND t.target_id = s.id)"
          " OR (t.target_kind = 'product' AND t.target_id = s.product_id)"
          " OR (t.target_kind = 'category' AND t.target_id = p.category_id)))"
        : "INSERT INTO announcement_orgs (announcement_id, org_id, service_id, category_id)"
          " SELECT $1, o.id, 0, 0 FROM orgs o";
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, id);
    if (in->parent_id)
        db_bind_int64(s, 2, in->parent_id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    db_stmt *c = db_prepare(d, "UPDATE announcements SET org_count = (SELECT count(DISTINCT org_id)"
                               " FROM announcement_orgs WHERE announcement_id = $1) WHERE id = $1"
                               " RETURNING org_count");
    if (!c)
        return -1;
    db_bind_int64(c, 1, id);
    int64_t n = db_step(c) == DB_ROW ? db_col_int64(c, 0) : -1;
    db_done(c);
    return n;
}

/* Closes the incident a resolution follows up; false when it was closed meanwhile. */
static bool close_incident(db *d, int64_t parent_id)
{
    db_stmt *s = db_prepare(d, "UPDATE announcements SET closed_at = $1 WHERE id = $2 AND kind = 'incident'"
                               " AND closed_at = 0");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, parent_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

/* The stored announcement id as the notification and the mails tell it. */
static bool load(db *d, int64_t id, announcement_row *a)
{
    db_stmt *s = db_prepare(d, "SELECT kind, title_en, title_it, body_en, body_it, starts_at, ends_at"
                               " FROM announcements WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        *a = (announcement_row){.id = id, .starts_at = db_col_int64(s, 5), .ends_at = db_col_int64(s, 6)};
        snprintf(a->kind, sizeof a->kind, "%s", db_col_text(s, 0));
        for (int l = 0; l < 2; l++) {
            snprintf(a->title[l], sizeof a->title[l], "%s", db_col_text(s, 1 + l));
            a->body[l] = strdup(db_col_text(s, 3 + l));
            if (!a->body[l])
                abort();
        }
    }
    db_done(s);
    return ok;
}

static void row_free(announcement_row *a)
{
    free(a->body[0]);
    free(a->body[1]);
}

/* The notification and the mail of a (posted, or updated when update) to
 * its organizations: two statements each, whatever their number. */
static bool tell(http_request *r, const announcement_row *a, bool update)
{
    json_t *detail = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "announcement_id", (json_int_t)a->id,
                               "title_en", a->title[0], "title_it", a->title[1], "body_en", a->body[0], "body_it",
                               a->body[1], "starts_at", (json_int_t)a->starts_at, "ends_at", (json_int_t)a->ends_at,
                               "update", update);
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    const char *kind = arena_printf(r->a, "announcement.%s", a->kind);
    bool ok = text && notification_fanout(r->db, kind, a->id, text, NOTIFICATION_FANOUT_SQL(ORGS_SQL),
                                          NOTIFICATION_SERVICES_SQL(ORGS_SQL)) >= 0;
    free(text);
    const char *subject[2], *body[2];
    return ok && status_mail_render(r, a, update, subject, body) &&
           outbox_enqueue_each(r->db, OUTBOX_EACH_SQL(RECIPIENTS_SQL), a->id, subject, body) >= 0;
}

/* orgs: how many organizations it was posted to, -1 for an update. */
static bool audit(http_request *r, const char *action, int64_t id, int64_t orgs)
{
    const char *detail = orgs < 0 ? "{}" : arena_printf(r->a, "{\"organizations\":%" PRId64 "}", orgs);
    return staff_audit(r->db, r->staff_id, action, "announcement", id, detail, r->client_ip);
}

announcement_result announcement_post(http_request *r, const announcement_in *in, int64_t *out_id,
                                      const char **field, const char **message)
{
    assert(r->staff_id > 0);
    bool targeted, is_public;
    announcement_result res = announcement_check(r->db, in, &targeted, &is_public, field, message);
    if (res != ANNOUNCEMENT_OK)
        return res;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return ANNOUNCEMENT_STORE_ERROR;
    bool parent_public;
    if (in->parent_id && announcement_open_incident(r->db, in->parent_id, &targeted, &parent_public) != 1) {
        db_rollback(r->db);
        *field = "parent_id";
        *message = "an open incident";
        return ANNOUNCEMENT_INVALID;
    }
    int64_t id = insert_announcement(r->db, r->staff_id, in, targeted, is_public);
    int64_t orgs = id > 0 && insert_targets(r->db, id, in) ? resolve_orgs(r->db, id, in, targeted) : -1;
    announcement_row a;
    bool ok = orgs >= 0 && (!in->parent_id || close_incident(r->db, in->parent_id)) && load(r->db, id, &a);
    if (ok) {
        ok = tell(r, &a, false) && audit(r, "announcement.post", id, orgs);
        row_free(&a);
    }
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return ANNOUNCEMENT_STORE_ERROR;
    }
    *out_id = id;
    return ANNOUNCEMENT_OK;
}

/* 1 updated, 0 no such announcement, -1 on a store error. */
static int apply_patch(db *d, int64_t id, const announcement_patch *p)
{
    db_stmt *s = db_prepare(d,
        "UPDATE announcements SET title_en = COALESCE($1, title_en), title_it = COALESCE($2, title_it),"
        " body_en = COALESCE($3, body_en), body_it = COALESCE($4, body_it),"
        " starts_at = CASE WHEN $5 > 0 THEN $5 ELSE starts_at END, ends_at = CASE WHEN $6 > 0 THEN $6 ELSE ends_at END,"
        " public = CASE WHEN $7 >= 0 THEN $7 ELSE public END, updated_at = $8 WHERE id = $9");
    if (!s)
        return -1;
    for (int l = 0; l < 2; l++) {
        db_bind_text(s, 1 + l, p->title[l]);
        db_bind_text(s, 3 + l, p->body[l]);
    }
    db_bind_int64(s, 5, p->starts_at);
    db_bind_int64(s, 6, p->ends_at);
    db_bind_int64(s, 7, p->is_public);
    db_bind_int64(s, 8, (int64_t)time(NULL));
    db_bind_int64(s, 9, id);
    if (db_exec1(s) != DB_DONE)
        return -1;
    return db_changes(d) == 1;
}

announcement_result announcement_update(http_request *r, int64_t id, const announcement_patch *p, const char **field,
                                        const char **message)
{
    assert(r->staff_id > 0);
    if (!announcement_patch_texts_ok(p, field, message))
        return ANNOUNCEMENT_INVALID;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return ANNOUNCEMENT_STORE_ERROR;
    announcement_row a;
    announcement_result res = ANNOUNCEMENT_STORE_ERROR;
    int found = apply_patch(r->db, id, p);
    if (found <= 0) {
        res = found == 0 ? ANNOUNCEMENT_NOT_FOUND : ANNOUNCEMENT_STORE_ERROR;
    } else if (load(r->db, id, &a)) {
        if (!announcement_times_ok(a.kind, a.starts_at, a.ends_at, field, message))
            res = ANNOUNCEMENT_INVALID;
        else if (tell(r, &a, true) && audit(r, "announcement.update", id, -1))
            res = ANNOUNCEMENT_OK;
        row_free(&a);
    }
    if (res != ANNOUNCEMENT_OK || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return res == ANNOUNCEMENT_OK ? ANNOUNCEMENT_STORE_ERROR : res;
    }
    return ANNOUNCEMENT_OK;
}
