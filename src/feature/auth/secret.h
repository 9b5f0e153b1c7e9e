/* secret.h - passwords (argon2id) and bearer secrets (random tokens stored hashed). */
#ifndef SALDO_SECRET_H
#define SALDO_SECRET_H

#include <stdbool.h>
#include <stddef.h>

enum {
    SECRET_TOKEN_CHARS = 43,   /* 32 random bytes, base64url without padding */
    SECRET_HASH_HEX = 64,      /* SHA-256 in hex */
    SECRET_PASSWORD_MIN = 10,
    SECRET_PASSWORD_MAX = 200,
    SECRET_PWHASH_MAX = 128,
};

/* Must be called once before any other function here (initializes libsodium). */
bool secret_init(void);
/* argon2id hash string of password into out (>= SECRET_PWHASH_MAX bytes). */
bool secret_password_hash(const char *password, char *out);
/* Constant-time check of password against a stored hash string. */
bool secret_password_check(const char *hash, const char *password);
/* Spends the time of one check, for unknown accounts (same answer, same time). */
void secret_password_dummy_check(const char *password);
/* A fresh random token (out >= SECRET_TOKEN_CHARS + 1 bytes). */
void secret_token_new(char *out);
/* Hex SHA-256 of token (out >= SECRET_HASH_HEX + 1 bytes): what the store keeps. */
void secret_token_hash(const char *token, char *out);

#endif
