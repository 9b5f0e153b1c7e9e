/* totp.c - see totp.h. */
#include "feature/auth/totp.h"

#include <assert.h>
#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool totp_init(void)
{
    return oath_init() == OATH_OK;
}

void totp_secret_new(char *out)
{
    unsigned char raw[TOTP_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    char *b32 = NULL;
    size_t len = 0;
    int rc = oath_base32_encode((const char *)raw, sizeof raw, &b32, &len);
    assert(rc == OATH_OK && len == TOTP_SECRET_B32);
    (void)rc;
    memcpy(out, b32, TOTP_SECRET_B32);
    out[TOTP_SECRET_B32] = '\0';
    free(b32);
    sodium_memzero(raw, sizeof raw);
}

/* Decodes a base32 secret; the caller frees *key. */
static bool decode_secret(const char *secret_b32, char **key, size_t *key_len)
{
    if (!secret_b32 || strlen(secret_b32) != TOTP_SECRET_B32)
        return false;
    return oath_base32_decode(secret_b32, TOTP_SECRET_B32, key, key_len) == OATH_OK &&
           *key_len == TOTP_SECRET_BYTES;
}

bool totp_code_raw(const unsigned char *key, size_t key_len, int64_t now, unsigned digits, char *out)
{
    return oath_totp_generate((const char *)key, key_len, (time_t)now, TOTP_STEP_S,
                              OATH_TOTP_DEFAULT_START_TIME, digits, out) == OATH_OK;
}

bool totp_code(const char *secret_b32, int64_t now, char out[TOTP_DIGITS + 1])
{
    char *key = NULL;
    size_t key_len = 0;
    bool ok = decode_secret(secret_b32, &key, &key_len) &&
              totp_code_raw((const unsigned char *)key, key_len, now, TOTP_DIGITS, out);
    free(key);
    return ok;
}

bool totp_check(const char *secret_b32, int64_t now, const char *code, uint64_t *step)
{
    char digits[TOTP_DIGITS + 1];
    size_t n = 0;
    for (const char *p = code ? code : ""; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
            return false;
        digits[n++] = *p;
    }
    if (n != TOTP_DIGITS)
        return false;
    digits[n] = '\0';
    char *key = NULL;
    size_t key_len = 0;
    int pos = 0;
    uint64_t counter = 0;
    bool ok = decode_secret(secret_b32, &key, &key_len) &&
              oath_totp_validate3(key, key_len, (time_t)now, TOTP_STEP_S, OATH_TOTP_DEFAULT_START_TIME,
                                  TOTP_WINDOW_STEPS, &pos, &counter, digits) >= 0;
    if (key)
        sodium_memzero(key, key_len);
    free(key);
    if (ok)
        *step = counter;
    return ok;
}

static void put_encoded(buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '@')
            buf_putc(out, (char)*p);
        else
            buf_printf(out, "%%%02X", *p);
    }
}

void totp_uri(const char *issuer, const char *account, const char *secret_b32, buf *out)
{
    buf_puts(out, "otpauth://totp/");
    put_encoded(out, issuer);
    buf_puts(out, ":");
    put_encoded(out, account);
    buf_printf(out, "?secret=%s&issuer=", secret_b32);
    put_encoded(out, issuer);
    buf_printf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_STEP_S);
}

static void seal_key(const char *server_key, unsigned char key[crypto_secretbox_KEYBYTES])
{
    static const char context[] = "saldo totp secret v1";
    crypto_generichash(key, crypto_secretbox_KEYBYTES, (const unsigned char *)context, sizeof context - 1,
                       (const unsigned char *)server_key, strlen(server_key));
}

bool totp_seal(const char *server_key, const char *secret_b32, char *out_hex, size_t out_size)
{
    unsigned char key[crypto_secretbox_KEYBYTES];
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_B32];
    if (strlen(secret_b32) != TOTP_SECRET_B32 || out_size < 2 * sizeof box + 1 || !*server_key)
        return false;
    seal_key(server_key, key);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret_b32,
                          TOTP_SECRET_B32, box, key);
    sodium_bin2hex(out_hex, out_size, box, sizeof box);
    sodium_memzero(key, sizeof key);
    return true;
}

bool totp_open(const char *server_key, const char *sealed_hex, char out[TOTP_SECRET_B32 + 1])
{
    unsigned char key[crypto_secretbox_KEYBYTES];
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + TOTP_SECRET_B32];
    size_t len = 0;
    if (!sealed_hex || sodium_hex2bin(box, sizeof box, sealed_hex, strlen(sealed_hex), NULL, &len, NULL) ||
        len != sizeof box)
        return false;
    seal_key(server_key, key);
    bool ok = crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                         sizeof box - crypto_secretbox_NONCEBYTES, box, key) == 0;
    sodium_memzero(key, sizeof key);
    out[ok ? TOTP_SECRET_B32 : 0] = '\0';
    return ok;
}
