/* auth_account.c - what other features need from auth about a whole account:
 * its email (where an organization's mail falls back to), everything auth keeps
 * about a user for their data export (never a secret), and erasing the
 * personal data of a user who deletes their account. */
#include "feature/auth/auth.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feature/auth/session.h"
#include "feature/auth/twofa.h"
#include "http/field.h"
#include "http/json_in.h"

enum { AUTH_EXPORT_ROWS_MAX = 1000 }; /* sessions, tokens and links per list */

bool auth_user_email(db *d, int64_t user_id, char *out, size_t size)
{
    assert(size > 0);
    db_stmt *s = db_prepare(d, "SELECT email FROM users WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        snprintf(out, size, "%s", db_col_text(s, 0));
    db_done(s);
    return found;
}

bool auth_user_language(db *d, int64_t user_id, char out[3])
{
    db_stmt *s = db_prepare(d, "SELECT language FROM users WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, user_id);
    bool found = db_step(s) == DB_ROW;
    if (found)
        snprintf(out, 3, "%s", db_col_text(s, 0));
    db_done(s);
    assert(!found || auth_language_ok(out));
    return found;
}

static json_t *time_or_null(db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : jout_time(db_col_int64(s, col));
}

/* Sessions of kind "token" (tokens) or the others, newest first. */
static json_t *export_sessions(db *d, int64_t user_id, bool tokens)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, kind, name, created_at, last_seen_at, expires_at, revoked_at FROM sessions"
        " WHERE user_id = $1 AND (kind = 'token') = ($2 = 1) ORDER BY id DESC LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, tokens);
    db_bind_int64(s, 3, AUTH_EXPORT_ROWS_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW) {
        json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(s, 0),
                              "kind", db_col_text(s, 1), "created_at", jout_time(db_col_int64(s, 3)),
                              "last_used_at", jout_time(db_col_int64(s, 4)), "expires_at", time_or_null(s, 5),
                              "revoked_at", time_or_null(s, 6));
        if (tokens)
            json_object_set_new(o, "name", json_string(db_col_text(s, 2) ? db_col_text(s, 2) : ""));
        json_array_append_new(list, o);
    }
    db_done(s);
    return list;
}

static json_t *export_email_tokens(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, purpose, created_at, expires_at, used_at FROM email_tokens WHERE user_id = $1"
        " ORDER BY id DESC LIMIT $2");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, AUTH_EXPORT_ROWS_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(s, 0),
                                              "purpose", db_col_text(s, 1), "created_at", jout_time(db_col_int64(s, 2)),
                                              "expires_at", jout_time(db_col_int64(s, 3)), "used_at", time_or_null(s, 4)));
    db_done(s);
    return list;
}

static json_t *export_profile(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "SELECT email, name, country, language, recovery_email, email_verified_at, created_at FROM users WHERE id = $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, user_id);
    json_t *o = NULL;
    if (db_step(s) == DB_ROW)
        o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:b, s:o, s:o}", "id", (json_int_t)user_id,
                      "email", db_col_text(s, 0), "name", db_col_text(s, 1), "country", db_col_text(s, 2),
                      "language", db_col_text(s, 3), "recovery_email", db_col_text(s, 4),
                      "email_verified", !db_col_is_null(s, 5), "email_verified_at", time_or_null(s, 5),
                      "created_at", jout_time(db_col_int64(s, 6)));
    db_done(s);
    return o;
}

json_t *auth_user_export(http_request *r, int64_t user_id)
{
    bool enabled;
    int left;
    json_t *profile = export_profile(r->db, user_id);
    json_t *sessions = export_sessions(r->db, user_id, false);
    json_t *tokens = export_sessions(r->db, user_id, true);
    json_t *links = export_email_tokens(r->db, user_id);
    bool twofa = twofa_status(r->db, user_id, &enabled, &left);
    if (!profile || !sessions || !tokens || !links || !twofa) {
        json_decref(profile);
        json_decref(sessions);
        json_decref(tokens);
        json_decref(links);
        return NULL;
    }
    return json_pack("{s:o, s:{s:b, s:i}, s:o, s:o, s:o}", "user", profile, "two_factor", "enabled", enabled,
                     "recovery_codes_left", left, "sessions", sessions, "api_tokens", tokens, "email_tokens", links);
}

/* Runs one statement with the user's id as $2 and now as $1. */
static bool exec_user(db *d, const char *sql, int64_t user_id, int64_t now)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE;
}

bool auth_user_erase(db *d, int64_t user_id)
{
    assert(db_in_tx(d) && user_id > 0);
    char old_email[FIELD_EMAIL_MAX + 1] = "", tomb[64];
    snprintf(tomb, sizeof tomb, AUTH_DELETED_EMAIL_FMT, (long long)user_id);
    int64_t now = (int64_t)time(NULL);
    if (!auth_user_email(d, user_id, old_email, sizeof old_email))
        return false;
    db_stmt *s = db_prepare(d,
        "UPDATE users SET email = $1, name = $2, password_hash = '!', recovery_email = NULL,"
        " email_verified_at = NULL, totp_sealed = NULL, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = $3");
    if (!s)
        return false;
    db_bind_text(s, 1, tomb);
    db_bind_text(s, 2, AUTH_DELETED_NAME);
    db_bind_int64(s, 3, user_id);
    if (db_exec1(s) != DB_DONE || db_changes(d) != 1)
        return false;
    s = db_prepare(d, "DELETE FROM login_failures WHERE scope = 'account' AND key = $1");
    if (!s)
        return false;
    db_bind_text(s, 1, old_email);
    if (db_exec1(s) != DB_DONE || !(s = db_prepare(d, "DELETE FROM recovery_codes WHERE user_id = $1")))
        return false;
    db_bind_int64(s, 1, user_id);
    return db_exec1(s) == DB_DONE &&
           exec_user(d, "UPDATE email_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL", user_id, now) &&
           exec_user(d, "UPDATE login_challenges SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL", user_id, now) &&
           session_revoke_user(d, user_id);
}
