/* template.h - saldo's page template engine: a logic-less mustache subset.
 *
 * No Debian package offers a C template engine, so this is ours. Templates are
 * compiled once (at startup) into a tmpl_set, then rendered many times, from many
 * threads at once, against jansson values. Values are HTML-escaped unless a tag
 * asks for raw output. docs/TEMPLATES.md is the syntax reference for page authors.
 *
 * Thread safety: tmpl_set_add and tmpl_set_load_dir build the set and must not run
 * concurrently with anything else on the same set. Once built, the set is only
 * read: any number of threads may call tmpl_render, tmpl_set_has and
 * tmpl_set_check on it at the same time. Rendering never modifies the data. */
#ifndef SALDO_TEMPLATE_H
#define SALDO_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/buf.h"

/* Limits: a template breaking one fails to compile or to render, with a message. */
enum {
    TMPL_SOURCE_SIZE_MAX = 1024 * 1024, /* bytes of one template's source */
    TMPL_TAG_LEN_MAX = 4096,            /* bytes inside one tag (comments excepted) */
    TMPL_NAME_LEN_MAX = 255,            /* bytes of a template name */
    TMPL_NEST_MAX = 32,                 /* sections open at once in one template */
    TMPL_PARTIAL_DEPTH_MAX = 16,        /* partials included inside partials */
    TMPL_DIR_DEPTH_MAX = 16,            /* folder levels below tmpl_set_load_dir's dir */
    TMPL_RENDER_STEP_MAX = 1 << 22,     /* nodes visited plus loop passes per render */
};

typedef struct tmpl_set tmpl_set;

/* Returns the translation of msgid (a NUL-terminated, whitespace-normalized
 * literal), or NULL for "no translation", in which case msgid itself is written.
 * The result is HTML-escaped by the renderer and must stay valid until the
 * callback is called again or tmpl_render returns. Called from the rendering
 * thread; it must be thread-safe if renders run in parallel. */
typedef const char *(*tmpl_translate_fn)(void *ctx, const char *msgid);

/* Returns a new, empty set, owned by the caller (free with tmpl_set_free).
 * Aborts on out of memory, like the rest of saldo. */
tmpl_set *tmpl_set_new(void);

/* Compiles src[0..len) (need not be NUL-terminated; not retained) under name.
 * Returns true when added. On false the set is unchanged apart from memory kept
 * until tmpl_set_free, and err (if err_size > 0) holds "name:line: message":
 * invalid or duplicate name, source over TMPL_SOURCE_SIZE_MAX or holding a NUL
 * byte, unclosed tag, bad name in a tag, mismatched or unclosed section, nesting
 * over TMPL_NEST_MAX. Partials are resolved at render time, so a partial may be
 * added after the templates that include it. */
bool tmpl_set_add(tmpl_set *set, const char *name, const char *src, size_t len,
                  char *err, size_t err_size);

/* Loads every *.html under dir (recursively, in name order, skipping entries
 * whose name starts with '.'); name = relative path without ".html", e.g.
 * "account/login". Returns a new set owned by the caller, or NULL with err set
 * (unreadable file or folder, compile error). Does not check partials: call
 * tmpl_set_check for that. */
tmpl_set *tmpl_set_load_dir(const char *dir, char *err, size_t err_size);

/* True when the set holds a template called name. */
bool tmpl_set_has(const tmpl_set *set, const char *name);

/* Number of templates in the set. */
size_t tmpl_set_count(const tmpl_set *set);

/* Verifies that every {{> partial}} in the set names a template of the set.
 * Returns true if so; otherwise false with err = "name:line: unknown partial 'x'"
 * for the first one found. Meant for startup, so a typo fails early. */
bool tmpl_set_check(const tmpl_set *set, char *err, size_t err_size);

/* Appends the rendering of template name against data (may be NULL: an empty
 * context) to out. tr may be NULL (identity translation). Returns true on
 * success. Returns false, with out restored to its length on entry and err set to
 * "name:line: message", on: unknown template, unknown partial, partials nested
 * over TMPL_PARTIAL_DEPTH_MAX, more than TMPL_RENDER_STEP_MAX steps, or out's
 * byte limit hit (out->overflow then stays set). Reads set and data only. */
bool tmpl_render(const tmpl_set *set, const char *name, json_t *data,
                 tmpl_translate_fn tr, void *tr_ctx, buf *out, char *err, size_t err_size);

/* Frees the set and everything compiled into it. NULL is allowed. */
void tmpl_set_free(tmpl_set *set);

#endif
