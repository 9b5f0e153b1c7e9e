/* form.c - see form.h. */
#include "http/form.h"

#include <string.h>

static int hex_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes one component; NULL on a bad escape or an encoded NUL. */
static char *decode(arena *a, const char *s, size_t len)
{
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return NULL;
            int h = hex_val(s[i + 1]), l = hex_val(s[i + 2]);
            if (h < 0 || l < 0 || (h == 0 && l == 0))
                return NULL;
            c = (char)(h * 16 + l);
            i += 2;
        } else if (c == '\0') {
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

bool form_parse(arena *a, const char *data, size_t len, form *f)
{
    memset(f, 0, sizeof *f);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && data[end] != '&')
            end++;
        if (end > i) {
            const char *eq = memchr(data + i, '=', end - i);
            size_t name_len = eq ? (size_t)(eq - (data + i)) : end - i;
            if (f->count >= FORM_FIELDS_MAX)
                return false;
            char *name = decode(a, data + i, name_len);
            char *value = eq ? decode(a, eq + 1, end - i - name_len - 1) : arena_strdup(a, "");
            if (!name || !value)
                return false;
            f->names[f->count] = name;
            f->values[f->count] = value;
            f->count++;
        }
        i = end + 1;
    }
    return true;
}

const char *form_get(const form *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (!strcmp(f->names[i], name))
            return f->values[i];
    return NULL;
}
