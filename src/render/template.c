/* template.c - see template.h.
 *
 * Compiling turns a source into a tree of nodes allocated in the set's arena
 * (text runs point into the set's copy of the source; names are split at dots
 * once). Templates are kept in an open-addressing hash table keyed by name.
 * Rendering walks the tree with a bounded context stack held in a per-call state,
 * so the set is never written after it is built. */
#include "render/template.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/arena.h"

/* What a tag or node is. CLOSE and COMMENT occur only as tags, never as nodes. */
typedef enum {
    TMPL_TEXT,      /* literal bytes */
    TMPL_VAR,       /* {{name}}: value, escaped */
    TMPL_RAW,       /* {{{name}}} or {{& name}}: value, unescaped */
    TMPL_SECTION,   /* {{#name}} ... {{/name}} */
    TMPL_INVERTED,  /* {{^name}} ... {{/name}} */
    TMPL_PARTIAL,   /* {{> name}} */
    TMPL_TRANSLATE, /* {{_ literal text}} */
    TMPL_CLOSE,     /* {{/name}} */
    TMPL_COMMENT,   /* {{! ...}} */
    TMPL_KIND_COUNT
} tmpl_kind;

typedef struct tmpl_node tmpl_node;
struct tmpl_node {
    tmpl_kind kind;
    uint32_t line;       /* source line the node starts on, from 1 */
    const char *text;    /* TEXT: bytes, not NUL-terminated; other kinds: the NUL-
                            terminated name (VAR..PARTIAL) or msgid (TRANSLATE) */
    size_t text_len;
    const char **path;   /* VAR, RAW, SECTION, INVERTED: name split at dots */
    size_t path_len;     /* 0 for "." (the current value) */
    tmpl_node *children; /* SECTION, INVERTED: the block */
    tmpl_node *next;
};

typedef struct tmpl {
    const char *name;
    tmpl_node *root;
} tmpl;

struct tmpl_set {
    arena *mem;      /* every tmpl, node, name and source copy */
    tmpl **slots;    /* open addressing, linear probing; NULL = empty */
    size_t slot_count; /* 0 or a power of two, at least twice count */
    size_t count;
};

/* One context per open section in each template of a partial chain, plus data. */
enum { TMPL_CONTEXT_MAX = 1 + TMPL_NEST_MAX * (TMPL_PARTIAL_DEPTH_MAX + 1) };

