/* catalog_cache.c - the public catalog's answer, kept per currency and
 * language while the catalog does not change.
 *
 * GET /api/v1/catalog is the most frequent request of a customer area and the
 * dearest of the reads (a query per category and per product). The catalog
 * changes a few times a year, so each node keeps the serialized answer and
 * checks with one read of catalog_version (moved by triggers on the catalog's
 * tables, on every node's store) that it still holds. The version is read
 * before the offer is built: an answer built from a newer catalog than its
 * version only ever sits under a version no request will ask for again. */
#include "feature/catalog/catalog_internal.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_out.h"

enum { CACHE_SLOTS = 16 };

typedef struct cache_slot {
    char currency[4];
    char lang[8];
    int64_t version; /* 0: empty */
    char *body;
    size_t len;
} cache_slot;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_slot cache[CACHE_SLOTS];
static unsigned cache_next_evict;

/* The catalog's version, 0 on a store error. */
static int64_t catalog_version(db *d)
{
    db_stmt *s = db_prepare(d, "SELECT version FROM catalog_version WHERE id = 1");
    int64_t v = s && db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    if (s)
        db_done(s);
    return v;
}

static bool slot_is(const cache_slot *c, const currency *cur, const char *lang)
{
    return c->version && !strcmp(c->currency, cur->code) && !strcmp(c->lang, lang);
}

/* Copies the kept answer into out when it is of version; under the lock. */
static bool cache_get(const currency *cur, const char *lang, int64_t version, buf *out)
{
    bool hit = false;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS && !hit; i++)
        if (slot_is(&cache[i], cur, lang) && cache[i].version == version)
            hit = buf_append(out, cache[i].body, cache[i].len);
    pthread_mutex_unlock(&cache_lock);
    return hit;
}

/* Keeps body as the answer of (cur, lang) at version, over an older one. */
static void cache_put(const currency *cur, const char *lang, int64_t version, const buf *body)
{
    char *copy = malloc(body->len ? body->len : 1);
    if (!copy)
        abort(); /* out of memory */
    memcpy(copy, buf_cstr(body), body->len);
    pthread_mutex_lock(&cache_lock);
    cache_slot *c = NULL;
    for (size_t i = 0; i < CACHE_SLOTS && !c; i++)
        if (slot_is(&cache[i], cur, lang))
            c = &cache[i];
    if (c && c->version > version) { /* another request kept a newer one meanwhile */
        pthread_mutex_unlock(&cache_lock);
        return free(copy);
    }
    if (!c)
        c = &cache[cache_next_evict++ % CACHE_SLOTS];
    free(c->body);
    snprintf(c->currency, sizeof c->currency, "%s", cur->code);
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    c->version = version;
    c->body = copy;
    c->len = body->len;
    pthread_mutex_unlock(&cache_lock);
}

bool catalog_public_body(db *d, const currency *cur, const char *lang, buf *out)
{
    assert(cur && lang);
    int64_t version = catalog_version(d);
    if (!version)
        return false;
    if (cache_get(cur, lang, version, out))
        return true;
    json_t *j = catalog_offer_json(d, cur, 0, lang);
    if (!j)
        return false;
    bool ok = json_out(out, j);
    json_decref(j);
    assert(ok); /* the buffer has no limit and the tree is shallow */
    if (strlen(lang) < sizeof cache[0].lang)
        cache_put(cur, lang, version, out);
    return ok;
}
