/* json_out.c - see json_out.h. */
#include "http/json_out.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void json_out_string(buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(out, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"': buf_append(out, "\\\"", 2); break;
        case '\\': buf_append(out, "\\\\", 2); break;
        case '\n': buf_append(out, "\\n", 2); break;
        case '\r': buf_append(out, "\\r", 2); break;
        case '\t': buf_append(out, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(out, esc, sizeof esc);
        }
        }
    }
    buf_append(out, s + start, len - start);
    buf_putc(out, '"');
}

static bool put_value(buf *out, const json_t *j, int depth);

static bool put_object(buf *out, const json_t *j, int depth)
{
    const char *key;
    json_t *v;
    bool first = true;
    buf_putc(out, '{');
    json_object_foreach((json_t *)j, key, v) {
        if (!first)
            buf_putc(out, ',');
        first = false;
        json_out_string(out, key, strlen(key));
        buf_putc(out, ':');
        if (!put_value(out, v, depth + 1))
            return false;
    }
    return buf_putc(out, '}');
}

static bool put_array(buf *out, const json_t *j, int depth)
{
    buf_putc(out, '[');
    for (size_t i = 0; i < json_array_size(j); i++) {
        if (i)
            buf_putc(out, ',');
        if (!put_value(out, json_array_get(j, i), depth + 1))
            return false;
    }
    return buf_putc(out, ']');
}

static bool put_value(buf *out, const json_t *j, int depth)
{
    if (depth > JSON_OUT_DEPTH_MAX || out->overflow)
        return false;
    switch (json_typeof(j)) {
    case JSON_OBJECT: return put_object(out, j, depth);
    case JSON_ARRAY: return put_array(out, j, depth);
    case JSON_STRING: json_out_string(out, json_string_value(j), json_string_length(j)); break;
    case JSON_INTEGER: buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(j)); break;
    case JSON_REAL: {
        char num[32];
        snprintf(num, sizeof num, "%.17g", json_real_value(j));
        buf_puts(out, num);
        if (!strpbrk(num, ".eEn")) /* keep it a real: 1 -> 1.0 */
            buf_puts(out, ".0");
        break;
    }
    case JSON_TRUE: buf_puts(out, "true"); break;
    case JSON_FALSE: buf_puts(out, "false"); break;
    case JSON_NULL: buf_puts(out, "null"); break;
    }
    return !out->overflow;
}

bool json_out(buf *out, const json_t *j)
{
    assert(out && j);
    return put_value(out, j, 0);
}
