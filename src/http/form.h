/* form.h - application/x-www-form-urlencoded bodies and query strings. */
#ifndef SALDO_FORM_H
#define SALDO_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/arena.h"

enum { FORM_FIELDS_MAX = 160 }; /* the back office's prices grid posts 8 periods x 8 currencies x 2 */

typedef struct form {
    size_t count;
    const char *names[FORM_FIELDS_MAX];
    const char *values[FORM_FIELDS_MAX];
} form;

/* Decodes `a=1&b=x+y%21` into f (copies in the arena). False for malformed
 * percent-escapes, NUL bytes, or more than FORM_FIELDS_MAX fields. */
bool form_parse(arena *a, const char *data, size_t len, form *f);
/* The first value of name, or NULL. */
const char *form_get(const form *f, const char *name);

#endif
