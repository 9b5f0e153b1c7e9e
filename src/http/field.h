/* field.h - the checks every input field goes through, whether it arrives in a
 * JSON body (json_in.c) or an HTML form (the web pages), so that both front
 * doors accept exactly the same values. */
#ifndef SALDO_FIELD_H
#define SALDO_FIELD_H

#include <stdbool.h>
#include <stddef.h>

enum { FIELD_EMAIL_MIN = 3, FIELD_EMAIL_MAX = 254 };

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates) without C0
 * control characters or DEL. */
bool field_text_ok(const char *s, size_t len);
/* True when s (NUL-terminated, any case) has the shape of an email address:
 * FIELD_EMAIL_MIN..MAX bytes, one '@' with something before it, a dot in the
 * domain, no spaces or special characters. */
bool field_email_ok(const char *s);
/* Lowercases s in place (ASCII). */
void field_lowercase(char *s);

#endif
