/* test_openapi.c - keeps docs/openapi.json true to the server: builds the real
 * route table with app_routes() and checks it against the document the binary
 * embeds. Every /api/ route has an operation (same method, same path template)
 * and every operation a route; operations have responses; every $ref resolves;
 * path parameters are declared; security matches who the route lets in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "app.h"
#include "feature/apidoc/apidoc.h"

typedef struct openapi_fixture {
    app a;
    json_t *doc;
    char load_error[256];
} openapi_fixture;

static const char *const openapi_methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace", NULL};

static int openapi_setup(void **state)
{
    openapi_fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    app_routes(&f->a);
    const embedded_file *d = apidoc_document();
    json_error_t e;
    f->doc = json_loadb(d->data, d->len, JSON_REJECT_DUPLICATES, &e);
    if (!f->doc)
        snprintf(f->load_error, sizeof f->load_error, "%s at line %d, column %d", e.text, e.line, e.column);
    *state = f;
    return 0;
}

static int openapi_teardown(void **state)
{
    openapi_fixture *f = *state;
    json_decref(f->doc);
    free(f);
    return 0;
}

static json_t *fixture_doc(void **state)
{
    openapi_fixture *f = *state;
    if (!f->doc)
        fail_msg("docs/openapi.json is not valid JSON: %s", f->load_error);
    return f->doc;
}

/* Prints one discrepancy; returns 1 so callers can count them. */
static int problem(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "openapi: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static void lower_copy(const char *s, char *out, size_t size)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    out[i] = '\0';
}

static bool is_api_route(const route *ro)
{
    return !strncmp(ro->pattern, "/api/", 5);
}

/* The operation of doc for a route's method and pattern, or NULL. */
static json_t *operation_of(json_t *doc, const char *method, const char *pattern)
{
    char m[16];
    lower_copy(method, m, sizeof m);
    return json_object_get(json_object_get(json_object_get(doc, "paths"), pattern), m);
}

/* The same template with every "{name}" as "{}", to tell a renamed parameter
 * from a missing path. */
static void template_shape(const char *t, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = t; *p && n + 1 < size; p++) {
        out[n++] = *p;
        if (*p == '{') {
            const char *close = strchr(p, '}');
            p = close ? close - 1 : p + strlen(p) - 1;
        }
    }
    out[n] = '\0';
}

/* A documented path with the same shape as pattern but other names, or NULL. */
static const char *renamed_path(json_t *doc, const char *pattern)
{
    char want[512], got[512];
    const char *path;
    json_t *item;
    template_shape(pattern, want, sizeof want);
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        template_shape(path, got, sizeof got);
        if (!strcmp(want, got) && strcmp(path, pattern))
            return path;
    }
    return NULL;
}

static void test_document_is_openapi_31(void **state)
{
    json_t *doc = fixture_doc(state);
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    assert_non_null(json_string_value(json_object_get(json_object_get(doc, "info"), "title")));
    assert_non_null(json_string_value(json_object_get(json_object_get(doc, "info"), "version")));
    assert_true(json_is_object(json_object_get(doc, "paths")));
    assert_true(json_object_size(json_object_get(doc, "paths")) > 0);
}

static void test_every_api_route_is_documented(void **state)
{
    json_t *doc = fixture_doc(state);
    const router *rt = &((openapi_fixture *)*state)->a.routes;
    int problems = 0, api_routes = 0;
    for (size_t i = 0; i < rt->count; i++) {
        const route *ro = &rt->routes[i];
        if (!is_api_route(ro))
            continue;
        api_routes++;
        if (operation_of(doc, ro->method, ro->pattern))
            continue;
        const char *renamed = renamed_path(doc, ro->pattern);
        if (renamed)
            problems += problem("route %s %s is documented as %s: parameter names differ", ro->method,
                                ro->pattern, renamed);
        else
            problems += problem("route %s %s has no operation in docs/openapi.json", ro->method, ro->pattern);
    }
    assert_true(api_routes > 0);
    assert_int_equal(problems, 0);
}

static bool route_exists(const router *rt, const char *method, const char *pattern)
{
    for (size_t i = 0; i < rt->count; i++) {
        char m[16];
        lower_copy(rt->routes[i].method, m, sizeof m);
        if (!strcmp(m, method) && !strcmp(rt->routes[i].pattern, pattern))
            return true;
    }
    return false;
}