static void *tmpl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fputs("saldo: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void tmpl_err_vset(char *err, size_t err_size, const char *fmt, va_list ap)
{
    if (err && err_size > 0)
        vsnprintf(err, err_size, fmt, ap);
}

__attribute__((format(printf, 3, 4)))
static void tmpl_err_set(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tmpl_err_vset(err, err_size, fmt, ap);
    va_end(ap);
}

/* Writes "name:line: message" into err. */
static void tmpl_err_at(char *err, size_t err_size, const char *name, uint32_t line,
                        const char *fmt, va_list ap)
{
    if (!err || err_size == 0)
        return;
    int n = snprintf(err, err_size, "%s:%u: ", name, (unsigned)line);
    if (n >= 0 && (size_t)n < err_size)
        vsnprintf(err + n, err_size - (size_t)n, fmt, ap);
}

static bool tmpl_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool tmpl_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Bytes allowed in names: printable, no space, no braces. */
static bool tmpl_is_name_byte(unsigned char c)
{
    return c > 0x20 && c != 0x7f && c != '{' && c != '}';
}

static uint32_t tmpl_count_lines(const char *s, size_t len)
{
    uint32_t n = 0;
    for (const char *end = s + len; (s = memchr(s, '\n', (size_t)(end - s))); s++)
        n++;
    return n;
}

/* ---- the name table ---------------------------------------------------- */

static size_t tmpl_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

static const tmpl *tmpl_find(const tmpl_set *set, const char *name)
{
    if (set->slot_count == 0)
        return NULL;
    size_t mask = set->slot_count - 1;
    for (size_t i = tmpl_hash(name) & mask;; i = (i + 1) & mask) {
        const tmpl *t = set->slots[i];
        if (!t || !strcmp(t->name, name))
            return t;
    }
}

static void tmpl_slot_put(tmpl **slots, size_t slot_count, tmpl *t)
{
    size_t mask = slot_count - 1;
    size_t i = tmpl_hash(t->name) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = t;
}

static void tmpl_insert(tmpl_set *set, tmpl *t)
{
    assert(!tmpl_find(set, t->name));
    if ((set->count + 1) * 2 > set->slot_count) {
        size_t slot_count = set->slot_count ? set->slot_count * 2 : 16;
        tmpl **slots = tmpl_xcalloc(slot_count, sizeof *slots);
        for (size_t i = 0; i < set->slot_count; i++)
            if (set->slots[i])
                tmpl_slot_put(slots, slot_count, set->slots[i]);
        free(set->slots);
        set->slots = slots;
        set->slot_count = slot_count;
    }
    tmpl_slot_put(set->slots, set->slot_count, t);
    set->count++;
    assert(set->count * 2 <= set->slot_count);
}

tmpl_set *tmpl_set_new(void)
{
    tmpl_set *set = tmpl_xcalloc(1, sizeof *set);
    set->mem = arena_new();
    return set;
}

void tmpl_set_free(tmpl_set *set)
{
    if (!set)
        return;
    arena_free(set->mem);
    free(set->slots);
    free(set);
}

bool tmpl_set_has(const tmpl_set *set, const char *name)
{
    assert(set && name);
    return tmpl_find(set, name) != NULL;
}

size_t tmpl_set_count(const tmpl_set *set)
{
    assert(set);
    return set->count;
}

/* ---- compiling ---------------------------------------------------------- */

typedef struct tmpl_tag {
    tmpl_kind kind;
    size_t start;      /* offset of "{{" */
    size_t end;        /* offset just past the closing braces */
    const char *body;  /* content after the sigil, trimmed */
    size_t body_len;
    uint32_t line;     /* line of "{{" */
} tmpl_tag;

typedef struct tmpl_parser {
    arena *mem;
    const char *name;
    const char *src;      /* the set's copy of the source */
    size_t len;
    size_t pos;           /* first byte not yet compiled */
    size_t last_tag_end;  /* end of the previous tag (and of its line if standalone) */
    uint32_t line;        /* line of src[pos] */
    size_t depth;         /* sections open */
    tmpl_node *open[TMPL_NEST_MAX];
    tmpl_node **tails[TMPL_NEST_MAX + 1]; /* where the next node of each level goes */
    char *err;
    size_t err_size;
} tmpl_parser;

__attribute__((format(printf, 3, 4)))
static bool tmpl_parse_fail(tmpl_parser *p, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tmpl_err_at(p->err, p->err_size, p->name, line, fmt, ap);
    va_end(ap);
    return false;
}

/* Sets t->kind from the byte(s) after "{{"; returns the offset of the body. */
static size_t tmpl_tag_sigil(const tmpl_parser *p, size_t i, tmpl_tag *t)
{
    t->kind = TMPL_VAR;
    if (i >= p->len)
        return i;
    switch (p->src[i]) {
    case '{': case '&': t->kind = TMPL_RAW; return i + 1;
    case '#': t->kind = TMPL_SECTION; return i + 1;
    case '^': t->kind = TMPL_INVERTED; return i + 1;
    case '/': t->kind = TMPL_CLOSE; return i + 1;
    case '!': t->kind = TMPL_COMMENT; return i + 1;
    case '>': t->kind = TMPL_PARTIAL; return i + 1;
    case '_': /* "{{_ text}}" translates; "{{_name}}" is a variable */
        if (i + 1 < p->len && tmpl_is_space(p->src[i + 1]))
            t->kind = TMPL_TRANSLATE;
        return t->kind == TMPL_TRANSLATE ? i + 1 : i;
    default: return i;
    }
}

/* Reads the tag whose "{{" is at offset at into t. */
static bool tmpl_tag_scan(tmpl_parser *p, size_t at, tmpl_tag *t)
{
    assert(at + 2 <= p->len && p->src[at] == '{' && p->src[at + 1] == '{');
    t->start = at;
    t->line = p->line;
    if (at + 2 < p->len && p->src[at + 2] == '=')
        return tmpl_parse_fail(p, t->line, "set-delimiter tags are not supported");
    size_t i = tmpl_tag_sigil(p, at + 2, t);
    bool triple = t->kind == TMPL_RAW && p->src[at + 2] == '{';
    const char *close = triple ? "}}}" : "}}";
    size_t close_len = triple ? 3 : 2;
    const char *found = memmem(p->src + i, p->len - i, close, close_len);
    const char *body = p->src + i;
    size_t body_len = found ? (size_t)(found - body) : 0;
    if (!found || memmem(body, body_len, "{{", 2))
        return tmpl_parse_fail(p, t->line, "tag is not closed");
    bool multiline = t->kind == TMPL_COMMENT || t->kind == TMPL_TRANSLATE;
    if (!multiline && memchr(body, '\n', body_len))
        return tmpl_parse_fail(p, t->line, "tag spans several lines");
    if (t->kind != TMPL_COMMENT && body_len > TMPL_TAG_LEN_MAX)
        return tmpl_parse_fail(p, t->line, "tag is longer than %d bytes", TMPL_TAG_LEN_MAX);
    t->end = i + body_len + close_len;
    while (body_len > 0 && tmpl_is_space(body[0]))
        body++, body_len--;
    while (body_len > 0 && tmpl_is_space(body[body_len - 1]))
        body_len--;
    t->body = body;
    t->body_len = body_len;
    return true;
}

/* Tags that print nothing of their own vanish with their line when alone on it. */
static bool tmpl_may_stand_alone(tmpl_kind kind)
{
    return kind == TMPL_SECTION || kind == TMPL_INVERTED || kind == TMPL_CLOSE ||
           kind == TMPL_COMMENT || kind == TMPL_PARTIAL;
}

/* If t is alone on its line (blanks around it, no other tag), widens the span it
 * removes from the output to the whole line: [*text_end, *resume). */
static void tmpl_standalone(const tmpl_parser *p, const tmpl_tag *t,
                            size_t *text_end, size_t *resume)
{
    const char *s = p->src;
    size_t ls = t->start;
    while (ls > p->last_tag_end && tmpl_is_blank(s[ls - 1]))
        ls--;
    if (ls > 0 && s[ls - 1] != '\n')
        return; /* text or another tag before it on the line */
    size_t e = t->end;
    while (e < p->len && tmpl_is_blank(s[e]))
        e++;
    if (e + 1 < p->len && s[e] == '\r' && s[e + 1] == '\n')
        e += 2;
    else if (e < p->len && s[e] == '\n')
        e++;
    else if (e != p->len)
        return;
    assert(ls <= t->start && e >= t->end);
    *text_end = ls;
    *resume = e;
}

static tmpl_node *tmpl_node_add(tmpl_parser *p, tmpl_kind kind, uint32_t line)
{
    assert(kind < TMPL_CLOSE && p->depth <= TMPL_NEST_MAX);
    tmpl_node *n = arena_alloc(p->mem, sizeof *n);
    n->kind = kind;
    n->line = line;
    *p->tails[p->depth] = n;
    p->tails[p->depth] = &n->next;
    return n;
}

static void tmpl_text_add(tmpl_parser *p, size_t from, size_t to, uint32_t line)
{
    assert(from <= to && to <= p->len);
    if (from == to)
        return;
    tmpl_node *n = tmpl_node_add(p, TMPL_TEXT, line);
    n->text = p->src + from;
    n->text_len = to - from;
}

/* Checks a value name ("." or dot-separated segments) and splits it into n. */
static bool tmpl_path_set(tmpl_parser *p, const tmpl_tag *t, tmpl_node *n)
{
    const char *s = t->body;
    size_t len = t->body_len;
    n->text = arena_strndup(p->mem, s, len);
    n->text_len = len;
    if (len == 1 && s[0] == '.')
        return true;
    bool ok = len > 0 && s[0] != '.' && s[len - 1] != '.';
    size_t segments = 1;
    for (size_t i = 0; ok && i < len; i++) {
        ok = tmpl_is_name_byte((unsigned char)s[i]) &&
             !(s[i] == '.' && s[i + 1] == '.');
        segments += s[i] == '.';
    }
    if (!ok)
        return tmpl_parse_fail(p, t->line, "invalid name '%.*s'", (int)len, s);
    n->path = arena_alloc(p->mem, segments * sizeof *n->path);
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            n->path[n->path_len++] = arena_strndup(p->mem, s + start, i - start);
            start = i + 1;
        }
    }
    assert(n->path_len == segments);
    return true;
}

