/* staff.c - staff accounts, their sessions and the audit log. */
#include "feature/staff/staff.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feature/auth/secret.h"

bool staff_add(db *d, const char *email, const char *name, const char *password, char *err, size_t err_size)
{
    if (strlen(password) < SECRET_PASSWORD_MIN || strlen(password) > SECRET_PASSWORD_MAX) {
        snprintf(err, err_size, "password: must be %d to %d characters", SECRET_PASSWORD_MIN, SECRET_PASSWORD_MAX);
        return false;
    }
    if (!strchr(email, '@') || strlen(email) > 254) {
        snprintf(err, err_size, "email: '%s' is not a valid email address", email);
        return false;
    }
    char hash[SECRET_PWHASH_MAX];
    if (!secret_password_hash(password, hash)) {
        snprintf(err, err_size, "cannot hash the password");
        return false;
    }
    db_stmt *s = db_prepare(d,
        "INSERT INTO staff (email, password_hash, name, created_at) VALUES ($1, $2, $3, $4)");
    if (!s) {
        snprintf(err, err_size, "%s", db_errmsg(d));
        return false;
    }
    db_bind_text(s, 1, email);
    db_bind_text(s, 2, hash);
    db_bind_text(s, 3, name);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    db_status st = db_exec1(s);
    if (st == DB_CONSTRAINT)
        snprintf(err, err_size, "email: a staff account with %s already exists", email);
    else if (st != DB_DONE)
        snprintf(err, err_size, "%s", db_errmsg(d));
    return st == DB_DONE;
}

bool staff_audit(db *d, int64_t staff_id, const char *action, const char *target_kind, int64_t target_id,
                 const char *detail, const char *ip)
{
    assert(staff_id > 0 && action && target_kind && target_id >= 0);
    db_stmt *s = db_prepare(d,
        "INSERT INTO audit_log (staff_id, action, target_kind, target_id, detail, ip, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!s)
        return false;
    db_bind_int64(s, 1, staff_id);
    db_bind_text(s, 2, action);
    db_bind_text(s, 3, target_kind);
    if (target_id)
        db_bind_int64(s, 4, target_id);
    else
        db_bind_null(s, 4);
    db_bind_text(s, 5, detail ? detail : "{}");
    db_bind_text(s, 6, ip);
    db_bind_int64(s, 7, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}

bool staff_get(http_request *r, int64_t staff_id, staff_member *out)
{
    db_stmt *s = db_prepare(r->db, "SELECT email, name FROM staff WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, staff_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        *out = (staff_member){staff_id, arena_strdup(r->a, db_col_text(s, 0)), arena_strdup(r->a, db_col_text(s, 1))};
    db_done(s);
    return found;
}

bool staff_session_start(http_request *r, const char *kind, int64_t staff_id,
                         char token_out[SECRET_TOKEN_CHARS + 1], session *out)
{
    assert(staff_id > 0 && (!strcmp(kind, "web") || !strcmp(kind, "api")));
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    const char *detail = !strcmp(kind, "web") ? "{\"via\":\"web\"}" : "{\"via\":\"api\"}";
    if (!session_create(r->db, kind, 0, staff_id, NULL, token_out, out) ||
        !staff_audit(r->db, staff_id, "staff.sign_in", "staff", staff_id, detail, r->client_ip) ||
        db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return false;
    }
    assert(out->id > 0 && out->staff_id == staff_id);
    return true;
}

bool staff_session_end(http_request *r)
{
    assert(r->staff_id > 0 && r->session_id > 0);
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return false;
    if (!session_revoke(r->db, r->session_id, 0) ||
        !staff_audit(r->db, r->staff_id, "staff.sign_out", "staff", r->staff_id, NULL, r->client_ip) ||
        db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return false;
    }
    return true;
}
