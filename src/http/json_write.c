/* json_write.c - see json_write.h. */
#include "http/json_write.h"

#include <assert.h>
#include <string.h>

#include "http/json_out.h"

void jw_init(jw *w, buf *out)
{
    *w = (jw){.out = out};
}

/* The comma before an item of the current container, unless it is the first
 * or the value of a key just written. */
static void item(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    uint32_t bit = 1u << w->depth;
    if (w->used & bit)
        buf_putc(w->out, ',');
    w->used |= bit;
}

static void open_container(jw *w, char c)
{
    item(w);
    buf_putc(w->out, c);
    w->depth++;
    assert(w->depth < JW_DEPTH_MAX);
    w->used &= ~(1u << w->depth);
}

static void close_container(jw *w, char c)
{
    assert(w->depth > 0 && !w->after_key);
    w->depth--;
    buf_putc(w->out, c);
}

void jw_object(jw *w) { open_container(w, '{'); }
void jw_object_end(jw *w) { close_container(w, '}'); }
void jw_array(jw *w) { open_container(w, '['); }
void jw_array_end(jw *w) { close_container(w, ']'); }

void jw_key(jw *w, const char *key)
{
    assert(w->depth > 0 && !w->after_key);
    item(w);
    json_out_string(w->out, key, strlen(key));
    buf_putc(w->out, ':');
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    item(w);
    json_out_string(w->out, s, strlen(s));
}

void jw_int(jw *w, int64_t v)
{
    char digits[24], *p = digits + sizeof digits;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    item(w);
    buf_append(w->out, p, (size_t)(digits + sizeof digits - p));
}

void jw_null(jw *w)
{
    item(w);
    buf_puts(w->out, "null");
}

void jw_money(jw *w, money m, const char *lang)
{
    char display[MONEY_FORMAT_BYTES_MAX];
    money_err e = money_format(m, lang, display, sizeof display);
    assert(e == MONEY_OK);
    jw_object(w);
    jw_key(w, "currency");
    jw_str(w, m.cur->code);
    jw_key(w, "minor");
    jw_int(w, m.minor);
    jw_key(w, "display");
    jw_str(w, e == MONEY_OK ? display : "");
    jw_object_end(w);
}
