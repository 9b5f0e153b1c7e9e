/* arena.h - per-request bump allocator with deferred cleanup.
 *
 * Every request (and every CLI command) gets one arena; everything allocated
 * from it is released at once by arena_free(), after running the deferred
 * cleanups (statements, json values, files) in reverse order of registration.
 * Allocation failure aborts the process: there is no sensible partial state. */
#ifndef SALDO_ARENA_H
#define SALDO_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);

/* Zeroed memory aligned for any type; lives until arena_free(). */
void *arena_alloc(arena *a, size_t size);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);

/* Run fn(ptr) when the arena is freed (last registered runs first). */
void arena_defer(arena *a, void (*fn)(void *), void *ptr);

/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const arena *a);

#endif
