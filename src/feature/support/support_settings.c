/* support_settings.c - what staff set up for support: canned replies (texts
 * to insert into an answer, in the back office's answer form and the staff
 * API), departments added beside the seeded ones, and each department's
 * first-response targets and on-duty address. Each change writes the staff
 * audit log in its own transaction (see support_internal.h). */
#include "feature/support/support_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "feature/staff/staff.h"

int support_canned_list(http_request *r, support_canned *out, size_t max)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, title, body FROM support_canned WHERE deleted_at IS NULL ORDER BY lower(title), id LIMIT $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, (int64_t)max);
    size_t n = 0;
    db_status st = DB_DONE;
    while (n < max && (st = db_step(s)) == DB_ROW) {
        out[n] = (support_canned){db_col_int64(s, 0), arena_strdup(r->a, db_col_text(s, 1)),
                                  arena_strdup(r->a, db_col_text(s, 2))};
        n++;
    }
    db_done(s);
    return n == max || st == DB_DONE ? (int)n : -1;
}

json_t *support_canned_json(const support_canned *c)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->id, "title", c->title, "body", c->body);
}

static bool audit(http_request *r, const char *action, int64_t id, const char *title)
{
    json_t *d = json_pack("{s:s}", "title", title);
    char *text = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    bool ok = text && staff_audit(r->db, r->staff_id, action, "canned_reply", id, text, r->client_ip);
    free(text);
    return ok;
}

bool support_canned_add(http_request *r, const char *title, const char *body, int64_t *out_id)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO support_canned (title, body, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id");
    bool ok = s != NULL;
    if (ok) {
        db_bind_text(s, 1, title);
        db_bind_text(s, 2, body);
        db_bind_int64(s, 3, r->staff_id);
        db_bind_int64(s, 4, (int64_t)time(NULL));
        ok = db_step(s) == DB_ROW;
        if (ok)
            *out_id = db_col_int64(s, 0);
        db_done(s);
    }
    if (ok && audit(r, "support.canned_add", *out_id, title) && db_commit(r->db) == DB_OK)
        return true;
    db_rollback(r->db);
    return false;
}

int support_canned_delete(http_request *r, int64_t id)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return -1;
    db_stmt *s = db_prepare(r->db,
        "UPDATE support_canned SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL RETURNING title");
    int found = -1;
    if (s) {
        db_bind_int64(s, 1, (int64_t)time(NULL));
        db_bind_int64(s, 2, id);
        db_status st = db_step(s);
        const char *title = st == DB_ROW ? arena_strdup(r->a, db_col_text(s, 0)) : NULL;
        db_done(s);
        found = st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
        if (found == 1 && !audit(r, "support.canned_delete", id, title))
            found = -1;
    }
    if (found == 1 && db_commit(r->db) == DB_OK)
        return 1;
    db_rollback(r->db);
    return found == 0 ? 0 : -1;
}

bool support_department_add(http_request *r, const support_department *dep)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO support_departments (code, name_en, name_it, sla_normal_min, sla_high_min, duty_email)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    int64_t id = 0;
    bool ok = s != NULL;
    if (ok) {
        db_bind_text(s, 1, dep->code);
        db_bind_text(s, 2, dep->name_en);
        db_bind_text(s, 3, dep->name_it);
        db_bind_int64(s, 4, dep->sla_min[SUPPORT_NORMAL]);
        db_bind_int64(s, 5, dep->sla_min[SUPPORT_HIGH]);
        db_bind_text(s, 6, dep->duty_email);
        ok = db_step(s) == DB_ROW;
        if (ok)
            id = db_col_int64(s, 0);
        db_done(s);
    }
    json_t *d = support_department_json(dep, "en", true);
    char *text = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    ok = ok && text && staff_audit(r->db, r->staff_id, "support.department_add", "department", id, text, r->client_ip);
    free(text);
    if (ok && db_commit(r->db) == DB_OK)
        return true;
    db_rollback(r->db);
    return false;
}

bool support_department_update(http_request *r, const support_department *dep)
{
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    db_stmt *s = db_prepare(r->db,
        "UPDATE support_departments SET sla_normal_min = $1, sla_high_min = $2, duty_email = $3 WHERE id = $4");
    bool ok = s != NULL;
    if (ok) {
        db_bind_int64(s, 1, dep->sla_min[SUPPORT_NORMAL]);
        db_bind_int64(s, 2, dep->sla_min[SUPPORT_HIGH]);
        db_bind_text(s, 3, dep->duty_email);
        db_bind_int64(s, 4, dep->id);
        ok = db_exec1(s) == DB_DONE;
    }
    json_t *d = support_department_json(dep, "en", true);
    char *text = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    ok = ok && text && staff_audit(r->db, r->staff_id, "support.department", "department", dep->id, text, r->client_ip);
    free(text);
    if (ok && db_commit(r->db) == DB_OK)
        return true;
    db_rollback(r->db);
    return false;
}
