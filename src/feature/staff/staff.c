/* staff.c - staff accounts and the audit log. */
#include "feature/staff/staff.h"

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
    db_stmt *s = db_prepare(d,
        "INSERT INTO audit_log (staff_id, action, target_kind, target_id, detail, ip, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)");
    if (!s)
        return false;
    db_bind_int64(s, 1, staff_id);
    db_bind_text(s, 2, action);
    db_bind_text(s, 3, target_kind);
    db_bind_int64(s, 4, target_id);
    db_bind_text(s, 5, detail ? detail : "{}");
    db_bind_text(s, 6, ip);
    db_bind_int64(s, 7, (int64_t)time(NULL));
    return db_exec1(s) == DB_DONE;
}