static bool tmpl_section_open(tmpl_parser *p, const tmpl_tag *t)
{
    if (p->depth == TMPL_NEST_MAX)
        return tmpl_parse_fail(p, t->line, "sections nested deeper than %d", TMPL_NEST_MAX);
    tmpl_node *n = tmpl_node_add(p, t->kind, t->line);
    if (!tmpl_path_set(p, t, n))
        return false;
    p->open[p->depth++] = n;
    p->tails[p->depth] = &n->children;
    return true;
}

static bool tmpl_section_close(tmpl_parser *p, const tmpl_tag *t)
{
    int len = (int)t->body_len;
    if (p->depth == 0)
        return tmpl_parse_fail(p, t->line, "'{{/%.*s}}' closes no open section",
                               len, t->body);
    const tmpl_node *n = p->open[p->depth - 1];
    if (n->text_len != t->body_len || memcmp(n->text, t->body, t->body_len))
        return tmpl_parse_fail(p, t->line,
                               "'{{/%.*s}}' does not close section '%s' (line %u)",
                               len, t->body, n->text, (unsigned)n->line);
    p->depth--;
    return true;
}

/* Collapses each run of whitespace in a trimmed literal to one space. */
static const char *tmpl_msgid(arena *mem, const char *s, size_t len)
{
    char *out = arena_alloc(mem, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (!tmpl_is_space(s[i]))
            out[n++] = s[i];
        else if (n > 0 && out[n - 1] != ' ')
            out[n++] = ' ';
    }
    assert(n <= len);
    out[n] = '\0';
    return out;
}

