/* test_template.c - the template engine: every tag, escaping, context lookup,
 * standalone lines, each compile and render error with its line, limits, loading
 * a folder, and rendering one set from many threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/template.h"

/* Parses JSON written with ' for " (so tests stay readable). */
static json_t *jq(const char *text)
{
    char *s = strdup(text);
    assert_non_null(s);
    for (char *c = s; *c; c++)
        if (*c == '\'')
            *c = '"';
    json_error_t jerr;
    json_t *v = json_loads(s, JSON_DECODE_ANY, &jerr);
    if (!v)
        fail_msg("bad test JSON %s: %s", text, jerr.text);
    free(s);
    return v;
}

static void add_ok(tmpl_set *set, const char *name, const char *src)
{
    char err[256] = "";
    if (!tmpl_set_add(set, name, src, strlen(src), err, sizeof err))
        fail_msg("compiling %s: %s", name, err);
}

/* Renders name from set against data; the result is the caller's to free. */
static char *render_set(const tmpl_set *set, const char *name, json_t *data,
                        tmpl_translate_fn tr, void *tr_ctx)
{
    char err[256] = "";
    buf out;
    buf_init(&out, 0);
    if (!tmpl_render(set, name, data, tr, tr_ctx, &out, err, sizeof err))
        fail_msg("rendering %s: %s", name, err);
    char *s = strdup(buf_cstr(&out));
    buf_free(&out);
    return s;
}

/* Compiles src as "t" and checks its rendering against json (NULL = no data). */
static void expect(const char *src, const char *json, const char *want)
{
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", src);
    json_t *data = json ? jq(json) : NULL;
    char *got = render_set(set, "t", data, NULL, NULL);
    assert_string_equal(got, want);
    free(got);
    json_decref(data);
    tmpl_set_free(set);
}

/* Checks that src fails to compile as "t" with exactly the message want. */
static void expect_compile_error(const char *src, const char *want)
{
    tmpl_set *set = tmpl_set_new();
    char err[256] = "";
    assert_false(tmpl_set_add(set, "t", src, strlen(src), err, sizeof err));
    assert_string_equal(err, want);
    assert_false(tmpl_set_has(set, "t"));
    tmpl_set_free(set);
}

/* Checks that rendering name fails with exactly the message want. */
static void expect_render_error(const tmpl_set *set, const char *name, json_t *data,
                                const char *want)
{
    char err[256] = "";
    buf out;
    buf_init(&out, 0);
    assert_true(buf_puts(&out, "before"));
    assert_false(tmpl_render(set, name, data, NULL, NULL, &out, err, sizeof err));
    assert_string_equal(err, want);
    assert_string_equal(buf_cstr(&out), "before");
    buf_free(&out);
}

static void test_text_only(void **state)
{
    (void)state;
    expect("", NULL, "");
    expect("plain <b>html</b> & text\n", NULL, "plain <b>html</b> & text\n");
    expect("single { braces } and }} closers {", NULL, "single { braces } and }} closers {");
    expect("a{ {b}", NULL, "a{ {b}");
}

static void test_values(void **state)
{
    (void)state;
    const char *data = "{'s': 'text', 'i': 42, 'neg': -7, 'big': 9223372036854775807,"
                       " 'small': -9223372036854775808, 't': true, 'f': false,"
                       " 'z': null, 'r': 1.5, 'a': [1, 2], 'o': {'k': 1}, 'e': ''}";
    expect("{{s}}|{{i}}|{{neg}}|{{big}}|{{small}}", data,
           "text|42|-7|9223372036854775807|-9223372036854775808");
    expect("{{t}}|{{f}}|{{z}}|{{r}}|{{missing}}|{{a}}|{{o}}|{{e}}", data,
           "true|false||1.5||||");
    expect("{{{i}}}|{{& t}}|{{{z}}}", data, "42|true|");
    expect("[{{ s }}] [{{{ s }}}] [{{&s}}] [{{& s }}] [{{\ts\t}}]", data,
           "[text] [text] [text] [text] [text]");
}

