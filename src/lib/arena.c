/* arena.c - see arena.h. Chunks grow geometrically; big requests get their own chunk.
 * Chunks come from malloc and each allocation is zeroed as it is handed out
 * (strings and printf results, written at once, are not): zeroing whole
 * chunks with calloc cost an order from the balance 4% of its CPU in memset
 * of memory it never used (docs/PERFORMANCE.md). */
#include "lib/arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_CHUNK_MIN = 8 * 1024, ARENA_ALIGN = 16 };

struct chunk {
    struct chunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *ptr;
};

struct arena {
    struct chunk *head;
    struct deferred *defers;
    size_t used_total;
};

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (!p) {
        fputs("saldo: out of memory\n", stderr);
        abort();
    }
    return p;
}

arena *arena_new(void)
{
    arena *a = xmalloc(sizeof *a);
    *a = (arena){0};
    return a;
}

static struct chunk *chunk_new(size_t need, size_t prev)
{
    size_t size = prev ? prev * 2 : ARENA_CHUNK_MIN;
    if (size > 1024 * 1024)
        size = 1024 * 1024;
    if (size < need)
        size = need;
    struct chunk *c = xmalloc(sizeof(struct chunk) + size);
    c->size = size;
    c->used = 0;
    return c;
}

/* size bytes, aligned, not zeroed. */
static void *bump(arena *a, size_t size)
{
    assert(a);
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        abort();
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        c = chunk_new(size, c ? c->size : 0);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    a->used_total += size;
    assert(c->used <= c->size);
    return p;
}

void *arena_alloc(arena *a, size_t size)
{
    void *p = bump(a, size);
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
    char *p = bump(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    assert(n >= 0);
    char *p = bump(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_defer(arena *a, void (*fn)(void *), void *ptr)
{
    assert(a && fn);
    struct deferred *d = arena_alloc(a, sizeof *d);
    d->fn = fn;
    d->ptr = ptr;
    d->next = a->defers;
    a->defers = d;
}

size_t arena_used(const arena *a)
{
    return a->used_total;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (struct deferred *d = a->defers; d; d = d->next)
        d->fn(d->ptr);
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}