static bool tmpl_leaf_add(tmpl_parser *p, const tmpl_tag *t)
{
    const char *s = t->body;
    size_t len = t->body_len;
    if (t->kind == TMPL_VAR || t->kind == TMPL_RAW)
        return tmpl_path_set(p, t, tmpl_node_add(p, t->kind, t->line));
    if (t->kind == TMPL_TRANSLATE) {
        if (len == 0)
            return tmpl_parse_fail(p, t->line, "empty translation text");
        tmpl_node *n = tmpl_node_add(p, t->kind, t->line);
        n->text = tmpl_msgid(p->mem, s, len);
        n->text_len = strlen(n->text);
        return true;
    }
    assert(t->kind == TMPL_PARTIAL);
    bool ok = len > 0 && len <= TMPL_NAME_LEN_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = tmpl_is_name_byte((unsigned char)s[i]);
    if (!ok)
        return tmpl_parse_fail(p, t->line, "invalid partial name '%.*s'", (int)len, s);
    tmpl_node *n = tmpl_node_add(p, t->kind, t->line);
    n->text = arena_strndup(p->mem, s, len);
    n->text_len = len;
    return true;
}

static bool tmpl_tag_apply(tmpl_parser *p, const tmpl_tag *t)
{
    switch (t->kind) {
    case TMPL_COMMENT: return true;
    case TMPL_CLOSE: return tmpl_section_close(p, t);
    case TMPL_SECTION: case TMPL_INVERTED: return tmpl_section_open(p, t);
    case TMPL_VAR: case TMPL_RAW: case TMPL_TRANSLATE: case TMPL_PARTIAL:
        return tmpl_leaf_add(p, t);
    case TMPL_TEXT: case TMPL_KIND_COUNT: break;
    }
    assert(!"tag kind");
    return false;
}

