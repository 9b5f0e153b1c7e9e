/* twofa.h - two-factor authentication of customers: enrolment with a QR code
 * and a first code, ten single-use recovery codes (stored as keyed hashes),
 * codes required at sign-in and to change the password or these settings.
 * Shared by the API and the pages; each call runs its own transaction. */
#ifndef SALDO_TWOFA_H
#define SALDO_TWOFA_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/auth/totp.h"
#include "http/http.h"

enum {
    TWOFA_RECOVERY_COUNT = 10,
    TWOFA_RECOVERY_LEN = 11,        /* "xxxxx-xxxxx": 10 symbols of 31, about 49 bits */
    TWOFA_CODE_INPUT_MAX = 32,
    LOGIN_CHALLENGE_TTL_S = 300,
    LOGIN_CHALLENGE_ATTEMPTS_MAX = 5,
};

typedef enum {
    TWOFA_OK,
    TWOFA_ALREADY_ENABLED, /* begin: switch it off first */
    TWOFA_NOT_ENABLED,
    TWOFA_NOT_STARTED,     /* confirm: no enrolment under way */
    TWOFA_BAD_CODE,        /* wrong, reused or expired code */
    TWOFA_WAIT,            /* sign-in: too many wrong codes lately, wait first */
    TWOFA_STORE_ERROR,     /* nothing changed */
    TWOFA_RESULT_COUNT
} twofa_result;

typedef char twofa_codes[TWOFA_RECOVERY_COUNT][TWOFA_RECOVERY_LEN + 1];

/* Whether user has two-factor on, and how many recovery codes are left. */
bool twofa_status(db *d, int64_t user_id, bool *enabled, int *recovery_left);
/* Starts (or restarts) an enrolment: a new secret, kept sealed and inactive
 * until confirmed. secret_out gets it in base32 for manual entry, uri_out the
 * otpauth URI for the QR code. */
twofa_result twofa_begin(http_request *r, int64_t user_id, char secret_out[TOTP_SECRET_B32 + 1], buf *uri_out);
/* The enrolment under way (begun, not confirmed): its secret and URI again,
 * e.g. to show the QR code once more after a wrong first code. */
twofa_result twofa_pending(http_request *r, int64_t user_id, char secret_out[TOTP_SECRET_B32 + 1], buf *uri_out);
/* Confirms the enrolment with a first code; on TWOFA_OK two-factor is on and
 * codes_out holds the recovery codes, shown once. */
twofa_result twofa_confirm(http_request *r, int64_t user_id, const char *code, twofa_codes codes_out);
/* Checks a code from the app (each works once) or a recovery code (consumed). */
twofa_result twofa_verify(http_request *r, int64_t user_id, const char *code);
/* A sign-in code, slowed down like passwords (ratelimit.h) under its own
 * key ("otp:<user id>"), which a right password does not clear: TWOFA_WAIT with *wait_s set
 * while the user must wait, else twofa_verify's answer, the failure counted. */
twofa_result twofa_login_verify(http_request *r, int64_t user_id, const char *code, int64_t *wait_s);
/* Switches two-factor off after a valid code. */
twofa_result twofa_disable(http_request *r, int64_t user_id, const char *code);
/* Replaces the recovery codes after a valid code. */
twofa_result twofa_new_recovery_codes(http_request *r, int64_t user_id, const char *code, twofa_codes codes_out);

/* Sign-in second step: a challenge for user after a correct password; the
 * token (to hand to the browser) is in the arena. NULL on a store error. */
const char *twofa_challenge_new(http_request *r, int64_t user_id);
/* The user of a live challenge (0 when unknown, used, expired or worn out). */
int64_t twofa_challenge_user(http_request *r, const char *token);
/* Counts a failed code against the challenge. */
void twofa_challenge_failed(http_request *r, const char *token);
/* Ends the challenge once its code was right. */
void twofa_challenge_done(http_request *r, const char *token);

#endif
