/* multipart.c - see multipart.h. A delimiter is CRLF "--" boundary; the first
 * one may start the body (no CRLF before it) or follow a preamble. After each
 * delimiter come either "--" (the end) or CRLF and a part: header lines, an
 * empty line, the content up to the next delimiter. */
#include "http/multipart.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 2046 bchars: digits, letters and '()+_,-./:=? (space not at the end). */
static bool boundary_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=? ", c);
}

const char *multipart_boundary(arena *a, const char *ct)
{
    if (!ct || strncasecmp(ct, "multipart/form-data", 19) || (ct[19] && ct[19] != ';' && ct[19] != ' '))
        return NULL;
    const char *p = ct + 19;
    while (*p) {
        while (*p == ';' || *p == ' ' || *p == '\t')
            p++;
        if (!strncasecmp(p, "boundary=", 9)) {
            p += 9;
            bool quoted = *p == '"';
            p += quoted;
            size_t n = 0;
            while (p[n] && (quoted ? p[n] != '"' : (p[n] != ';' && p[n] != ' ')))
                n++;
            if (quoted && p[n] != '"')
                return NULL;
            if (n == 0 || n > MULTIPART_BOUNDARY_MAX || p[n - 1] == ' ')
                return NULL;
            for (size_t i = 0; i < n; i++)
                if (!boundary_char(p[i]))
                    return NULL;
            return arena_strndup(a, p, n);
        }
        p = strchr(p, ';');
        if (!p)
            break;
    }
    return NULL;
}

/* A parameter's value of a Content-Disposition line (name="x" or
 * filename="y"), copied into the arena; NULL when absent or too long. The
 * value may be quoted (with \" escapes) or a bare token. */
static const char *disposition_param(arena *a, const char *line, size_t len, const char *param, size_t max)
{
    size_t plen = strlen(param);
    for (size_t i = 0; i + plen + 1 < len; i++) {
        if ((line[i] != ';' && line[i] != ' ') || strncasecmp(line + i + 1, param, plen) || line[i + 1 + plen] != '=')
            continue;
        size_t at = i + 2 + plen;
        char *out = arena_alloc(a, max + 1);
        size_t n = 0;
        if (at < len && line[at] == '"') {
            for (at++; at < len && line[at] != '"'; at++) {
                if (line[at] == '\\' && at + 1 < len)
                    at++;
                if (n == max)
                    return NULL;
                out[n++] = line[at];
            }
            if (at >= len)
                return NULL; /* unterminated quote */
        } else {
            for (; at < len && line[at] != ';' && line[at] != ' '; at++) {
                if (n == max)
                    return NULL;
                out[n++] = line[at];
            }
        }
        out[n] = '\0';
        return out;
    }
    return NULL;
}

/* Reads the header lines of one part from p[0..len) into part; *used gets
 * the bytes read, the empty line included. */
static bool parse_headers(arena *a, const char *p, size_t len, multipart_part *part, size_t *used)
{
    size_t at = 0;
    bool disposition = false;
    for (int lines = 0;; lines++) {
        const char *eol = memmem(p + at, len - at, "\r\n", 2);
        if (!eol)
            return false;
        size_t n = (size_t)(eol - (p + at));
        if (n == 0) {
            *used = at + 2;
            return disposition;
        }
        if (lines >= MULTIPART_HEADERS_MAX || n > MULTIPART_HEADER_LINE_MAX)
            return false;
        const char *line = p + at;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
                return false;
        if (n >= 20 && !strncasecmp(line, "Content-Disposition:", 20)) {
            size_t v = 20;
            while (v < n && line[v] == ' ')
                v++;
            if (disposition || n - v < 9 || strncasecmp(line + v, "form-data", 9))
                return false;
            disposition = true;
            part->name = disposition_param(a, line + v, n - v, "name", MULTIPART_NAME_MAX);
            part->filename = disposition_param(a, line + v, n - v, "filename", MULTIPART_FILENAME_MAX);
            if (!part->name || !part->name[0])
                return false;
        } else if (n >= 13 && !strncasecmp(line, "Content-Type:", 13)) {
            size_t v = 13;
            while (v < n && line[v] == ' ')
                v++;
            if (part->content_type || n - v > MULTIPART_TYPE_MAX)
                return false;
            part->content_type = arena_strndup(a, line + v, n - v);
        }
        at += n + 2;
    }
}

bool multipart_parse(arena *a, const char *boundary, const char *body, size_t len, multipart *out)
{
    assert(a && boundary && out && (body || len == 0));
    size_t blen = strlen(boundary);
    assert(blen > 0 && blen <= MULTIPART_BOUNDARY_MAX);
    char delim[MULTIPART_BOUNDARY_MAX + 5];
    int dlen = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    assert(dlen == (int)blen + 4);
    out->count = 0;
    /* The first delimiter: at the very start, or after a preamble. */
    size_t at;
    if (len >= blen + 2 && !memcmp(body, delim + 2, blen + 2)) {
        at = blen + 2;
    } else {
        const char *d = len ? memmem(body, len, delim, (size_t)dlen) : NULL;
        if (!d)
            return false;
        at = (size_t)(d - body) + (size_t)dlen;
    }
    for (;;) {
        if (len - at >= 2 && !memcmp(body + at, "--", 2))
            return true; /* the closing delimiter; an epilogue is ignored */
        if (len - at < 2 || memcmp(body + at, "\r\n", 2) || out->count == MULTIPART_PARTS_MAX)
            return false;
        at += 2;
        multipart_part *part = &out->parts[out->count];
        memset(part, 0, sizeof *part);
        size_t used;
        if (!parse_headers(a, body + at, len - at, part, &used))
            return false;
        at += used;
        const char *end = memmem(body + at, len - at, delim, (size_t)dlen);
        if (!end)
            return false;
        part->data = body + at;
        part->len = (size_t)(end - (body + at));
        out->count++;
        at = (size_t)(end - body) + (size_t)dlen;
        assert(at <= len);
    }
}

const multipart_part *multipart_get(const multipart *m, const char *name)
{
    for (size_t i = 0; i < m->count; i++)
        if (!strcmp(m->parts[i].name, name))
            return &m->parts[i];
    return NULL;
}
