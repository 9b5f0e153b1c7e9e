/* test_arena.c - alignment, growth past a chunk, deferred cleanup order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/arena.h"

static void test_alignment_and_growth(void **state)
{
    (void)state;
    arena *a = arena_new();
    for (int i = 0; i < 1000; i++) {
        void *p = arena_alloc(a, (size_t)(i % 37) + 1);
        assert_int_equal((uintptr_t)p % 16, 0);
    }
    char *big = arena_alloc(a, 3 * 1024 * 1024);
    memset(big, 'x', 3 * 1024 * 1024);
    assert_true(arena_used(a) >= 3 * 1024 * 1024);
    arena_free(a);
}

static void test_strings(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(arena_printf(a, "%s-%d", "n", 42), "n-42");
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_null(arena_strdup(a, NULL));
    arena_free(a);
}

static int order[3];
static int order_n;
static void record(void *p) { order[order_n++] = *(int *)p; }

/* arena_alloc hands out zeroed memory though chunks come from malloc: memory
 * dirtied by an arena freed before (and MALLOC_PERTURB_, which meson sets)
 * never shows through, after strings too, in small and in big requests. */
static void test_alloc_is_zeroed(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) {
        arena *a = arena_new();
        for (size_t size = 1; size <= 256 * 1024; size *= 4) {
            arena_printf(a, "%0*d", (int)(size % 97) + 1, 7); /* a string beside, not zeroed */
            unsigned char *p = arena_alloc(a, size);
            for (size_t i = 0; i < size; i++)
                assert_int_equal(p[i], 0);
            memset(p, 0xAA, size); /* dirty: the next round's arena may get this memory */
        }
        arena_free(a);
    }
}

static void test_defer_runs_in_reverse(void **state)
{
    (void)state;
    static int one = 1, two = 2, three = 3;
    order_n = 0;
    arena *a = arena_new();
    arena_defer(a, record, &one);
    arena_defer(a, record, &two);
    arena_defer(a, record, &three);
    arena_free(a);
    assert_int_equal(order_n, 3);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[2], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_growth),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_alloc_is_zeroed),
        cmocka_unit_test(test_defer_runs_in_reverse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