static void test_value_with_nul_byte(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", "[{{s}}|{{{s}}}]");
    json_t *data = json_pack("{s:s#}", "s", "a\0<", (size_t)3);
    buf out;
    buf_init(&out, 0);
    assert_true(tmpl_render(set, "t", data, NULL, NULL, &out, NULL, 0));
    assert_int_equal(out.len, 12);
    assert_memory_equal(out.data, "[a\0&lt;|a\0<]", 12);
    buf_free(&out);
    json_decref(data);
    tmpl_set_free(set);
}

static void test_escaping(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", "<p title=\"{{v}}\">{{v}}</p>{{{v}}}{{&v}}");
    json_t *data = json_pack("{s:s}", "v", "a&b<c>d\"e'f");
    char *got = render_set(set, "t", data, NULL, NULL);
    assert_string_equal(got, "<p title=\"a&amp;b&lt;c&gt;d&quot;e&#39;f\">"
                             "a&amp;b&lt;c&gt;d&quot;e&#39;f</p>"
                             "a&b<c>d\"e'fa&b<c>d\"e'f");
    free(got);
    json_decref(data);
    data = json_pack("{s:s}", "v", "<script>alert('x')</script>");
    got = render_set(set, "t", data, NULL, NULL);
    assert_non_null(strstr(got, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"));
    free(got);
    json_decref(data);
    tmpl_set_free(set);
}

static void test_dotted_names(void **state)
{
    (void)state;
    const char *data = "{'a': {'b': {'c': 'deep'}, 'n': 3}, 'x': {'y': 'outer'},"
                       " 'b': {'c': 'ERROR'}}";
    expect("{{a.b.c}}|{{a.n}}|{{{a.b.c}}}", data, "deep|3|deep");
    expect("[{{a.x.c}}][{{a.b.c.d}}][{{nope.b}}][{{a.n.z}}]", data, "[][][][]");
    /* the first segment walks up the stack, the rest stays inside what it found */
    expect("{{#a}}{{x.y}}/{{b.c}}{{/a}}", data, "outer/deep");
    expect("{{#a.b}}{{c}}{{/a.b}}", data, "deep");
    expect("{{#a}}{{#b}}{{x.y}}{{/b}}{{/a}}", data, "outer");
    /* a found higher up hides a lower one, even when it lacks the rest */
    expect("{{#a}}{{b.c}}{{/a}}", "{'a': {'b': {}}, 'b': {'c': 'ERROR'}}", "");
}

static void test_current_value(void **state)
{
    (void)state;
    expect("{{.}}", "'a<b'", "a&lt;b");
    expect("{{{.}}}", "'a<b'", "a<b");
    expect("{{.}}", "12", "12");
    expect("{{#.}}[{{.}}]{{/.}}", "['x', 1, true]", "[x][1][true]");
    expect("{{#.}}({{#.}}{{.}}{{/.}}){{/.}}", "[[1, 2], [3], []]", "(12)(3)()");
    expect("{{.}}|{{x}}", NULL, "|");
}

static void test_section_falsy_values(void **state)
{
    (void)state;
    const char *data = "{'f': false, 'z': null, 'e': '', 'a': [], 'n': 0, 'r': 0.0,"
                       " 't': true, 's': 'x', 'one': 1, 'm': -1, 'o': {}, 'a0': [0],"
                       " 'sp': ' ', 'h': 0.5}";
    expect("{{#f}}1{{/f}}{{#z}}2{{/z}}{{#e}}3{{/e}}{{#a}}4{{/a}}{{#n}}5{{/n}}"
           "{{#r}}6{{/r}}{{#missing}}7{{/missing}}{{#o.missing}}8{{/o.missing}}",
           data, "");
    expect("{{#t}}1{{/t}}{{#s}}2{{/s}}{{#one}}3{{/one}}{{#m}}4{{/m}}{{#o}}5{{/o}}"
           "{{#a0}}6{{/a0}}{{#sp}}7{{/sp}}{{#h}}8{{/h}}", data, "12345678");
    expect("{{^f}}1{{/f}}{{^z}}2{{/z}}{{^e}}3{{/e}}{{^a}}4{{/a}}{{^n}}5{{/n}}"
           "{{^r}}6{{/r}}{{^missing}}7{{/missing}}", data, "1234567");
    expect("{{^t}}1{{/t}}{{^s}}2{{/s}}{{^one}}3{{/one}}{{^m}}4{{/m}}{{^o}}5{{/o}}"
           "{{^a0}}6{{/a0}}{{^sp}}7{{/sp}}", data, "");
}

static void test_section_pushes_value(void **state)
{
    (void)state;
    const char *data = "{'s': 'str', 'n': 5, 't': true, 'o': {'k': 'v'}, 'k': 'outer'}";
    expect("{{#s}}<{{.}}>{{/s}}{{#n}}<{{.}}>{{/n}}{{#t}}<{{.}}>{{/t}}", data,
           "<str><5><true>");
    expect("{{#o}}{{k}}{{/o}}|{{k}}", data, "v|outer");
    expect("{{#s}}{{k}}{{/s}}", data, "outer");
    expect("{{#o}}{{#o}}{{k}}{{/o}}{{/o}}", data, "v");
}

static void test_nested_arrays_of_objects(void **state)
{
    (void)state;
    const char *data =
        "{'currency': 'EUR', 'orders': ["
        "  {'id': 1, 'lines': [{'sku': 'a', 'qty': 2}, {'sku': 'b', 'qty': 1, 'currency': 'USD'}]},"
        "  {'id': 2, 'lines': []},"
        "  {'id': 3, 'lines': [{'sku': 'c', 'qty': 5}], 'note': 'rush'}]}";
    expect("{{#orders}}#{{id}}:{{#lines}} {{sku}}x{{qty}} {{currency}}{{/lines}}"
           "{{^lines}} none{{/lines}}{{#note}} ({{note}}){{/note}};{{/orders}}",
           data,
           "#1: ax2 EUR bx1 USD;#2: none;#3: cx5 EUR (rush);");
    /* an outer loop variable stays visible in the inner loop */
    expect("{{#orders}}{{#lines}}{{id}}{{sku}} {{/lines}}{{/orders}}", data, "1a 1b 3c ");
}

static void test_inverted_sections(void **state)
{
    (void)state;
    expect("{{^list}}no items{{/list}}{{#list}}{{.}}{{/list}}", "{'list': []}", "no items");
    expect("{{^list}}no items{{/list}}{{#list}}{{.}}{{/list}}", "{'list': [1, 2]}", "12");
    expect("{{^user}}<a>log in</a>{{/user}}", "{'user': {'name': 'x'}}", "");
    /* an inverted section does not push a context */
    expect("{{#o}}{{^missing}}{{k}}{{/missing}}{{/o}}", "{'o': {'k': 'v'}}", "v");
    expect("{{^a.b}}nob{{/a.b}}", "{'a': {}}", "nob");
}

static void test_comments(void **state)
{
    (void)state;
    expect("a{{! a comment }}b{{!}}c", NULL, "abc");
    expect("a{{! spans\n  several\n  lines }}b", NULL, "ab");
    expect("{{! with } and { braces }}x", NULL, "x");
}

static const char *translate_upper(void *ctx, const char *msgid)
{
    int *calls = ctx;
    (*calls)++;
    if (!strcmp(msgid, "Log in"))
        return "Accedi";
    if (!strcmp(msgid, "Tom & Jerry"))
        return "<Tom & Jerry>";
    if (!strcmp(msgid, "two words here"))
        return "tre parole";
    return NULL;
}

static void test_translation(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", "<b>{{_ Log in }}</b>|{{_ Tom & Jerry}}|{{_\n  two\twords\n here }}|"
                     "{{_ Untranslated <x>}}|{{_name}}");
    json_t *data = jq("{'_name': 'var'}");
    int calls = 0;
    char *got = render_set(set, "t", data, translate_upper, &calls);
    assert_int_equal(calls, 4);
    assert_string_equal(got, "<b>Accedi</b>|&lt;Tom &amp; Jerry&gt;|tre parole|"
                             "Untranslated &lt;x&gt;|var");
    free(got);
    got = render_set(set, "t", data, NULL, NULL);
    assert_string_equal(got, "<b>Log in</b>|Tom &amp; Jerry|two words here|"
                             "Untranslated &lt;x&gt;|var");
    free(got);
    json_decref(data);
    tmpl_set_free(set);
}

