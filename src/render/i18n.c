/* i18n.c - see i18n.h. The .mo format (GNU gettext manual, "The Format of
 * GNU MO Files"): a 28-byte header (magic, revision, string count N, offset
 * of the original strings' table, offset of the translations' table, hash
 * table size and offset), then two tables of N (length, offset) pairs of
 * 32-bit words, each string NUL-terminated after its length. We ignore the
 * hash table and build our own sorted index instead of trusting the file's
 * order, so a lookup is a binary search whatever the file says. */
#include "render/i18n.h"

#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/embedded.h"

extern const embedded_file i18n_embedded[];

enum { MO_HEADER_BYTES = 28, MO_MAGIC = 0x950412de, MO_MAGIC_SWAPPED = 0xde120495 };

typedef struct i18n_entry {
    const char *id;
    size_t id_len;
    const char *str;
} i18n_entry;

struct i18n_catalog {
    size_t count;
    i18n_entry *entries; /* sorted by (bytes, length) of id */
};

typedef struct mo_reader {
    const unsigned char *data;
    size_t len;
    bool swapped;
} mo_reader;

static void fail(char *err, size_t err_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (!err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* The 32-bit word at off (off + 4 <= len, checked by the caller). */
static uint32_t mo_word(const mo_reader *m, size_t off)
{
    assert(off + 4 <= m->len);
    uint32_t w;
    memcpy(&w, m->data + off, 4);
    return m->swapped ? __builtin_bswap32(w) : w;
}

/* The string described at table + 8 * i: checks it lies inside the data and
 * ends with a NUL; false otherwise. */
static bool mo_string(const mo_reader *m, size_t table, size_t i, const char **s, size_t *s_len)
{
    size_t at = table + 8 * i;
    uint64_t len = mo_word(m, at), off = mo_word(m, at + 4);
    if (off >= m->len || len >= m->len - off || m->data[off + len] != '\0')
        return false;
    *s = (const char *)m->data + off;
    *s_len = (size_t)len;
    return true;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const i18n_entry *a = pa, *b = pb;
    size_t n = a->id_len < b->id_len ? a->id_len : b->id_len;
    int c = memcmp(a->id, b->id, n);
    if (c)
        return c;
    return a->id_len < b->id_len ? -1 : a->id_len > b->id_len;
}

/* Reads and checks the header; fills the table offsets and the count. */
static bool mo_header(mo_reader *m, size_t *n, size_t *orig, size_t *trans, char *err, size_t err_size)
{
    if (m->len < MO_HEADER_BYTES || m->len > I18N_MO_BYTES_MAX)
        return fail(err, err_size, "size %zu is outside %d..%d bytes", m->len, MO_HEADER_BYTES,
                    I18N_MO_BYTES_MAX), false;
    uint32_t magic;
    memcpy(&magic, m->data, 4);
    if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
        return fail(err, err_size, "not a .mo file (bad magic number)"), false;
    m->swapped = magic == MO_MAGIC_SWAPPED;
    uint32_t revision = mo_word(m, 4);
    if (revision >> 16 > 1)
        return fail(err, err_size, "unknown revision %u.%u", revision >> 16, revision & 0xffff), false;
    *n = mo_word(m, 8);
    *orig = mo_word(m, 12);
    *trans = mo_word(m, 16);
    if (*n > I18N_STRINGS_MAX)
        return fail(err, err_size, "%zu strings: at most %d", *n, I18N_STRINGS_MAX), false;
    uint64_t table_bytes = (uint64_t)*n * 8;
    if (*orig > m->len || table_bytes > m->len - *orig || *trans > m->len || table_bytes > m->len - *trans)
        return fail(err, err_size, "string table outside the file"), false;
    return true;
}

i18n_catalog *i18n_catalog_parse(const void *data, size_t len, char *err, size_t err_size)
{
    assert(data || len == 0);
    mo_reader m = {.data = data, .len = len};
    size_t n, orig, trans;
    if (err_size)
        err[0] = '\0';
    if (!data || !mo_header(&m, &n, &orig, &trans, err, err_size))
        return NULL;
    i18n_catalog *c = calloc(1, sizeof *c);
    if (!c || !(c->entries = calloc(n ? n : 1, sizeof *c->entries)))
        abort();
    for (size_t i = 0; i < n; i++) {
        const char *id, *str;
        size_t id_len, str_len;
        if (!mo_string(&m, orig, i, &id, &id_len) || !mo_string(&m, trans, i, &str, &str_len)) {
            fail(err, err_size, "string %zu lies outside the file or is not NUL-terminated", i);
            i18n_catalog_free(c);
            return NULL;
        }
        if (id_len == 0 || str_len == 0 || str[0] == '\0' || memchr(id, '\0', id_len))
            continue; /* the header, no translation, or plural forms (unreachable by lookup) */
        c->entries[c->count++] = (i18n_entry){id, id_len, str};
    }
    assert(c->count <= n);
    qsort(c->entries, c->count, sizeof *c->entries, entry_cmp);
    for (size_t i = 1; i < c->count; i++) {
        if (entry_cmp(&c->entries[i - 1], &c->entries[i]) == 0) {
            fail(err, err_size, "msgid '%.60s' appears twice", c->entries[i].id);
            i18n_catalog_free(c);
            return NULL;
        }
    }
    return c;
}

const char *i18n_catalog_lookup(const i18n_catalog *c, const char *msgid)
{
    assert(c && msgid);
    i18n_entry key = {msgid, strlen(msgid), NULL};
    if (key.id_len == 0)
        return NULL;
    const i18n_entry *e = bsearch(&key, c->entries, c->count, sizeof *c->entries, entry_cmp);
    return e ? e->str : NULL;
}

size_t i18n_catalog_count(const i18n_catalog *c)
{
    return c->count;
}

void i18n_catalog_entry(const i18n_catalog *c, size_t i, const char **msgid, const char **msgstr)
{
    assert(i < c->count);
    *msgid = c->entries[i].id;
    *msgstr = c->entries[i].str;
}

void i18n_catalog_free(i18n_catalog *c)
{
    if (!c)
        return;
    free(c->entries);
    free(c);
}

/* The embedded catalogs: written once under init_once, read-only afterwards. */
static struct {
    size_t count;
    char lang[I18N_LANGS_MAX][I18N_LANG_LEN_MAX + 1];
    i18n_catalog *cat[I18N_LANGS_MAX];
    char err[256];
} catalogs;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_catalogs(void)
{
    for (const embedded_file *f = i18n_embedded; f->name; f++) {
        size_t name_len = strlen(f->name);
        if (name_len < 4 || strcmp(f->name + name_len - 3, ".mo") || name_len - 3 > I18N_LANG_LEN_MAX ||
            catalogs.count >= I18N_LANGS_MAX) {
            snprintf(catalogs.err, sizeof catalogs.err, "i18n: unexpected embedded file %s", f->name);
            return;
        }
        char err[200];
        i18n_catalog *c = i18n_catalog_parse(f->data, f->len, err, sizeof err);
        if (!c) {
            snprintf(catalogs.err, sizeof catalogs.err, "i18n: %s: %s", f->name, err);
            return;
        }
        memcpy(catalogs.lang[catalogs.count], f->name, name_len - 3);
        catalogs.lang[catalogs.count][name_len - 3] = '\0';
        catalogs.cat[catalogs.count++] = c;
    }
}

bool i18n_init(char *err, size_t err_size)
{
    pthread_once(&init_once, init_catalogs);
    if (catalogs.err[0])
        fail(err, err_size, "%s", catalogs.err);
    return catalogs.err[0] == '\0';
}

static const i18n_catalog *catalog_of(const char *lang)
{
    pthread_once(&init_once, init_catalogs);
    for (size_t i = 0; lang && i < catalogs.count; i++)
        if (!strcmp(catalogs.lang[i], lang))
            return catalogs.cat[i];
    return NULL;
}

bool i18n_known(const char *lang)
{
    return lang && (!strcmp(lang, "en") || catalog_of(lang));
}

const char *i18n_text(const char *lang, const char *msgid)
{
    assert(msgid);
    const i18n_catalog *c = catalog_of(lang);
    const char *t = c ? i18n_catalog_lookup(c, msgid) : NULL;
    return t ? t : msgid;
}
