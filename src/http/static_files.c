/* static_files.c - see static_files.h. */
#include "http/static_files.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *ext;
    const char *type;
} static_types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++) {
        size_t e = strlen(static_types[i].ext);
        if (n > e && !strcmp(name + n - e, static_types[i].ext))
            return static_types[i].type;
    }
    return NULL;
}

bool static_set_init(static_set *s, const embedded_file *table, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    for (const embedded_file *f = table; f->name; f++) {
        const char *type = type_of(f->name);
        if (!type || strchr(f->name, '/') || s->count >= STATIC_FILES_MAX) {
            snprintf(err, err_size, "static/%s: unknown type, a sub-folder or too many files", f->name);
            return false;
        }
        static_file *sf = &s->files[s->count++];
        unsigned char hash[16];
        char hex[2 * sizeof hash + 1];
        crypto_generichash(hash, sizeof hash, (const unsigned char *)f->data, f->len, NULL, 0);
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        *sf = (static_file){.name = f->name, .data = f->data, .len = f->len, .content_type = type};
        snprintf(sf->version, sizeof sf->version, "%.*s", STATIC_VERSION_CHARS, hex);
        snprintf(sf->etag, sizeof sf->etag, "\"%s\"", hex);
    }
    return true;
}

const static_file *static_find(const static_set *s, const char *name)
{
    for (size_t i = 0; name && i < s->count; i++)
        if (!strcmp(s->files[i].name, name))
            return &s->files[i];
    return NULL;
}

const char *static_url(http_request *r, const static_set *s, const char *name)
{
    const static_file *f = static_find(s, name);
    assert(f && "templates link only to files that exist");
    return f ? arena_printf(r->a, "/static/%s?v=%s", f->name, f->version) : "/static/missing";
}

/* True when an If-None-Match list ("a", W/"b", *) names etag. */
static bool etag_listed(const char *list, const char *etag)
{
    size_t etag_len = strlen(etag);
    for (const char *p = list; *p;) {
        p += strspn(p, " \t,");
        if (!*p)
            break;
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2;
        size_t n = strcspn(p, " \t,");
        if (n == etag_len && !memcmp(p, etag, n))
            return true;
        p += n;
    }
    return false;
}

bool static_serve(http_request *r, const static_set *s, const char *name)
{
    const static_file *f = static_find(s, name);
    if (!f)
        return false;
    const char *v = http_query(r, "v");
    http_add_header(r, "ETag", f->etag);
    http_add_header(r, "Cache-Control", v && !strcmp(v, f->version) ? "public, max-age=31536000, immutable"
                                                                      : "no-cache");
    const char *inm = http_header(r, "If-None-Match");
    if (inm && etag_listed(inm, f->etag))
        http_text(r, 304, NULL, "", 0);
    else
        http_text(r, 200, f->content_type, f->data, f->len);
    return true;
}