static void test_partials(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "page", "<ul>{{#items}}{{> parts/item}}{{/items}}</ul>{{>footer}}");
    add_ok(set, "parts/item", "<li>{{name}} ({{currency}})</li>");
    char err[256] = "";
    assert_false(tmpl_set_check(set, err, sizeof err));
    assert_string_equal(err, "page:1: unknown partial 'footer'");
    json_t *data = jq("{'currency': 'EUR', 'items': [{'name': 'a'}, {'name': 'b<'}]}");
    expect_render_error(set, "page", data, "page:1: unknown partial 'footer'");
    add_ok(set, "footer", "<footer>{{currency}}</footer>");
    assert_true(tmpl_set_check(set, err, sizeof err));
    char *got = render_set(set, "page", data, NULL, NULL);
    assert_string_equal(got, "<ul><li>a (EUR)</li><li>b&lt; (EUR)</li></ul>"
                             "<footer>EUR</footer>");
    free(got);
    assert_true(tmpl_set_has(set, "parts/item"));
    assert_false(tmpl_set_has(set, "parts"));
    assert_int_equal(tmpl_set_count(set), 3);
    json_decref(data);
    tmpl_set_free(set);
}

static void test_partial_recursion(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    /* recursion that the data ends is fine */
    add_ok(set, "tree", "({{name}}{{#kids}}{{> tree}}{{/kids}})");
    json_t *data = jq("{'name': 'r', 'kids': [{'name': 'a', 'kids': [{'name': 'b', 'kids': []}]},"
                      " {'name': 'c', 'kids': []}]}");
    char *got = render_set(set, "tree", data, NULL, NULL);
    assert_string_equal(got, "(r(a(b))(c))");
    free(got);
    json_decref(data);
    /* endless recursion stops at the limit */
    add_ok(set, "loop", "x\n{{> loop}}");
    expect_render_error(set, "loop", NULL, "loop:2: partials nested deeper than 16");
    /* a chain of exactly 16 inclusions renders; 17 does not */
    char name[16], src[64];
    for (int i = 0; i <= 17; i++) {
        snprintf(name, sizeof name, "p%d", i);
        snprintf(src, sizeof src, "%d{{> p%d}}", i, i + 1);
        add_ok(set, name, i == 17 ? "end" : src);
    }
    got = render_set(set, "p1", NULL, NULL, NULL);
    assert_string_equal(got, "12345678910111213141516end");
    free(got);
    expect_render_error(set, "p0", NULL, "p16:1: partials nested deeper than 16");
    tmpl_set_free(set);
}

