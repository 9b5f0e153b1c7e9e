/* session.c - see session.h. */
#include "feature/auth/session.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/buf.h"

bool session_create(db *d, const char *kind, int64_t user_id, int64_t staff_id, const char *name,
                    char token_out[SECRET_TOKEN_CHARS + 1], session *out)
{
    assert((user_id > 0) != (staff_id > 0));
    char hash[SECRET_HASH_HEX + 1];
    secret_token_new(token_out);
    secret_token_hash(token_out, hash);
    memset(out, 0, sizeof *out);
    snprintf(out->kind, sizeof out->kind, "%s", kind);
    if (!strcmp(kind, "web"))
        secret_token_new(out->csrf);
    int64_t now = (int64_t)time(NULL);
    int64_t ttl = !strcmp(kind, "web") ? (staff_id ? SESSION_STAFF_WEB_TTL_S : SESSION_WEB_TTL_S)
                  : !strcmp(kind, "api") ? SESSION_API_TTL_S : 0;
    db_stmt *s = db_prepare(d,
        "INSERT INTO sessions (token_hash, kind, user_id, staff_id, name, csrf_token, created_at,"
        " last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id");
    if (!s)
        return false;
    db_bind_text(s, 1, hash);
    db_bind_text(s, 2, kind);
    if (user_id) db_bind_int64(s, 3, user_id); else db_bind_null(s, 3);
    if (staff_id) db_bind_int64(s, 4, staff_id); else db_bind_null(s, 4);
    db_bind_text(s, 5, name);
    db_bind_text(s, 6, out->csrf[0] ? out->csrf : NULL);
    db_bind_int64(s, 7, now);
    if (ttl) db_bind_int64(s, 8, now + ttl); else db_bind_null(s, 8);
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        out->id = db_col_int64(s, 0);
        out->user_id = user_id;
        out->staff_id = staff_id;
    }
    db_done(s);
    return ok;
}

/* Records activity at most every SESSION_TOUCH_EVERY_S, so reads stay reads. */
static void session_touch(db *d, int64_t id, int64_t last_seen, int64_t now)
{
    if (now - last_seen < SESSION_TOUCH_EVERY_S)
        return;
    db_stmt *s = db_prepare(d, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2");
    if (!s)
        return;
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, id);
    db_exec1(s);
}

bool session_find(db *d, const char *token, session *out)
{
    if (!token || strlen(token) != SECRET_TOKEN_CHARS)
        return false;
    char hash[SECRET_HASH_HEX + 1];
    secret_token_hash(token, hash);
    int64_t now = (int64_t)time(NULL);
    db_stmt *s = db_prepare(d,
        "SELECT s.id, COALESCE(s.user_id, 0), COALESCE(s.staff_id, 0), COALESCE(s.current_org, 0), s.kind,"
        " COALESCE(s.csrf_token, ''), s.last_seen_at, COALESCE(u.language, '')"
        " FROM sessions s LEFT JOIN users u ON u.id = s.user_id"
        " WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > $2)");
    if (!s)
        return false;
    db_bind_text(s, 1, hash);
    db_bind_int64(s, 2, now);
    bool found = db_step(s) == DB_ROW;
    int64_t last_seen = 0;
    if (found) {
        out->id = db_col_int64(s, 0);
        out->user_id = db_col_int64(s, 1);
        out->staff_id = db_col_int64(s, 2);
        out->current_org = db_col_int64(s, 3);
        buf_copy_utf8(out->kind, sizeof out->kind, db_col_text(s, 4));
        buf_copy_utf8(out->csrf, sizeof out->csrf, db_col_text(s, 5));
        last_seen = db_col_int64(s, 6);
        buf_copy_utf8(out->lang, sizeof out->lang, db_col_text(s, 7));
    }
    db_done(s);
    if (found)
        session_touch(d, out->id, last_seen, now);
    return found;
}

bool session_revoke(db *d, int64_t session_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
        " AND (CAST($3 AS BIGINT) = 0 OR user_id = $3)");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, session_id);
    db_bind_int64(s, 3, user_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

bool session_revoke_token(db *d, int64_t token_id, int64_t user_id)
{
    db_stmt *s = db_prepare(d,
        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND kind = 'token'"
        " AND revoked_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, token_id);
    db_bind_int64(s, 3, user_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}

bool session_revoke_user(db *d, int64_t user_id)
{
    db_stmt *s = db_prepare(d, "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    return db_exec1(s) == DB_DONE;
}

bool session_revoke_others(db *d, int64_t user_id, int64_t keep_id)
{
    db_stmt *s = db_prepare(d,
        "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, user_id);
    db_bind_int64(s, 3, keep_id);
    return db_exec1(s) == DB_DONE;
}

bool session_set_current_org(db *d, int64_t session_id, int64_t org_id)
{
    assert(session_id > 0 && org_id > 0);
    db_stmt *s = db_prepare(d, "UPDATE sessions SET current_org = $1 WHERE id = $2 AND revoked_at IS NULL");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, session_id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}
