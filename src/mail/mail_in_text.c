/* mail_in_text.c - the pure text work of an incoming mail (see mail_in.h):
 * addresses and ticket tokens, HTML to text, quoted history trimmed. Kept apart
 * from the GMime parsing so that unit tests and the fuzzer reach it directly. */
#include "mail/mail_in.h"

#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void mail_in_addr(const char *text, char *out)
{
    out[0] = '\0';
    if (!text)
        return;
    const char *lt = strrchr(text, '<'), *start = lt ? lt + 1 : text;
    while (*start == ' ' || *start == '\t')
        start++;
    size_t n = strcspn(start, lt ? ">" : " \t\r\n,;>");
    if (n == 0 || n > MAIL_IN_ADDR_MAX || !memchr(start, '@', n))
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)start[i];
        if (c <= ' ' || c >= 0x7f || c == '<' || c == '"') {
            out[0] = '\0';
            return;
        }
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
}

bool mail_in_token(const char *addr, char *out)
{
    if (strncasecmp(addr, "support+", 8))
        return false;
    const char *t = addr + 8;
    size_t n = strspn(t, "0123456789abcdefABCDEF");
    if (n == 0 || n > MAIL_IN_TOKEN_MAX || t[n] != '@')
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)t[i]);
    out[n] = '\0';
    return true;
}

/* ---- HTML to text ---- */

typedef struct out_buf {
    char *p;
    size_t len, cap;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (o->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(o->p, cap);
        if (!p)
            abort();
        o->p = p;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void put_utf8(out_buf *o, uint32_t cp)
{
    char b[4];
    if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        cp = 0xfffd;
    if (cp < 0x80) {
        b[0] = (char)cp;
        put(o, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f));
        put(o, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[2] = (char)(0x80 | (cp & 0x3f));
        put(o, b, 3);
    } else {
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f));
        put(o, b, 4);
    }
}

/* Decodes the entity at s[0] == '&' into o; how many bytes it used (1 when
 * it is not one: the '&' stays). */
static size_t entity(out_buf *o, const char *s, size_t left)
{
    static const struct { const char *name; uint32_t cp; } named[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", ' '},
        {"egrave", 0xe8}, {"eacute", 0xe9}, {"agrave", 0xe0}, {"ograve", 0xf2}, {"ugrave", 0xf9},
        {"igrave", 0xec}, {"euro", 0x20ac}, {"copy", 0xa9}, {"hellip", 0x2026}, {"ndash", 0x2013},
        {"mdash", 0x2014}, {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"rdquo", 0x201d}, {"ldquo", 0x201c},
    };
    size_t end = 1;
    while (end < left && end < 12 && s[end] != ';' && (isalnum((unsigned char)s[end]) || s[end] == '#'))
        end++;
    if (end >= left || s[end] != ';' || end < 2) {
        put(o, "&", 1);
        return 1;
    }
    if (s[1] == '#') {
        bool hex = end > 2 && (s[2] == 'x' || s[2] == 'X');
        uint32_t cp = 0;
        for (size_t i = hex ? 3 : 2; i < end; i++) {
            int c = (unsigned char)s[i];
            int v = isdigit(c) ? c - '0' : hex && isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
            if (v < 0 || cp > 0x10ffff) {
                put(o, "&", 1);
                return 1;
            }
            cp = cp * (hex ? 16 : 10) + (uint32_t)v;
        }
        put_utf8(o, cp);
        return end + 1;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == end - 1 && !memcmp(s + 1, named[i].name, end - 1)) {
            put_utf8(o, named[i].cp);
            return end + 1;
        }
    put(o, "&", 1);
    return 1;
}

/* The lowercased tag name at s (after '<' and an optional '/'). */
static void tag_name(const char *s, size_t left, char name[16])
{
    size_t i = 0;
    if (left && *s == '/')
        s++, left--;
    while (i < left && i < 15 && isalnum((unsigned char)s[i])) {
        name[i] = (char)tolower((unsigned char)s[i]);
        i++;
    }
    name[i] = '\0';
}