static void test_standalone_lines(void **state)
{
    (void)state;
    const char *data = "{'t': true, 'f': false, 'list': [1, 2]}";
    expect("<ul>\n  {{#list}}\n  <li>{{.}}</li>\n  {{/list}}\n</ul>\n", data,
           "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
    expect("a\n {{^f}} \nb\n\t{{/f}}\t\nc\n", data, "a\nb\nc\n");
    expect("a\n  {{! comment }}  \nb\n{{! multi\nline }}\nc", data, "a\nb\nc");
    expect("a\r\n{{#t}}\r\nb\r\n{{/t}}\r\nc", data, "a\r\nb\r\nc");
    /* at the very start and the very end of the template */
    expect("{{#t}}\nx\n{{/t}}", data, "x\n");
    expect("  {{#t}}\n#{{/t}}\n/", data, "#\n/");
    /* not alone on the line: kept as is */
    expect("  {{#t}}YES{{/t}}\n", data, "  YES\n");
    expect(" | {{#t}}\n{{/t}} |\n", data, " | \n |\n");
    expect("{{#t}}{{/t}}\n", data, "\n");
    expect("  {{#t}} {{/t}}  \nx", data, "     \nx");
    expect("{{t}}\n  {{t}}  \n", data, "true\n  true  \n");
    expect("x {{! c }}\ny", data, "x \ny");
    expect("{{#t}}\n{{#t}}\nin\n{{/t}}\n{{/t}}\n", data, "in\n");
    /* a standalone partial tag goes, with its indentation, and the partial stays */
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "page", "<div>\n  {{> row}}\n</div>\n");
    add_ok(set, "row", "<p>{{t}}</p>\n");
    json_t *d = jq(data);
    char *got = render_set(set, "page", d, NULL, NULL);
    assert_string_equal(got, "<div>\n<p>true</p>\n</div>\n");
    free(got);
    json_decref(d);
    tmpl_set_free(set);
}

