/* i18n.h - translations of the web UI's texts, per request.
 *
 * Source strings are English. Each other language has a gettext catalog
 * (po/<lang>.po), compiled by msgfmt at build time into a binary .mo file that
 * is embedded in the binary (po/meson.build). At start the embedded catalogs
 * are parsed once; afterwards lookups are read-only and thread-safe.
 *
 * Why not glibc's libintl: gettext() picks the language from the process (or
 * thread) locale, which must be generated on the system, and reads .mo files
 * from disk. saldo needs a different language per request, in one
 * self-contained binary, so it reads the standard .mo format itself.
 *
 * The .mo parser treats its input as untrusted: every size and offset is
 * checked against the data before use, and a malformed file is refused with a
 * message rather than read out of bounds. */
#ifndef SALDO_I18N_H
#define SALDO_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on a catalog: larger or more crowded files are refused. */
enum {
    I18N_MO_BYTES_MAX = 16 * 1024 * 1024, /* bytes of one .mo file */
    I18N_STRINGS_MAX = 100000,            /* entries of one catalog */
    I18N_LANGS_MAX = 8,                   /* embedded catalogs */
    I18N_LANG_LEN_MAX = 15,               /* bytes of a language code */
};

typedef struct i18n_catalog i18n_catalog;

/* Parses a .mo file (either byte order, major revision 0 or 1). The catalog
 * points into data, which must stay valid and unchanged until
 * i18n_catalog_free. Returns a catalog owned by the caller, or NULL with err
 * (if err_size > 0) saying what is wrong: too short or too large, bad magic,
 * unknown revision, too many strings, a table or string outside the data, a
 * string without its terminating NUL, or the same msgid twice. The header
 * entry (empty msgid), entries with an empty translation and plural entries
 * (msgid with a NUL inside: the UI has no plurals) are left out. */
i18n_catalog *i18n_catalog_parse(const void *data, size_t len, char *err, size_t err_size);

/* The translation of msgid (a NUL-terminated string compared byte for byte),
 * or NULL when the catalog has none. The result lives as long as the data. */
const char *i18n_catalog_lookup(const i18n_catalog *c, const char *msgid);

/* Number of translated entries (header excluded). */
size_t i18n_catalog_count(const i18n_catalog *c);

/* The i-th entry in msgid order (i < count): its msgid and translation. */
void i18n_catalog_entry(const i18n_catalog *c, size_t i, const char **msgid, const char **msgstr);

/* Frees the catalog (not the data). NULL is allowed. */
void i18n_catalog_free(i18n_catalog *c);

/* Parses the catalogs compiled into the binary ("it.mo" is language "it").
 * Idempotent and thread-safe; returns false with err filled when an embedded
 * catalog is malformed (a build problem: the server must not start). */
bool i18n_init(char *err, size_t err_size);

/* True when lang is a language the UI speaks: "en" (the source) or one with
 * an embedded catalog. */
bool i18n_known(const char *lang);

/* The translation of msgid into lang, or msgid itself when lang is English,
 * unknown, or has no translation for it. Never NULL; the result is msgid or
 * lives as long as the process. Calls i18n_init if nobody did. */
const char *i18n_text(const char *lang, const char *msgid);

#endif