static bool tmpl_parse(tmpl_parser *p)
{
    while (p->pos < p->len) {
        const char *open = memmem(p->src + p->pos, p->len - p->pos, "{{", 2);
        if (!open) {
            tmpl_text_add(p, p->pos, p->len, p->line);
            break;
        }
        size_t at = (size_t)(open - p->src);
        uint32_t text_line = p->line;
        p->line += tmpl_count_lines(p->src + p->pos, at - p->pos);
        tmpl_tag t = {.kind = TMPL_TEXT};
        if (!tmpl_tag_scan(p, at, &t))
            return false;
        size_t text_end = at, resume = t.end;
        if (tmpl_may_stand_alone(t.kind))
            tmpl_standalone(p, &t, &text_end, &resume);
        tmpl_text_add(p, p->pos, text_end, text_line);
        if (!tmpl_tag_apply(p, &t))
            return false;
        p->line += tmpl_count_lines(p->src + at, resume - at);
        p->pos = p->last_tag_end = resume;
    }
    if (p->depth > 0) {
        const tmpl_node *n = p->open[p->depth - 1];
        return tmpl_parse_fail(p, n->line, "section '%s' is not closed", n->text);
    }
    return true;
}

static bool tmpl_name_valid(const char *name)
{
    size_t len = strlen(name);
    bool ok = len > 0 && len <= TMPL_NAME_LEN_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = tmpl_is_name_byte((unsigned char)name[i]);
    return ok;
}

bool tmpl_set_add(tmpl_set *set, const char *name, const char *src, size_t len,
                  char *err, size_t err_size)
{
    assert(set && name && (src || len == 0));
    if (!tmpl_name_valid(name)) {
        tmpl_err_set(err, err_size, "invalid template name '%.*s'",
                     TMPL_NAME_LEN_MAX, name);
        return false;
    }
    if (tmpl_find(set, name)) {
        tmpl_err_set(err, err_size, "%s: template defined twice", name);
        return false;
    }
    if (len > TMPL_SOURCE_SIZE_MAX) {
        tmpl_err_set(err, err_size, "%s: template is larger than %d bytes", name,
                     TMPL_SOURCE_SIZE_MAX);
        return false;
    }
    const char *nul = len ? memchr(src, '\0', len) : NULL;
    if (nul) {
        tmpl_err_set(err, err_size, "%s:%u: NUL byte in template", name,
                     1 + (unsigned)tmpl_count_lines(src, (size_t)(nul - src)));
        return false;
    }
    tmpl *t = arena_alloc(set->mem, sizeof *t);
    t->name = arena_strdup(set->mem, name);
    char *copy = arena_alloc(set->mem, len + 1);
    if (len)
        memcpy(copy, src, len);
    tmpl_parser p = {.mem = set->mem, .name = t->name, .src = copy, .len = len,
                     .line = 1, .err = err, .err_size = err_size};
    p.tails[0] = &t->root;
    if (!tmpl_parse(&p))
        return false;
    tmpl_insert(set, t);
    return true;
}

/* ---- checking partials ---------------------------------------------------- */

static bool tmpl_check_nodes(const tmpl_set *set, const tmpl *t, const tmpl_node *n,
                             char *err, size_t err_size)
{
    for (; n; n = n->next) {
        if (n->kind == TMPL_PARTIAL && !tmpl_find(set, n->text)) {
            tmpl_err_set(err, err_size, "%s:%u: unknown partial '%s'", t->name,
                         (unsigned)n->line, n->text);
            return false;
        }
        if (n->children && !tmpl_check_nodes(set, t, n->children, err, err_size))
            return false;
    }
    return true;
}