static void test_compile_errors(void **state)
{
    (void)state;
    expect_compile_error("a\n\nb {{name", "t:3: tag is not closed");
    expect_compile_error("{{{name}}", "t:1: tag is not closed");
    expect_compile_error("x\n{{name\n}}", "t:2: tag spans several lines");
    expect_compile_error("{{a {{b}}", "t:1: tag is not closed");
    expect_compile_error("{{! comment\n {{b}} }}", "t:1: tag is not closed");
    expect_compile_error("1\n2\n{{#user}}\n<p>\n", "t:3: section 'user' is not closed");
    expect_compile_error("{{#a}}\n{{#b}}\n{{/b}}\n", "t:1: section 'a' is not closed");
    expect_compile_error("{{#a}}\n{{#b}}\n{{/a}}",
                         "t:3: '{{/a}}' does not close section 'b' (line 2)");
    expect_compile_error("x\n{{/a}}", "t:2: '{{/a}}' closes no open section");
    expect_compile_error("{{^a}}{{/a}}{{/a}}", "t:1: '{{/a}}' closes no open section");
    expect_compile_error("{{a..b}}", "t:1: invalid name 'a..b'");
    expect_compile_error("{{.a}}", "t:1: invalid name '.a'");
    expect_compile_error("{{a.}}", "t:1: invalid name 'a.'");
    expect_compile_error("\n{{}}", "t:2: invalid name ''");
    expect_compile_error("{{ }}", "t:1: invalid name ''");
    expect_compile_error("{{a b}}", "t:1: invalid name 'a b'");
    expect_compile_error("{{#}}{{/}}", "t:1: invalid name ''");
    expect_compile_error("{{{a}b}}}", "t:1: invalid name 'a}b'");
    expect_compile_error("{{=<% %>=}}", "t:1: set-delimiter tags are not supported");
    expect_compile_error("{{_ \n }}", "t:1: empty translation text");
    expect_compile_error("{{> }}", "t:1: invalid partial name ''");
    expect_compile_error("{{> a b}}", "t:1: invalid partial name 'a b'");
    /* line numbers count newlines inside comments and removed standalone lines */
    expect_compile_error("{{! a\nb\nc}}\n{{#x}}\n\n{{/y}}",
                         "t:6: '{{/y}}' does not close section 'x' (line 4)");
    expect_compile_error("a\r\nb\r\n{{#x}}\r\n", "t:3: section 'x' is not closed");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    buf src;
    buf_init(&src, 0);
    for (int i = 0; i < TMPL_NEST_MAX; i++)
        assert_true(buf_puts(&src, "{{#a}}\n"));
    assert_true(buf_puts(&src, "{{x}}"));
    for (int i = 0; i < TMPL_NEST_MAX; i++)
        assert_true(buf_puts(&src, "{{/a}}"));
    expect(buf_cstr(&src), "{'a': {'x': 'in'}}", "in");
    buf_reset(&src);
    for (int i = 0; i <= TMPL_NEST_MAX; i++)
        assert_true(buf_puts(&src, "{{^a}}\n"));
    expect_compile_error(buf_cstr(&src), "t:33: sections nested deeper than 32");
    buf_free(&src);
}

static void test_size_limits(void **state)
{
    (void)state;
    char *big = malloc(TMPL_SOURCE_SIZE_MAX + 2);
    assert_non_null(big);
    memset(big, 'x', TMPL_SOURCE_SIZE_MAX + 1);
    big[TMPL_SOURCE_SIZE_MAX + 1] = '\0';
    expect_compile_error(big, "t: template is larger than 1048576 bytes");
    big[TMPL_SOURCE_SIZE_MAX] = '\0';
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", big);
    tmpl_set_free(set);
    /* a tag body of TMPL_TAG_LEN_MAX bytes is fine, one more is not */
    memcpy(big, "{{", 2);
    memcpy(big + 2 + TMPL_TAG_LEN_MAX, "}}", 3);
    set = tmpl_set_new();
    add_ok(set, "t", big);
    tmpl_set_free(set);
    memcpy(big + 2 + TMPL_TAG_LEN_MAX, "x}}", 4);
    expect_compile_error(big, "t:1: tag is longer than 4096 bytes");
    /* comments are exempt */
    memcpy(big, "{{!", 3);
    set = tmpl_set_new();
    add_ok(set, "t", big);
    tmpl_set_free(set);
    free(big);
}

