/* http.h - the request as handlers see it, and the ways to answer it.
 *
 * Handlers run synchronously on one of the server's pool threads. Everything
 * they allocate comes from the request's arena and is freed when the response
 * has been sent. A handler answers exactly once through http_json, http_error,
 * http_html, http_redirect or http_send, then returns. */
#ifndef SALDO_HTTP_H
#define SALDO_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "store/db.h"

struct MHD_Connection;
struct app;

enum { HTTP_PARAMS_MAX = 8, HTTP_HEADERS_OUT_MAX = 16 };

typedef struct http_request {
    arena *a;
    struct app *app;
    db *db;                       /* this thread's connection */
    struct MHD_Connection *conn;
    const char *method;
    const char *path;             /* without the query string */
    const char *client_ip;
    const char *body;             /* NUL-terminated copy of the body */
    size_t body_len;
    bool body_too_large;          /* the body was over the limit and dropped (body is ""): answer 413 */
    buf in;                       /* the body as it arrives (the server's; body points into it) */
    int64_t started_ns;
    /* Router output. */
    const char *route;            /* the matched pattern, for logs and metrics */
    int route_index;              /* its index in the routing table, -1 when none matched */
    int param_count;
    const char *param_names[HTTP_PARAMS_MAX];
    const char *param_values[HTTP_PARAMS_MAX];
    /* Who is asking (filled by the auth layer). */
    int64_t session_id;
    int64_t user_id;
    int64_t staff_id;
    int64_t current_org;          /* the session's chosen organization, 0 = none */
    const char *csrf_token;       /* of a web session */
    const char *lang;             /* "it" or "en" */
    const char *profile_lang;     /* the signed-in customer's language, NULL otherwise */
    /* The answer. */
    int status;
    const char *content_type;
    buf out;
    int header_count;
    const char *header_names[HTTP_HEADERS_OUT_MAX];
    const char *header_values[HTTP_HEADERS_OUT_MAX];
    bool answered;
    struct http_stream *stream;   /* a long answer (stream.h): outlives the handler */
    bool streamed;                /* the answer was a stream */
    int64_t answered_ns;          /* when the answer was queued (a stream's start) */
    uint64_t group_ticket;        /* the group commit generation the answer waits for, 0 = none */
    bool handled_elsewhere;       /* dispatched on a writer thread (job_queue.h), the connection suspended */
} http_request;

/* Request inputs. Returned strings live in the request arena. */
const char *http_header(http_request *r, const char *name);
const char *http_cookie(http_request *r, const char *name);
const char *http_query(http_request *r, const char *name);
const char *http_param(http_request *r, const char *name);
/* Path parameter as a positive id; false (and nothing replied) when it is not one. */
bool http_param_id(http_request *r, const char *name, int64_t *out);

/* Answers. Each sets the status and body; headers may be added before or after. */
void http_add_header(http_request *r, const char *name, const char *value);
void http_json(http_request *r, int status, json_t *body); /* steals body */
/* Answers with a JSON body the caller then writes into the returned buffer
 * (with json_write.h), for hot routes that skip building a jansson tree. */
buf *http_json_body(http_request *r, int status);
/* {"error": {"code", "message", "field"?}}; field may be NULL. */
void http_error(http_request *r, int status, const char *code, const char *message, const char *field);
void http_html(http_request *r, int status, const buf *html);
void http_text(http_request *r, int status, const char *content_type, const char *data, size_t len);
void http_redirect(http_request *r, const char *location); /* 303 See Other */

#endif
