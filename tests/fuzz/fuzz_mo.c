/* fuzz_mo.c - the .mo catalog parser never crashes, never reads outside its
 * input, and a catalog it accepts is consistent: entries in strictly
 * increasing msgid order, each found again by lookup with its translation. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so reading one byte too far is an ASan report. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    char err[200];
    i18n_catalog *c = i18n_catalog_parse(copy, size, err, sizeof err);
    if (!c) {
        assert(err[0]);
        free(copy);
        return 0;
    }
    const char *prev = NULL;
    for (size_t i = 0; i < i18n_catalog_count(c); i++) {
        const char *id, *str;
        i18n_catalog_entry(c, i, &id, &str);
        assert(id[0] && str[0]);
        assert(!prev || strcmp(prev, id) < 0);
        assert(i18n_catalog_lookup(c, id) == str);
        prev = id;
    }
    (void)i18n_catalog_lookup(c, "Sign in");
    i18n_catalog_free(c);
    free(copy);
    return 0;
}