static void test_bad_sources_and_names(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    char err[256] = "";
    assert_false(tmpl_set_add(set, "t", "a\nb\0c", 5, err, sizeof err));
    assert_string_equal(err, "t:2: NUL byte in template");
    assert_false(tmpl_set_add(set, "", "x", 1, err, sizeof err));
    assert_string_equal(err, "invalid template name ''");
    assert_false(tmpl_set_add(set, "a b", "x", 1, err, sizeof err));
    assert_string_equal(err, "invalid template name 'a b'");
    add_ok(set, "t", "first");
    assert_false(tmpl_set_add(set, "t", "second", 6, err, sizeof err));
    assert_string_equal(err, "t: template defined twice");
    /* a failed add leaves the set as it was */
    assert_false(tmpl_set_add(set, "u", "{{#a}}", 6, NULL, 0));
    assert_false(tmpl_set_has(set, "u"));
    assert_int_equal(tmpl_set_count(set), 1);
    char *got = render_set(set, "t", NULL, NULL, NULL);
    assert_string_equal(got, "first");
    free(got);
    /* source need not be NUL-terminated */
    assert_true(tmpl_set_add(set, "v", "{{x}}tail", 5, err, sizeof err));
    json_t *data = jq("{'x': 1}");
    got = render_set(set, "v", data, NULL, NULL);
    assert_string_equal(got, "1");
    free(got);
    json_decref(data);
    tmpl_set_free(set);
}

static void test_render_errors(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", "x");
    expect_render_error(set, "nope", NULL, "unknown template 'nope'");
    add_ok(set, "many", "{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}");
    json_t *a = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(a, json_integer(i));
    json_t *data = json_pack("{s:o}", "a", a);
    expect_render_error(set, "many", data, "many:1: more than 4194304 render steps");
    json_decref(data);
    /* no error buffer is fine */
    buf out;
    buf_init(&out, 0);
    assert_false(tmpl_render(set, "nope", NULL, NULL, NULL, &out, NULL, 0));
    char tiny[4];
    assert_false(tmpl_render(set, "nope", NULL, NULL, NULL, &out, tiny, sizeof tiny));
    assert_string_equal(tiny, "unk");
    buf_free(&out);
    tmpl_set_free(set);
}

static void test_output_limit(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "t", "0123\n{{#list}}{{.}}{{/list}}\n");
    json_t *data = jq("{'list': ['ab', 'cd', '<>']}");
    char err[256] = "";
    buf out;
    buf_init(&out, 15); /* "0123\nabcd&lt;&gt;\n" needs 18 */
    assert_true(buf_puts(&out, "pre"));
    assert_false(tmpl_render(set, "t", data, NULL, NULL, &out, err, sizeof err));
    assert_string_equal(err, "t:2: output limit of 15 bytes reached");
    assert_string_equal(buf_cstr(&out), "pre");
    assert_true(out.overflow);
    buf_free(&out);
    buf_init(&out, 18);
    assert_true(tmpl_render(set, "t", data, NULL, NULL, &out, err, sizeof err));
    assert_string_equal(buf_cstr(&out), "0123\nabcd&lt;&gt;\n");
    buf_free(&out);
    buf_init(&out, 17);
    assert_false(tmpl_render(set, "t", data, NULL, NULL, &out, err, sizeof err));
    assert_string_equal(err, "t:2: output limit of 17 bytes reached");
    buf_free(&out);
    json_decref(data);
    tmpl_set_free(set);
}

