/* test_multipart.c - multipart/form-data: the boundary from the Content-Type
 * header, a body as browsers send it (fields and a binary file with NULs and
 * CRLFs inside), data pointing into the body, and what must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "http/multipart.h"
#include "lib/buf.h"

static void test_boundary(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(multipart_boundary(a, "multipart/form-data; boundary=----WebKitFormBoundaryx7"),
                        "----WebKitFormBoundaryx7");
    assert_string_equal(multipart_boundary(a, "Multipart/Form-Data;charset=utf-8; BOUNDARY=\"a b:c\""), "a b:c");
    assert_string_equal(multipart_boundary(a, "multipart/form-data; boundary=abc; charset=utf-8"), "abc");
    assert_null(multipart_boundary(a, NULL));
    assert_null(multipart_boundary(a, "application/x-www-form-urlencoded"));
    assert_null(multipart_boundary(a, "multipart/form-datax; boundary=abc"));
    assert_null(multipart_boundary(a, "multipart/mixed; boundary=abc"));
    assert_null(multipart_boundary(a, "multipart/form-data"));
    assert_null(multipart_boundary(a, "multipart/form-data; boundary="));
    assert_null(multipart_boundary(a, "multipart/form-data; boundary=\"abc"));
    assert_null(multipart_boundary(a, "multipart/form-data; boundary=a<b"));
    char longb[128];
    snprintf(longb, sizeof longb, "multipart/form-data; boundary=%071d", 0);
    assert_null(multipart_boundary(a, longb));
    arena_free(a);
}

static void test_browser_body(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char file[] = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n', '\0', '-', '-', 'x', '\r', '\n', '-'};
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken123\r\n"
                 "--XyZ\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"my \\\"logo\\\".png\"\r\n"
                 "Content-Type: image/png\r\n\r\n");
    buf_append(&b, file, sizeof file);
    buf_puts(&b, "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--XyZ--\r\n");
    multipart m;
    assert_true(multipart_parse(a, "XyZ", b.data, b.len, &m));
    assert_int_equal(m.count, 3);
    const multipart_part *csrf = multipart_get(&m, "_csrf");
    assert_non_null(csrf);
    assert_int_equal(csrf->len, 8);
    assert_memory_equal(csrf->data, "token123", 8);
    assert_null(csrf->filename);
    assert_null(csrf->content_type);
    const multipart_part *logo = multipart_get(&m, "logo");
    assert_non_null(logo);
    assert_string_equal(logo->filename, "my \"logo\".png");
    assert_string_equal(logo->content_type, "image/png");
    assert_int_equal(logo->len, sizeof file);
    assert_memory_equal(logo->data, file, sizeof file);
    assert_true(logo->data > b.data && logo->data < b.data + b.len); /* not copied */
    assert_int_equal(multipart_get(&m, "empty")->len, 0);
    assert_null(multipart_get(&m, "other"));
    buf_free(&b);
    arena_free(a);
}

static void test_preamble_and_epilogue(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char body[] = "ignored preamble\r\n--b\r\ncontent-disposition: form-data; name=x\r\n\r\n1\r\n--b--epilogue";
    multipart m;
    assert_true(multipart_parse(a, "b", body, sizeof body - 1, &m));
    assert_int_equal(m.count, 1);
    assert_string_equal(m.parts[0].name, "x");
    assert_int_equal(m.parts[0].len, 1);
    arena_free(a);
}

static void expect_refused(const char *body)
{
    arena *a = arena_new();
    multipart m;
    assert_false(multipart_parse(a, "b", body, strlen(body), &m));
    arena_free(a);
}

static void test_refused(void **state)
{
    (void)state;
    expect_refused("");
    expect_refused("--b");                                                                 /* no part, no end */
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end");     /* unterminated */
    expect_refused("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--");                   /* no disposition */
    expect_refused("--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--b--"); /* not form-data */
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--b--");  /* empty name */
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nx\r\n--b--");   /* open quote */
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"x\"\r\nX: a\x01\r\n\r\nx\r\n--b--");
    expect_refused("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nx\r\n--bX");
    expect_refused("--b\r\nContent-Disposition: form-data; name=x\r\nContent-Disposition: form-data; name=y\r\n\r\n"
                   "x\r\n--b--");
    /* Too many header lines, a line too long, too many parts. */
    char big[8192];
    int n = snprintf(big, sizeof big, "--b\r\nContent-Disposition: form-data; name=x\r\n");
    for (int i = 0; i < MULTIPART_HEADERS_MAX; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "X-%d: y\r\n", i);
    snprintf(big + n, sizeof big - (size_t)n, "\r\nx\r\n--b--");
    expect_refused(big);
    n = snprintf(big, sizeof big, "--b\r\nContent-Disposition: form-data; name=x\r\nX: ");
    memset(big + n, 'a', MULTIPART_HEADER_LINE_MAX);
    snprintf(big + n + MULTIPART_HEADER_LINE_MAX, sizeof big - (size_t)n - MULTIPART_HEADER_LINE_MAX,
             "\r\n\r\nx\r\n--b--");
    expect_refused(big);
    n = 0;
    for (int i = 0; i <= MULTIPART_PARTS_MAX; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "--b\r\nContent-Disposition: form-data; name=f%d\r\n\r\nv\r\n", i);
    snprintf(big + n, sizeof big - (size_t)n, "--b--");
    expect_refused(big);
    /* One part fewer passes. */
    n = 0;
    for (int i = 0; i < MULTIPART_PARTS_MAX; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "--b\r\nContent-Disposition: form-data; name=f%d\r\n\r\nv\r\n", i);
    snprintf(big + n, sizeof big - (size_t)n, "--b--");
    arena *a = arena_new();
    multipart m;
    assert_true(multipart_parse(a, "b", big, strlen(big), &m));
    assert_int_equal(m.count, MULTIPART_PARTS_MAX);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_browser_body),
        cmocka_unit_test(test_preamble_and_epilogue),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
