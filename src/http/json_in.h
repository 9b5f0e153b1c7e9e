/* json_in.h - reading and validating JSON request bodies.
 *
 * Every getter either hands back a valid value or writes the error answer itself
 * (400 for a malformed body, 422 naming the field) and returns false, so a
 * handler simply returns: `if (!jin_string(r, body, "email", ...)) return;`. */
#ifndef SALDO_JSON_IN_H
#define SALDO_JSON_IN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "http/http.h"

/* The body as a JSON object (freed with the request), or false after a 400. */
bool jin_body(http_request *r, json_t **out);

typedef enum { JIN_OPTIONAL, JIN_REQUIRED } jin_need;

/* A string of min..max bytes of valid UTF-8 without control characters;
 * *out is NULL when optional and absent. The copy lives in the arena. */
bool jin_string(http_request *r, json_t *obj, const char *field, jin_need need, size_t min,
                size_t max, const char **out);
/* A string from a fixed set. */
bool jin_enum(http_request *r, json_t *obj, const char *field, jin_need need,
              const char *const *allowed, const char **out);
bool jin_bool(http_request *r, json_t *obj, const char *field, jin_need need, bool *out);
/* For partial updates: a field that may be left out but not cleared with null. */
bool jin_not_null(http_request *r, json_t *obj, const char *field);
/* A money object {"currency": "EUR", "minor": 1234}. */
bool jin_money(http_request *r, json_t *obj, const char *field, money *out);
/* An email address (lowercased copy). */
bool jin_email(http_request *r, json_t *obj, const char *field, jin_need need, const char **out);

/* Builds the money object of ARCHITECTURE.md, with a "display" string in lang. */
json_t *jout_money(money m, const char *lang);
/* ISO 8601 UTC timestamp for Unix seconds. */
json_t *jout_time(int64_t unix_s);
enum { JOUT_TIME_BYTES = 32 };
/* The same text into out. */
void jout_time_text(int64_t unix_s, char out[JOUT_TIME_BYTES]);

#endif