static void test_every_operation_has_a_route(void **state)
{
    json_t *doc = fixture_doc(state);
    const router *rt = &((openapi_fixture *)*state)->a.routes;
    int problems = 0;
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        for (const char *const *m = openapi_methods; *m; m++)
            if (json_object_get(item, *m) && !route_exists(rt, *m, path))
                problems += problem("operation %s %s has no route in the server", *m, path);
    }
    assert_int_equal(problems, 0);
}

/* Follows a JSON pointer ("#/components/schemas/Money", with ~0 and ~1). */
static json_t *pointer_get(json_t *doc, const char *ref)
{
    if (strncmp(ref, "#/", 2))
        return NULL;
    json_t *node = doc;
    const char *p = ref + 2;
    while (node && *p) {
        char key[256];
        size_t n = 0;
        for (; *p && *p != '/' && n + 1 < sizeof key; p++) {
            if (*p == '~' && (p[1] == '0' || p[1] == '1'))
                key[n++] = *++p == '0' ? '~' : '/';
            else
                key[n++] = *p;
        }
        key[n] = '\0';
        if (*p == '/')
            p++;
        node = json_is_array(node) ? json_array_get(node, (size_t)strtoul(key, NULL, 10))
                                   : json_object_get(node, key);
    }
    return node;
}

/* The object itself, or what its "$ref" points to (a few levels deep). */
static json_t *resolved(json_t *doc, json_t *node)
{
    for (int depth = 0; depth < 8 && json_is_string(json_object_get(node, "$ref")); depth++)
        node = pointer_get(doc, json_string_value(json_object_get(node, "$ref")));
    return node;
}

static int check_refs(json_t *doc, json_t *node)
{
    int problems = 0;
    if (json_is_object(node)) {
        const char *key;
        json_t *v;
        json_object_foreach(node, key, v) {
            if (!strcmp(key, "$ref") && (!json_is_string(v) || !pointer_get(doc, json_string_value(v))))
                problems += problem("$ref %s does not resolve", json_is_string(v) ? json_string_value(v) : "(not a string)");
            else
                problems += check_refs(doc, v);
        }
    } else if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v)
            problems += check_refs(doc, v);
    }
    return problems;
}

static void test_every_ref_resolves(void **state)
{
    json_t *doc = fixture_doc(state);
    assert_int_equal(check_refs(doc, doc), 0);
}

static int check_responses(json_t *doc, const char *method, const char *path, json_t *op)
{
    json_t *responses = json_object_get(op, "responses");
    if (!json_is_object(responses) || json_object_size(responses) == 0)
        return problem("%s %s has no responses", method, path);
    int problems = 0;
    const char *status;
    json_t *r;
    json_object_foreach(responses, status, r) {
        json_t *rr = resolved(doc, r);
        if (!json_is_string(json_object_get(rr, "description")))
            problems += problem("%s %s: response %s has no description", method, path, status);
        if (strlen(status) != 3 || strspn(status, "0123456789") != 3)
            problems += problem("%s %s: response %s is not a status code", method, path, status);
    }
    return problems;
}

static void test_every_operation_has_responses(void **state)
{
    json_t *doc = fixture_doc(state);
    int problems = 0, operations = 0;
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        for (const char *const *m = openapi_methods; *m; m++) {
            json_t *op = json_object_get(item, *m);
            if (!op)
                continue;
            operations++;
            problems += check_responses(doc, *m, path, op);
        }
    }
    assert_true(operations > 0);
    assert_int_equal(problems, 0);
}

/* Whether list (path-item or operation parameters) declares path parameter name. */
static bool declares_path_param(json_t *doc, json_t *list, const char *name)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        json_t *rp = resolved(doc, p);
        const char *in = json_string_value(json_object_get(rp, "in"));
        const char *declared = json_string_value(json_object_get(rp, "name"));
        if (in && declared && !strcmp(in, "path") && !strcmp(declared, name) &&
            json_is_true(json_object_get(rp, "required")))
            return true;
    }
    return false;
}

/* Every "{name}" of the template is declared (in: path, required) for op. */
static int check_template_params(json_t *doc, const char *path, const char *method, json_t *item, json_t *op)
{
    int problems = 0;
    for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        char name[64];
        if (!close || (size_t)(close - p) > sizeof name) {
            problems += problem("%s: unclosed or overlong parameter", path);
            break;
        }
        snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
        if (!declares_path_param(doc, json_object_get(item, "parameters"), name) &&
            !declares_path_param(doc, json_object_get(op, "parameters"), name))
            problems += problem("%s %s: path parameter %s is not declared (in: path, required: true)", method,
                                path, name);
    }
    return problems;
}