/* ---- loading a folder ---- */

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void make_dir(const char *dir, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    assert_int_equal(mkdir(path, 0700), 0);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    assert_int_equal(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/saldo-tmpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    make_dir(dir, "account");
    make_dir(dir, "account/parts");
    make_dir(dir, ".git");
    write_file(dir, "layout.html", "<main>{{> account/parts/row}}</main>\n");
    write_file(dir, "account/login.html", "{{_ Log in}} {{user}}");
    write_file(dir, "account/parts/row.html", "<p>{{user}}</p>");
    write_file(dir, "account/notes.txt", "{{#broken");
    write_file(dir, ".hidden.html", "{{#broken");
    write_file(dir, ".git/x.html", "{{#broken");
    char err[256] = "";
    char with_slash[64];
    snprintf(with_slash, sizeof with_slash, "%s//", dir);
    tmpl_set *set = tmpl_set_load_dir(with_slash, err, sizeof err);
    if (!set)
        fail_msg("%s", err);
    assert_int_equal(tmpl_set_count(set), 3);
    assert_true(tmpl_set_has(set, "layout"));
    assert_true(tmpl_set_has(set, "account/login"));
    assert_true(tmpl_set_has(set, "account/parts/row"));
    assert_true(tmpl_set_check(set, err, sizeof err));
    json_t *data = jq("{'user': 'ann'}");
    char *got = render_set(set, "layout", data, NULL, NULL);
    assert_string_equal(got, "<main><p>ann</p></main>\n");
    free(got);
    json_decref(data);
    tmpl_set_free(set);

    write_file(dir, "account/parts/bad.html", "ok\n{{/x}}");
    assert_null(tmpl_set_load_dir(dir, err, sizeof err));
    assert_string_equal(err, "account/parts/bad:2: '{{/x}}' closes no open section");
    remove_tree(dir);
    assert_null(tmpl_set_load_dir(dir, err, sizeof err));
    assert_non_null(strstr(err, "No such file or directory"));
}

/* ---- many threads, one set ---- */

enum { THREAD_COUNT = 8, THREAD_RENDERS = 200 };

typedef struct thread_job {
    const tmpl_set *set;
    json_t *data;
    const char *want;
    int mismatches;
} thread_job;

static const char *translate_it(void *ctx, const char *msgid)
{
    (void)ctx;
    return !strcmp(msgid, "Total") ? "Totale" : NULL;
}

static void *render_many(void *arg)
{
    thread_job *job = arg;
    buf out;
    buf_init(&out, 0);
    for (int i = 0; i < THREAD_RENDERS; i++) {
        buf_reset(&out);
        char err[256];
        if (!tmpl_render(job->set, "page", job->data, translate_it, NULL, &out, err,
                         sizeof err) || strcmp(buf_cstr(&out), job->want))
            job->mismatches++;
    }
    buf_free(&out);
    return NULL;
}

static void test_threads_share_a_set(void **state)
{
    (void)state;
    tmpl_set *set = tmpl_set_new();
    add_ok(set, "page", "<table>\n{{#rows}}\n  {{> row}}\n{{/rows}}\n</table>\n"
                        "{{_ Total}}: {{total}} {{currency}}\n");
    add_ok(set, "row", "<tr><td>{{n}}</td><td>{{name}}</td><td>{{currency}}</td></tr>\n");
    json_t *rows = json_array();
    for (int i = 0; i < 50; i++)
        json_array_append_new(rows, json_pack("{s:i,s:s}", "n", i, "name", "<row & co>"));
    json_t *data = json_pack("{s:o,s:i,s:s}", "rows", rows, "total", 1225, "currency", "EUR");
    char *want = render_set(set, "page", data, translate_it, NULL);
    assert_non_null(strstr(want, "<tr><td>49</td><td>&lt;row &amp; co&gt;</td><td>EUR</td></tr>\n"
                                 "</table>\nTotale: 1225 EUR\n"));
    char *dump = json_dumps(data, JSON_SORT_KEYS);
    pthread_t threads[THREAD_COUNT];
    thread_job jobs[THREAD_COUNT];
    for (int i = 0; i < THREAD_COUNT; i++) {
        jobs[i] = (thread_job){.set = set, .data = data, .want = want};
        assert_int_equal(pthread_create(&threads[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < THREAD_COUNT; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    char *after = json_dumps(data, JSON_SORT_KEYS);
    assert_string_equal(dump, after);
    free(dump);
    free(after);
    free(want);
    json_decref(data);
    tmpl_set_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_only),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_value_with_nul_byte),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_dotted_names),
        cmocka_unit_test(test_current_value),
        cmocka_unit_test(test_section_falsy_values),
        cmocka_unit_test(test_section_pushes_value),
        cmocka_unit_test(test_nested_arrays_of_objects),
        cmocka_unit_test(test_inverted_sections),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_translation),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_partial_recursion),
        cmocka_unit_test(test_standalone_lines),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_bad_sources_and_names),
        cmocka_unit_test(test_render_errors),
        cmocka_unit_test(test_output_limit),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_threads_share_a_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
