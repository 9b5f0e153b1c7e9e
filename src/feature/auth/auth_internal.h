/* auth_internal.h - what the files of src/feature/auth share among themselves. */
#ifndef SALDO_AUTH_INTERNAL_H
#define SALDO_AUTH_INTERNAL_H

#include <stdint.h>

#include "http/router.h"
#include "store/db.h"

void auth_email_routes(router *rt);
void auth_token_routes(router *rt);
void twofa_routes(router *rt);
/* After a correct password: when the user has two-factor on, otp must be a
 * valid code. Answers 401 otp_required / invalid_otp, or 429 while wrong codes
 * are slowed down (twofa_login_verify), itself and returns false; true when the sign-in may go on. */
bool twofa_api_second_factor(http_request *r, int64_t user_id, const char *otp);
/* Rolls back and answers 500; returns false for `return store_failed(r)`. */
bool auth_store_failed(http_request *r);
/* Marks an email link used (inside a write transaction) and returns its user,
 * or 0 when it is unknown, used, expired or for another purpose. */
int64_t auth_consume_token(db *d, const char *token, const char *purpose);

#endif
