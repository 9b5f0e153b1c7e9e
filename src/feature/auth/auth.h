/* auth.h - sign-up, sign-in, sessions, API tokens, email verification and
 * password reset: the routes, plus what the dispatcher needs from auth. */
#ifndef SALDO_AUTH_H
#define SALDO_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"
#include "store/db.h"

#define AUTH_COOKIE "saldo_session"

enum { VERIFY_TOKEN_TTL_S = 7 * 86400, RESET_TOKEN_TTL_S = 3600 };

void auth_routes(router *rt);
/* Inserts a customer with an organization named after them, as its admin
 * (inside the caller's write transaction). DB_CONSTRAINT: the email is taken. */
db_status auth_user_create(db *d, const char *email, const char *password_hash, const char *name,
                           const char *country, const char *lang, int64_t *user_id, int64_t *org_id);
/* Checks a customer's (or, with staff, a staff member's) credentials with
 * growing delays per account and per address. Answers 401/429/500 itself and
 * returns 0, or returns the account's id. Same answer for an unknown email and
 * a wrong password. */
int64_t auth_check_login(http_request *r, bool staff, const char *email, const char *password);
/* Sets r->lang from the user's profile, the lang cookie or Accept-Language. */
void auth_pick_language(http_request *r);
/* The `_csrf` field of a urlencoded form body, or NULL. */
const char *auth_form_csrf(http_request *r);
/* Constant-time comparison of two strings of equal length. */
bool auth_secure_equal(const char *a, const char *b);
/* Creates a single-use email token (inside a write transaction) and returns
 * the link's token, for verify ("verify") or reset ("reset"). */
const char *auth_email_token(http_request *r, int64_t user_id, const char *purpose, int64_t ttl_s);

#endif