static bool breaks_line(const char *name)
{
    static const char *const tags[] = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                                       "blockquote", "table", "ul", "ol", "hr", NULL};
    for (int i = 0; tags[i]; i++)
        if (!strcmp(name, tags[i]))
            return true;
    return false;
}

/* Skips a script or style element's content from s: bytes used. */
static size_t skip_element(const char *s, size_t left, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i + nl + 2 <= left; i++)
        if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, nl)) {
            const char *gt = memchr(s + i, '>', left - i);
            return gt ? (size_t)(gt - s) + 1 : left;
        }
    return left;
}

/* Collapses spaces and blank lines of text in place. */
static void tidy(char *text)
{
    char *w = text;
    int newlines = 2; /* no leading blank lines */
    bool space = false;
    for (const char *r = text; *r; r++) {
        if (*r == '\n') {
            if (newlines < 2)
                *w++ = '\n';
            newlines++;
            space = false;
        } else if (*r == ' ' || *r == '\t' || *r == '\r') {
            space = newlines == 0;
        } else {
            if (space)
                *w++ = ' ';
            *w++ = *r;
            newlines = 0;
            space = false;
        }
    }
    while (w > text && w[-1] == '\n')
        w--;
    *w = '\0';
}

char *mail_in_html_text(const char *html, size_t len)
{
    out_buf o = {0};
    put(&o, "", 0);
    for (size_t i = 0; i < len;) {
        char c = html[i];
        if (c == '<') {
            char name[16];
            tag_name(html + i + 1, len - i - 1, name);
            bool closing = i + 1 < len && html[i + 1] == '/';
            const char *gt = memchr(html + i, '>', len - i);
            size_t next = gt ? (size_t)(gt - html) + 1 : len;
            if (!closing && (!strcmp(name, "script") || !strcmp(name, "style")))
                next += skip_element(html + next, len - next, name);
            if (breaks_line(name))
                put(&o, "\n", 1);
            i = next;
        } else if (c == '&') {
            i += entity(&o, html + i, len - i);
        } else if (c == '\r' || c == '\n' || c == '\t') {
            put(&o, " ", 1);
            i++;
        } else {
            put(&o, html + i, c ? 1 : 0);
            i++;
        }
    }
    tidy(o.p);
    return o.p;
}

/* ---- Quoted history ---- */

static bool starts_with_ci(const char *line, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && !strncasecmp(line, prefix, p);
}

static bool ends_with_ci(const char *line, size_t n, const char *suffix)
{
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
        n--;
    size_t p = strlen(suffix);
    return n >= p && !strncasecmp(line + n - p, suffix, p);
}

static bool attribution_end(const char *line, size_t n)
{
    return ends_with_ci(line, n, "wrote:") || ends_with_ci(line, n, "ha scritto:");
}

static bool attribution_start(const char *line, size_t n)
{
    return starts_with_ci(line, n, "On ") || starts_with_ci(line, n, "Il ") || starts_with_ci(line, n, "In data ");
}

static bool separator(const char *line, size_t n)
{
    while (n && (*line == ' ' || *line == '\t'))
        line++, n--;
    return starts_with_ci(line, n, "-----Original Message-----") ||
           starts_with_ci(line, n, "-----Messaggio originale-----") ||
           starts_with_ci(line, n, "----- Original Message -----");
}

void mail_in_trim_quotes(char *text)
{
    assert(text);
    char *w = text;
    const char *prev = NULL; /* the previous kept line, in the output */
    size_t prev_len = 0;
    for (char *line = text; *line;) {
        size_t n = strcspn(line, "\n");
        bool has_nl = line[n] == '\n';
        if (separator(line, n) || (attribution_end(line, n) && attribution_start(line, n))) {
            break;
        }
        if (attribution_end(line, n) && prev && attribution_start(prev, prev_len)) {
            w = (char *)prev; /* "On Mon, ... <a@b>\nwrote:" wrapped over two lines */
            break;
        }
        if (line[0] != '>') {
            memmove(w, line, n);
            prev = w;
            prev_len = n;
            w += n;
            if (has_nl)
                *w++ = '\n';
        }
        line += n + (has_nl ? 1 : 0);
    }
    *w = '\0';
    while (w > text && strchr(" \t\r\n", w[-1]))
        *--w = '\0';
}
