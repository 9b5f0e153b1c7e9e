/* session.h - sessions of customers and staff, kept in the database so that any
 * node can serve any request. The client holds a random token; the store keeps
 * only its hash. Kinds: "web" (cookie + CSRF token), "api" (bearer from
 * POST /sessions), "token" (a named API token a user creates). */
#ifndef SALDO_SESSION_H
#define SALDO_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/auth/secret.h"
#include "store/db.h"

typedef struct session {
    int64_t id;
    int64_t user_id;   /* exactly one of user_id and staff_id is set */
    int64_t staff_id;
    int64_t current_org;
    char kind[8];
    char csrf[SECRET_TOKEN_CHARS + 1];
    char lang[3];      /* the customer's profile language ("" for staff), read with the session */
} session;

/* A staff member's web session is short: the back office moves money. */
enum { SESSION_WEB_TTL_S = 14 * 86400, SESSION_STAFF_WEB_TTL_S = 12 * 3600, SESSION_API_TTL_S = 30 * 86400,
       SESSION_TOUCH_EVERY_S = 300 };

/* Creates a session; token_out receives the secret to hand to the client once.
 * kind "token" sessions carry a name and never expire. */
bool session_create(db *d, const char *kind, int64_t user_id, int64_t staff_id, const char *name,
                    char token_out[SECRET_TOKEN_CHARS + 1], session *out);
/* Finds the live session of token; false when unknown, revoked or expired. */
bool session_find(db *d, const char *token, session *out);
/* Revokes one session; with user_id, only if it belongs to that user. */
bool session_revoke(db *d, int64_t session_id, int64_t user_id);
/* Revokes every session of a user (after a password reset). */
bool session_revoke_user(db *d, int64_t user_id);
/* Revokes one of the user's named API tokens (and nothing else); false when
 * token_id is not a live API token of that user. */
bool session_revoke_token(db *d, int64_t token_id, int64_t user_id);
/* Revokes every session of a user but keep_id (after a password change). */
bool session_revoke_others(db *d, int64_t user_id, int64_t keep_id);
/* Makes org_id the session's current organization (the header's switcher);
 * the caller has checked that the session's user belongs to it. */
bool session_set_current_org(db *d, int64_t session_id, int64_t org_id);

#endif