bool tmpl_set_check(const tmpl_set *set, char *err, size_t err_size)
{
    assert(set);
    for (size_t i = 0; i < set->slot_count; i++) {
        const tmpl *t = set->slots[i];
        if (t && !tmpl_check_nodes(set, t, t->root, err, err_size))
            return false;
    }
    return true;
}

/* ---- rendering ---------------------------------------------------------- */

typedef struct tmpl_render_state {
    const tmpl_set *set;
    tmpl_translate_fn tr;
    void *tr_ctx;
    buf *out;
    size_t depth;          /* contexts on the stack */
    unsigned partial_depth;
    size_t steps;
    char *err;
    size_t err_size;
    json_t *stack[TMPL_CONTEXT_MAX];
} tmpl_render_state;

__attribute__((format(printf, 4, 5)))
static bool tmpl_render_fail(tmpl_render_state *st, const tmpl *t, uint32_t line,
                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tmpl_err_at(st->err, st->err_size, t->name, line, fmt, ap);
    va_end(ap);
    return false;
}

/* Turns a failed append into the output-limit error. */
static bool tmpl_out_ok(tmpl_render_state *st, const tmpl *t, const tmpl_node *n, bool ok)
{
    if (ok)
        return true;
    assert(st->out->overflow);
    return tmpl_render_fail(st, t, n->line, "output limit of %zu bytes reached",
                            st->out->limit);
}

static bool tmpl_step(tmpl_render_state *st, const tmpl *t, const tmpl_node *n)
{
    if (++st->steps <= TMPL_RENDER_STEP_MAX)
        return true;
    return tmpl_render_fail(st, t, n->line, "more than %d render steps",
                            TMPL_RENDER_STEP_MAX);
}

/* The value of n's name: "." is the top context; otherwise the first segment
 * is looked up from the top of the stack down, the rest only inside it. Each
 * object searched counts as a render step (checked by the next tmpl_step). */
static json_t *tmpl_lookup(tmpl_render_state *st, const tmpl_node *n)
{
    assert(st->depth > 0 && st->depth <= TMPL_CONTEXT_MAX);
    if (n->path_len == 0)
        return st->stack[st->depth - 1];
    json_t *v = NULL;
    size_t searched = 0;
    for (size_t i = st->depth; i > 0 && !v; i--, searched++)
        v = json_object_get(st->stack[i - 1], n->path[0]);
    for (size_t k = 1; v && k < n->path_len; k++, searched++)
        v = json_object_get(v, n->path[k]);
    st->steps += searched;
    return v;
}

static bool tmpl_falsy(const json_t *v)
{
    if (!v)
        return true;
    switch (json_typeof(v)) {
    case JSON_FALSE: case JSON_NULL: return true;
    case JSON_STRING: return json_string_length(v) == 0;
    case JSON_ARRAY: return json_array_size(v) == 0;
    case JSON_INTEGER: return json_integer_value(v) == 0;
    case JSON_REAL: return json_real_value(v) == 0.0;
    case JSON_OBJECT: case JSON_TRUE: return false;
    }
    return false;
}

/* Appends v's text; false only when out's limit is hit. */
static bool tmpl_value_put(buf *out, const json_t *v, bool escape)
{
    if (!v)
        return true;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (escape)
            return buf_put_html(out, json_string_value(v), json_string_length(v));
        return buf_append(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL: return buf_printf(out, "%.17g", json_real_value(v));
    case JSON_TRUE: return buf_puts(out, "true");
    case JSON_FALSE: return buf_puts(out, "false");
    case JSON_NULL: case JSON_ARRAY: case JSON_OBJECT: return true;
    }
    return true;
}

static bool tmpl_render_nodes(tmpl_render_state *st, const tmpl *t, const tmpl_node *n);

/* Renders the block of section n once with ctx pushed. */
static bool tmpl_section_pass(tmpl_render_state *st, const tmpl *t, const tmpl_node *n,
                              json_t *ctx)
{
    if (!tmpl_step(st, t, n))
        return false;
    assert(st->depth < TMPL_CONTEXT_MAX);
    st->stack[st->depth++] = ctx;
    bool ok = tmpl_render_nodes(st, t, n->children);
    st->depth--;
    return ok;
}

