/* http.c - request inputs and answers (see http.h). */
#include "http/http.h"

#include "core/number_text.h"
#include "http/json_out.h"

#include <assert.h>
#include <microhttpd.h>
#include <string.h>

const char *http_header(http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(http_request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_param(http_request *r, const char *name)
{
    for (int i = 0; i < r->param_count; i++)
        if (!strcmp(r->param_names[i], name))
            return r->param_values[i];
    return NULL;
}

bool http_param_id(http_request *r, const char *name, int64_t *out)
{
    return int_text_id(http_param(r, name), out);
}

void http_add_header(http_request *r, const char *name, const char *value)
{
    assert(r->header_count < HTTP_HEADERS_OUT_MAX);
    if (r->header_count >= HTTP_HEADERS_OUT_MAX)
        return;
    r->header_names[r->header_count] = arena_strdup(r->a, name);
    r->header_values[r->header_count] = arena_strdup(r->a, value);
    r->header_count++;
}

static void set_body(http_request *r, int status, const char *type, const char *data, size_t len)
{
    assert(!r->answered && "a request is answered once");
    buf_reset(&r->out);
    buf_append(&r->out, data, len);
    r->status = status;
    r->content_type = type;
    r->answered = true;
}

void http_json(http_request *r, int status, json_t *body)
{
    bool ok = json_out(http_json_body(r, status), body);
    json_decref(body);
    assert(ok); /* the answer buffer has no limit and our trees are shallow */
    (void)ok;
}

buf *http_json_body(http_request *r, int status)
{
    assert(!r->answered && "a request is answered once");
    buf_reset(&r->out);
    r->status = status;
    r->content_type = "application/json";
    r->answered = true;
    return &r->out;
}

void http_error(http_request *r, int status, const char *code, const char *message, const char *field)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
    if (field)
        json_object_set_new(e, "field", json_string(field));
    if (r->answered) /* a handler erred after answering: keep the first answer */
        return json_decref(e);
    http_json(r, status, json_pack("{s:o}", "error", e));
}

void http_html(http_request *r, int status, const buf *html)
{
    set_body(r, status, "text/html; charset=utf-8", buf_cstr(html), html->len);
}

void http_text(http_request *r, int status, const char *content_type, const char *data, size_t len)
{
    set_body(r, status, content_type, data, len);
}

void http_redirect(http_request *r, const char *location)
{
    set_body(r, 303, "text/plain; charset=utf-8", "", 0);
    http_add_header(r, "Location", location);
}
