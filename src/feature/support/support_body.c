/* support_body.c - the body of a ticket or a message, sent as JSON or as
 * multipart/form-data with files (the API and the pages without JavaScript
 * alike): the form's fields become the same JSON object the JSON body would
 * be, so both go through the same checks. */
#include "feature/support/support_internal.h"

#include <string.h>

#include "http/json_in.h"
#include "http/multipart.h"

/* Fields that hold numbers or booleans in the JSON form. */
static json_t *field_value(const multipart_part *p)
{
    static const char *const ints[] = {"service_id", "rating", "assigned_staff_id", "into"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        if (strcmp(p->name, ints[i]))
            continue;
        json_int_t v = 0;
        size_t k = 0;
        for (; k < p->len && k < 18 && p->data[k] >= '0' && p->data[k] <= '9'; k++)
            v = v * 10 + (p->data[k] - '0');
        if (k == p->len)
            return json_integer(v);
    }
    if (!strcmp(p->name, "internal"))
        return json_boolean(p->len && strncmp(p->data, "0", p->len) && strncmp(p->data, "false", p->len));
    return json_stringn(p->data, p->len); /* NULL when not UTF-8 */
}

static void decref(void *j)
{
    json_decref(j);
}

bool support_read_body(http_request *r, json_t **out, support_file *files, size_t *n)
{
    *n = 0;
    const char *ct = http_header(r, "Content-Type");
    if (!ct || strncmp(ct, "multipart/form-data", 19))
        return jin_body(r, out);
    const char *boundary = multipart_boundary(r->a, ct);
    multipart m;
    if (!boundary || !multipart_parse(r->a, boundary, r->body, r->body_len, &m)) {
        http_error(r, 400, "malformed_multipart", "the multipart/form-data body could not be read", NULL);
        return false;
    }
    json_t *obj = json_object();
    arena_defer(r->a, decref, obj);
    for (size_t i = 0; i < m.count; i++) {
        const multipart_part *p = &m.parts[i];
        if (!strcmp(p->name, "files")) {
            if (p->filename && (p->len || p->filename[0]))
                files[(*n)++] = (support_file){.name = p->filename, .data = p->data, .len = p->len};
            continue;
        }
        if (!strcmp(p->name, "_csrf") || p->filename || !p->len || json_object_get(obj, p->name))
            continue;
        json_t *v = field_value(p);
        if (!v) {
            http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: not UTF-8 text", p->name), p->name);
            return false;
        }
        json_object_set_new(obj, p->name, v);
    }
    *out = obj;
    return true;
}