static bool tmpl_section_render(tmpl_render_state *st, const tmpl *t, const tmpl_node *n)
{
    json_t *v = tmpl_lookup(st, n);
    if (n->kind == TMPL_INVERTED)
        return tmpl_falsy(v) ? tmpl_render_nodes(st, t, n->children) : true;
    if (tmpl_falsy(v))
        return true;
    if (!json_is_array(v))
        return tmpl_section_pass(st, t, n, v);
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!tmpl_section_pass(st, t, n, json_array_get(v, i)))
            return false;
    return true;
}

static bool tmpl_partial_render(tmpl_render_state *st, const tmpl *t, const tmpl_node *n)
{
    const tmpl *part = tmpl_find(st->set, n->text);
    if (!part)
        return tmpl_render_fail(st, t, n->line, "unknown partial '%s'", n->text);
    if (st->partial_depth == TMPL_PARTIAL_DEPTH_MAX)
        return tmpl_render_fail(st, t, n->line, "partials nested deeper than %d",
                                TMPL_PARTIAL_DEPTH_MAX);
    size_t depth = st->depth;
    st->partial_depth++;
    bool ok = tmpl_render_nodes(st, part, part->root);
    st->partial_depth--;
    assert(st->depth == depth);
    return ok;
}

static bool tmpl_render_node(tmpl_render_state *st, const tmpl *t, const tmpl_node *n)
{
    switch (n->kind) {
    case TMPL_TEXT:
        return tmpl_out_ok(st, t, n, buf_append(st->out, n->text, n->text_len));
    case TMPL_VAR: case TMPL_RAW:
        return tmpl_out_ok(st, t, n, tmpl_value_put(st->out, tmpl_lookup(st, n),
                                                    n->kind == TMPL_VAR));
    case TMPL_SECTION: case TMPL_INVERTED:
        return tmpl_section_render(st, t, n);
    case TMPL_PARTIAL:
        return tmpl_partial_render(st, t, n);
    case TMPL_TRANSLATE: {
        const char *s = st->tr ? st->tr(st->tr_ctx, n->text) : NULL;
        if (!s)
            s = n->text;
        return tmpl_out_ok(st, t, n, buf_put_html(st->out, s, strlen(s)));
    }
    case TMPL_CLOSE: case TMPL_COMMENT: case TMPL_KIND_COUNT: break;
    }
    assert(!"node kind");
    return false;
}

static bool tmpl_render_nodes(tmpl_render_state *st, const tmpl *t, const tmpl_node *n)
{
    for (; n; n = n->next)
        if (!tmpl_step(st, t, n) || !tmpl_render_node(st, t, n))
            return false;
    return true;
}

bool tmpl_render(const tmpl_set *set, const char *name, json_t *data,
                 tmpl_translate_fn tr, void *tr_ctx, buf *out, char *err, size_t err_size)
{
    assert(set && name && out);
    const tmpl *t = tmpl_find(set, name);
    if (!t) {
        tmpl_err_set(err, err_size, "unknown template '%s'", name);
        return false;
    }
    tmpl_render_state st = {.set = set, .tr = tr, .tr_ctx = tr_ctx, .out = out,
                            .depth = 1, .err = err, .err_size = err_size};
    st.stack[0] = data;
    size_t start = out->len;
    bool ok = tmpl_render_nodes(&st, t, t->root);
    assert(st.depth == 1 && st.partial_depth == 0);
    if (!ok) { /* drop the partial rendering; buf has no truncate of its own */
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return ok;
}

/* ---- loading a folder ----------------------------------------------------- */

/* Reads the whole file at path into content (whose limit bounds the size). */
static bool tmpl_file_read(const char *path, buf *content, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        tmpl_err_set(err, err_size, "%s: %s", path, strerror(errno));
        return false;
    }
    char chunk[8192];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = buf_append(content, chunk, n);
    if (!ok)
        tmpl_err_set(err, err_size, "%s: larger than %d bytes", path, TMPL_SOURCE_SIZE_MAX);
    else if (ferror(f)) {
        tmpl_err_set(err, err_size, "%s: read error", path);
        ok = false;
    }
    fclose(f);
    return ok;
}

