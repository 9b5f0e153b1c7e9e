/* secret.c - see secret.h; everything through libsodium. */
#include "feature/auth/secret.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

static_assert(crypto_pwhash_STRBYTES <= SECRET_PWHASH_MAX, "password hash buffer too small");

bool secret_init(void)
{
    return sodium_init() >= 0;
}

bool secret_password_hash(const char *password, char *out)
{
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool secret_password_check(const char *hash, const char *password)
{
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void make_dummy_hash(void) { secret_password_hash("not a real password", dummy_hash); }

void secret_password_dummy_check(const char *password)
{
    pthread_once(&dummy_once, make_dummy_hash);
    (void)secret_password_check(dummy_hash, password);
}

void secret_token_new(char *out)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SECRET_TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    assert(strlen(out) == SECRET_TOKEN_CHARS);
}

void secret_token_hash(const char *token, char *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, SECRET_HASH_HEX + 1, h, sizeof h);
}
