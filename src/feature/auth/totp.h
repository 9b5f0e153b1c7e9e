/* totp.h - time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s),
 * as authenticator apps expect, through liboath; and the sealing of TOTP
 * secrets so the database never holds them in the clear. */
#ifndef SALDO_TOTP_H
#define SALDO_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum {
    TOTP_SECRET_BYTES = 20,   /* 160 bits, as RFC 4226 recommends */
    TOTP_SECRET_B32 = 32,     /* base32 characters of 20 bytes, no padding */
    TOTP_STEP_S = 30,
    TOTP_DIGITS = 6,
    TOTP_WINDOW_STEPS = 1,    /* a code from the step before or after is accepted */
    TOTP_SEALED_HEX_MAX = 2 * (24 + 16 + TOTP_SECRET_B32) + 1,
};

/* Once per process, before any other call. */
bool totp_init(void);
/* A new random secret in base32 (out: TOTP_SECRET_B32 + 1 bytes). */
void totp_secret_new(char *out);
/* The code of raw key at time now with digits digits (out: digits + 1 bytes);
 * exposed for the RFC 6238 test vectors. */
bool totp_code_raw(const unsigned char *key, size_t key_len, int64_t now, unsigned digits, char *out);
/* The 6-digit code of a base32 secret at time now. */
bool totp_code(const char *secret_b32, int64_t now, char out[TOTP_DIGITS + 1]);
/* Checks a 6-digit code (spaces allowed) within the window; on a match sets
 * *step to its time-step counter. Callers refuse steps not newer than the last
 * one used, so a code works once. */
bool totp_check(const char *secret_b32, int64_t now, const char *code, uint64_t *step);
/* otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=... (percent-encoded). */
void totp_uri(const char *issuer, const char *account, const char *secret_b32, buf *out);
/* Encrypts a secret under a key derived from the server's secret key (hex out);
 * opens it again. False when the sealed text is not ours or was altered. */
bool totp_seal(const char *server_key, const char *secret_b32, char *out_hex, size_t out_size);
bool totp_open(const char *server_key, const char *sealed_hex, char out[TOTP_SECRET_B32 + 1]);

#endif
