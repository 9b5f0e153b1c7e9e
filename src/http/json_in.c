/* json_in.c - see json_in.h. */
#include "http/json_in.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/currency.h"
#include "http/field.h"

static void decref(void *j) { json_decref(j); }

bool jin_body(http_request *r, json_t **out)
{
    const char *ct = http_header(r, "Content-Type");
    if (!ct || strncmp(ct, "application/json", 16)) {
        http_error(r, 415, "unsupported_media_type", "send the body as application/json", NULL);
        return false;
    }
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        http_error(r, 400, "malformed_json",
                   arena_printf(r->a, "the body is not valid JSON: %s at line %d, column %d",
                                e.text, e.line, e.column), NULL);
        return false;
    }
    arena_defer(r->a, decref, j);
    if (!json_is_object(j)) {
        http_error(r, 400, "malformed_json", "the body must be a JSON object", NULL);
        return false;
    }
    *out = j;
    return true;
}

static bool invalid(http_request *r, const char *field, const char *message)
{
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
    return false;
}

bool jin_string(http_request *r, json_t *obj, const char *field, jin_need need, size_t min,
                size_t max, const char **out)
{
    json_t *v = json_object_get(obj, field);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (need == JIN_REQUIRED)
            return invalid(r, field, "is required");
        return true;
    }
    if (!json_is_string(v))
        return invalid(r, field, "must be a string");
    size_t len = json_string_length(v);
    const char *s = json_string_value(v);
    if (!field_text_ok(s, len))
        return invalid(r, field, "contains characters that are not allowed");
    if (len < min)
        return invalid(r, field, min == 1 ? "must not be empty"
                                          : arena_printf(r->a, "must be at least %zu characters", min));
    if (len > max)
        return invalid(r, field, arena_printf(r->a, "must be at most %zu characters", max));
    *out = arena_strndup(r->a, s, len);
    return true;
}

bool jin_enum(http_request *r, json_t *obj, const char *field, jin_need need,
              const char *const *allowed, const char **out)
{
    if (!jin_string(r, obj, field, need, 1, 64, out))
        return false;
    if (!*out)
        return true;
    for (const char *const *a = allowed; *a; a++)
        if (!strcmp(*a, *out))
            return true;
    buf list;
    buf_init(&list, 512);
    for (const char *const *a = allowed; *a; a++)
        buf_printf(&list, "%s%s", a == allowed ? "" : ", ", *a);
    bool ok = invalid(r, field, arena_printf(r->a, "must be one of %s", buf_cstr(&list)));
    buf_free(&list);
    return ok;
}

bool jin_not_null(http_request *r, json_t *obj, const char *field)
{
    return !json_is_null(json_object_get(obj, field)) || invalid(r, field, "cannot be cleared");
}

bool jin_bool(http_request *r, json_t *obj, const char *field, jin_need need, bool *out)
{
    json_t *v = json_object_get(obj, field);
    if (!v) {
        if (need == JIN_REQUIRED)
            return invalid(r, field, "is required");
        return true;
    }
    if (!json_is_boolean(v))
        return invalid(r, field, "must be true or false");
    *out = json_is_true(v);
    return true;
}

bool jin_money(http_request *r, json_t *obj, const char *field, money *out)
{
    json_t *v = json_object_get(obj, field);
    if (!v)
        return invalid(r, field, "is required");
    json_t *cur = json_object_get(v, "currency"), *minor = json_object_get(v, "minor");
    size_t known = 2 + (json_object_get(v, "display") != NULL); /* a money object sent back as received */
    if (!json_is_object(v) || !json_is_string(cur) || !json_is_integer(minor) || json_object_size(v) != known)
        return invalid(r, field, "must be an object {\"currency\": \"EUR\", \"minor\": 1234}");
    const currency *c = currency_find(json_string_value(cur));
    if (!c)
        return invalid(r, field, "unknown currency");
    *out = money_make(json_integer_value(minor), c);
    return true;
}

bool jin_email(http_request *r, json_t *obj, const char *field, jin_need need, const char **out)
{
    if (!jin_string(r, obj, field, need, FIELD_EMAIL_MIN, FIELD_EMAIL_MAX, out))
        return false;
    if (!*out)
        return true;
    if (!field_email_ok(*out))
        return invalid(r, field, "is not a valid email address");
    field_lowercase((char *)*out);
    return true;
}

json_t *jout_money(money m, const char *lang)
{
    char display[MONEY_FORMAT_BYTES_MAX];
    money_err e = money_format(m, lang, display, sizeof display);
    assert(e == MONEY_OK);
    return json_pack("{s:s, s:I, s:s}", "currency", m.cur->code, "minor", (json_int_t)m.minor,
                     "display", e == MONEY_OK ? display : "");
}

void jout_time_text(int64_t unix_s, char out[JOUT_TIME_BYTES])
{
    time_t t = (time_t)unix_s;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, JOUT_TIME_BYTES, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *jout_time(int64_t unix_s)
{
    char s[JOUT_TIME_BYTES];
    jout_time_text(unix_s, s);
    return json_string(s);
}
