/* auth.h - sign-up, sign-in, sessions, API tokens, email verification and
 * password reset: the routes, plus what the dispatcher needs from auth. */
#ifndef SALDO_AUTH_H
#define SALDO_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/auth/session.h"
#include "http/router.h"
#include "store/db.h"

#define AUTH_COOKIE "saldo_session"
/* The back office's session cookie (Path=/staff): a person may be signed in as
 * a customer and as staff in one browser without the two mixing. */
#define AUTH_STAFF_COOKIE "saldo_staff"

enum { VERIFY_TOKEN_TTL_S = 7 * 86400, RESET_TOKEN_TTL_S = 3600 };

/* Outcomes of the account operations below, shared by the API and the pages. */
typedef enum {
    AUTH_OK,
    AUTH_EMAIL_TAKEN,     /* sign-up: an account with this email exists */
    AUTH_BAD_CREDENTIALS, /* sign-in or password change: wrong email or password */
    AUTH_WAIT,            /* sign-in: too many failures, wait (see *wait_s) */
    AUTH_INVALID_TOKEN,   /* email link unknown, used, expired or for another purpose */
    AUTH_STORE_ERROR,     /* nothing was changed (rolled back); answer 500 */
    AUTH_RESULT_COUNT
} auth_result;

/* The languages the UI and the mails speak; NULL-terminated. */
extern const char *const auth_languages[];
bool auth_language_ok(const char *lang);

/* What sign-up needs, already validated by the caller (email lowercased,
 * password SECRET_PASSWORD_MIN..MAX bytes, country two upper-case letters). */
typedef struct auth_signup_in {
    const char *email, *password, *name, *country, *lang;
} auth_signup_in;

/* Creates the customer, their organization, a verification link and its mail,
 * in one transaction: AUTH_OK, AUTH_EMAIL_TAKEN or AUTH_STORE_ERROR. */
auth_result auth_signup(http_request *r, const auth_signup_in *in, int64_t *user_id, int64_t *org_id);
/* Checks credentials (customer, or staff with staff) with the growing delays of
 * ratelimit.h: AUTH_OK with *id set, AUTH_BAD_CREDENTIALS (same for an unknown
 * email and a wrong password, in the same time), AUTH_WAIT with *wait_s set, or
 * AUTH_STORE_ERROR. */
auth_result auth_login(http_request *r, bool staff, const char *email, const char *password, int64_t *id,
                       int64_t *wait_s);
/* Consumes a verification link and marks the address verified. */
auth_result auth_verify_email(http_request *r, const char *token);
/* Sends a new verification link to the user. */
auth_result auth_verify_resend(http_request *r, int64_t user_id);
/* Sends a reset link to the account's recovery address (or its email) if the
 * account exists; AUTH_OK either way, so the answer reveals nothing. */
auth_result auth_password_forgot(http_request *r, const char *email);
/* Consumes a reset link, sets the new password and signs out every session. */
auth_result auth_password_reset(http_request *r, const char *token, const char *password);
/* Changes the password after checking the current one (AUTH_BAD_CREDENTIALS
 * when wrong) and signs out the user's other sessions, keeping keep_session. */
auth_result auth_password_change(http_request *r, int64_t user_id, int64_t keep_session, const char *current,
                                 const char *password);

/* A customer's profile; strings live in the request arena. */
typedef struct auth_user {
    int64_t id;
    const char *email, *name, *country, *language;
    const char *recovery_email; /* NULL when unset */
    bool email_verified;
} auth_user;

/* Reads user_id's profile; false when unknown or on a store error. */
bool auth_user_get(http_request *r, int64_t user_id, auth_user *out);
/* Updates the fields given (NULL = keep); clear_recovery removes the recovery
 * email. False on a store error. */
bool auth_profile_update(db *d, int64_t user_id, const char *name, const char *lang, const char *recovery_email,
                         bool clear_recovery);

enum { AUTH_SEARCH_TEXT_MAX = 200 };