static bool tmpl_load_file(tmpl_set *set, const char *path, size_t root_len,
                           char *err, size_t err_size)
{
    size_t len = strlen(path);
    assert(len > root_len + 5 && !strcmp(path + len - 5, ".html"));
    char name[TMPL_NAME_LEN_MAX + 1];
    size_t name_len = len - root_len - 1 - 5;
    if (name_len > TMPL_NAME_LEN_MAX) {
        tmpl_err_set(err, err_size, "%s: name longer than %d bytes", path, TMPL_NAME_LEN_MAX);
        return false;
    }
    memcpy(name, path + root_len + 1, name_len);
    name[name_len] = '\0';
    buf content;
    buf_init(&content, TMPL_SOURCE_SIZE_MAX);
    bool ok = tmpl_file_read(path, &content, err, err_size) &&
              tmpl_set_add(set, name, buf_cstr(&content), content.len, err, err_size);
    buf_free(&content);
    return ok;
}

static bool tmpl_load_tree(tmpl_set *set, buf *path, size_t root_len, unsigned depth,
                           char *err, size_t err_size);

/* Handles one folder entry; path holds the folder, and is restored on return. */
static bool tmpl_load_entry(tmpl_set *set, buf *path, size_t root_len, unsigned depth,
                            const char *entry, char *err, size_t err_size)
{
    size_t dir_len = path->len;
    if (!buf_putc(path, '/') || !buf_puts(path, entry)) {
        tmpl_err_set(err, err_size, "%s/%s: path too long", buf_cstr(path), entry);
        return false;
    }
    struct stat sb;
    bool ok = true;
    size_t len = path->len, elen = strlen(entry);
    if (stat(path->data, &sb) != 0) {
        tmpl_err_set(err, err_size, "%s: %s", path->data, strerror(errno));
        ok = false;
    } else if (S_ISDIR(sb.st_mode)) {
        ok = tmpl_load_tree(set, path, root_len, depth + 1, err, err_size);
    } else if (S_ISREG(sb.st_mode) && elen > 5 && !strcmp(entry + elen - 5, ".html")) {
        ok = tmpl_load_file(set, path->data, root_len, err, err_size);
    }
    assert(path->len == len);
    path->len = dir_len;
    path->data[dir_len] = '\0';
    return ok;
}

static bool tmpl_load_tree(tmpl_set *set, buf *path, size_t root_len, unsigned depth,
                           char *err, size_t err_size)
{
    if (depth > TMPL_DIR_DEPTH_MAX) {
        tmpl_err_set(err, err_size, "%s: folders nested deeper than %d", path->data,
                     TMPL_DIR_DEPTH_MAX);
        return false;
    }
    struct dirent **list;
    int n = scandir(path->data, &list, NULL, alphasort);
    if (n < 0) {
        tmpl_err_set(err, err_size, "%s: %s", path->data, strerror(errno));
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        if (ok && list[i]->d_name[0] != '.')
            ok = tmpl_load_entry(set, path, root_len, depth, list[i]->d_name, err, err_size);
        free(list[i]);
    }
    free(list);
    return ok;
}

tmpl_set *tmpl_set_load_dir(const char *dir, char *err, size_t err_size)
{
    assert(dir);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    buf path;
    buf_init(&path, 4096);
    if (!buf_append(&path, dir, len)) {
        tmpl_err_set(err, err_size, "%.64s...: path too long", dir);
        buf_free(&path);
        return NULL;
    }
    tmpl_set *set = tmpl_set_new();
    if (!tmpl_load_tree(set, &path, len, 0, err, err_size)) {
        tmpl_set_free(set);
        set = NULL;
    }
    buf_free(&path);
    return set;
}