/* Every declared path parameter of list appears in the template. */
static int check_declared_params(json_t *doc, const char *path, json_t *list)
{
    int problems = 0;
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) {
        json_t *rp = resolved(doc, p);
        const char *in = json_string_value(json_object_get(rp, "in"));
        const char *name = json_string_value(json_object_get(rp, "name"));
        if (!in || !name) {
            problems += problem("%s: a parameter without in or name", path);
            continue;
        }
        char braced[80];
        snprintf(braced, sizeof braced, "{%s}", name);
        if (!strcmp(in, "path") && !strstr(path, braced))
            problems += problem("%s: path parameter %s is not in the template", path, name);
    }
    return problems;
}

static void test_path_parameters_are_declared(void **state)
{
    json_t *doc = fixture_doc(state);
    int problems = 0;
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        problems += check_declared_params(doc, path, json_object_get(item, "parameters"));
        for (const char *const *m = openapi_methods; *m; m++) {
            json_t *op = json_object_get(item, *m);
            if (!op)
                continue;
            problems += check_template_params(doc, path, *m, item, op);
            problems += check_declared_params(doc, path, json_object_get(op, "parameters"));
        }
    }
    assert_int_equal(problems, 0);
}

/* Whether the operation's security lists a requirement on scheme. */
static bool security_uses(json_t *op, const char *scheme)
{
    size_t i;
    json_t *req;
    json_array_foreach(json_object_get(op, "security"), i, req)
        if (json_object_get(req, scheme))
            return true;
    return false;
}

/* Public routes say `security: []`; customer and staff routes name their
 * bearer scheme and document the dispatcher's 401. */
static int check_security(json_t *doc, const route *ro, json_t *op)
{
    json_t *sec = json_object_get(op, "security");
    json_t *schemes = json_object_get(json_object_get(doc, "components"), "securitySchemes");
    int problems = 0;
    size_t i;
    json_t *req;
    json_array_foreach(sec, i, req) {
        const char *name;
        json_t *v;
        json_object_foreach(req, name, v)
            if (!json_object_get(schemes, name))
                problems += problem("%s %s: security scheme %s is not in components", ro->method, ro->pattern, name);
    }
    if (!json_is_array(sec))
        return problems + problem("%s %s: no security (public routes say security: [])", ro->method, ro->pattern);
    const char *need = ro->flags & ROUTE_STAFF ? "staffBearer" : ro->flags & ROUTE_USER ? "userBearer" : NULL;
    if (!need && json_array_size(sec) != 0)
        problems += problem("%s %s: a public route, but its security is not []", ro->method, ro->pattern);
    if (need && !security_uses(op, need))
        problems += problem("%s %s: its security does not list %s", ro->method, ro->pattern, need);
    if (need && !json_object_get(json_object_get(op, "responses"), "401"))
        problems += problem("%s %s: needs sign-in but documents no 401", ro->method, ro->pattern);
    return problems;
}

static void test_security_matches_routes(void **state)
{
    json_t *doc = fixture_doc(state);
    const router *rt = &((openapi_fixture *)*state)->a.routes;
    int problems = 0;
    for (size_t i = 0; i < rt->count; i++) {
        const route *ro = &rt->routes[i];
        json_t *op = is_api_route(ro) ? operation_of(doc, ro->method, ro->pattern) : NULL;
        if (op)
            problems += check_security(doc, ro, op);
    }
    assert_int_equal(problems, 0);
}

static void test_operation_ids_are_unique(void **state)
{
    json_t *doc = fixture_doc(state);
    json_t *seen = json_object();
    int problems = 0;
    const char *path;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        for (const char *const *m = openapi_methods; *m; m++) {
            json_t *op = json_object_get(item, *m);
            if (!op)
                continue;
            const char *id = json_string_value(json_object_get(op, "operationId"));
            if (!id)
                problems += problem("%s %s has no operationId", *m, path);
            else if (json_object_get(seen, id))
                problems += problem("operationId %s is used twice", id);
            else
                json_object_set_new(seen, id, json_true());
        }
    }
    json_decref(seen);
    assert_int_equal(problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_is_openapi_31),
        cmocka_unit_test(test_every_api_route_is_documented),
        cmocka_unit_test(test_every_operation_has_a_route),
        cmocka_unit_test(test_every_ref_resolves),
        cmocka_unit_test(test_every_operation_has_responses),
        cmocka_unit_test(test_path_parameters_are_declared),
        cmocka_unit_test(test_security_matches_routes),
        cmocka_unit_test(test_operation_ids_are_unique),
    };
    return cmocka_run_group_tests(tests, openapi_setup, openapi_teardown);
}