/* Ids of the customers whose email contains q (case-insensitive; % and _ are
 * plain characters; q at most AUTH_SEARCH_TEXT_MAX bytes), newest first, at
 * most max of them. Returns how many, or -1 on a store error. For the back
 * office's search: other features never read the users table. */
int auth_users_by_email(db *d, const char *q, int64_t *ids, size_t max);

void auth_routes(router *rt);
/* Inserts a customer with an organization named after them, as its admin
 * (inside the caller's write transaction). DB_CONSTRAINT: the email is taken. */
db_status auth_user_create(db *d, const char *email, const char *password_hash, const char *name,
                           const char *country, const char *lang, int64_t *user_id, int64_t *org_id);
/* Inserts a customer whose address an emailed link has just proven (an
 * invitation), verified and without an organization of their own, inside the
 * caller's write transaction. DB_CONSTRAINT: the email is taken. */
db_status auth_user_create_verified(db *d, const char *email, const char *password_hash, const char *name,
                                    const char *country, const char *lang, int64_t *user_id);
/* The id of the customer with this (lowercased) email, 0 when there is none,
 * -1 on a store error. */
int64_t auth_user_id_by_email(db *d, const char *email);
/* Starts a session of kind "web" or "api" for user_id, who has just proved who
 * they are, and records the sign-in in the audit log of every organization they
 * belong to, in one transaction. False on a store error (rolled back). */
bool auth_session_start(http_request *r, const char *kind, int64_t user_id, char token_out[SECRET_TOKEN_CHARS + 1],
                        session *out);
/* auth_login for the JSON API: answers 401/429/500 itself and returns 0, or
 * returns the account's id. */
int64_t auth_check_login(http_request *r, bool staff, const char *email, const char *password);
/* Sets r->lang: the lang cookie, else the user's profile, else the browser's
 * Accept-Language (http/accept_language.h; English for a visitor who reads
 * neither language, Italian without the header). */
void auth_pick_language(http_request *r);
/* The `_csrf` field of a urlencoded or multipart/form-data body, or NULL. */
const char *auth_form_csrf(http_request *r);
/* Constant-time comparison of two strings of equal length. */
bool auth_secure_equal(const char *a, const char *b);
/* Creates a single-use email token (inside a write transaction) and returns
 * the link's token, for verify ("verify") or reset ("reset"). */
const char *auth_email_token(http_request *r, int64_t user_id, const char *purpose, int64_t ttl_s);

/* ---- For notification addresses, the data export and account deletion
 * (feature/addresses, feature/account) ---- */

/* Copies user_id's email into out (size bytes); false when unknown. */
bool auth_user_email(db *d, int64_t user_id, char *out, size_t size);
/* Copies user_id's language ("it" or "en") into out; false when unknown or on
 * a store error. For the mail features send outside a request (billing run). */
bool auth_user_language(db *d, int64_t user_id, char out[3]);
/* What auth keeps about user_id, without any secret (no password hash, token
 * hash, CSRF token, TOTP secret or recovery code): {"user": profile with
 * created_at, "two_factor": {enabled, recovery_codes_left}, "sessions",
 * "api_tokens", "email_tokens"}. NULL on a store error; the caller owns it. */
json_t *auth_user_export(http_request *r, int64_t user_id);
/* Erases user_id's personal data inside the caller's write transaction: the
 * email becomes AUTH_DELETED_EMAIL ("deleted-<id>@invalid", so the address is
 * free for a new account), the name AUTH_DELETED_NAME, the password unusable,
 * the recovery email, two-factor and recovery codes cleared, pending email
 * links and sign-in challenges spent, every session revoked. The row stays
 * (ledger lines and audit entries may name its id). False on a store error. */
#define AUTH_DELETED_NAME "Deleted user"
#define AUTH_DELETED_EMAIL_FMT "deleted-%lld@invalid"
bool auth_user_erase(db *d, int64_t user_id);

#endif
