/* apidoc.c - serves the embedded OpenAPI document, so a client always reads the
 * description of the very binary it talks to. The ETag is a hash of the bytes:
 * it changes exactly when the document does, and a matching If-None-Match
 * gets 304 without the body. */
#include "feature/apidoc/apidoc.h"

#include <sodium.h>
#include <string.h>

extern const embedded_file apidoc_embedded[];

enum { APIDOC_HASH_BYTES = 16, APIDOC_ETAG_BYTES = 2 * APIDOC_HASH_BYTES + 3 };

const embedded_file *apidoc_document(void)
{
    return &apidoc_embedded[0];
}

/* "<32 hex digits>", quotes included, as an ETag header wants it. */
static void apidoc_etag(const embedded_file *f, char out[APIDOC_ETAG_BYTES])
{
    unsigned char h[APIDOC_HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)f->data, f->len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, APIDOC_ETAG_BYTES - 2, h, sizeof h);
    out[APIDOC_ETAG_BYTES - 2] = '"';
    out[APIDOC_ETAG_BYTES - 1] = '\0';
}

/* If-None-Match holds "*" or a list of ETags (maybe weak, W/"..."). */
static bool apidoc_client_current(http_request *r, const char *etag)
{
    const char *inm = http_header(r, "If-None-Match");
    return inm && (!strcmp(inm, "*") || strstr(inm, etag));
}

static void apidoc_get(http_request *r)
{
    const embedded_file *f = apidoc_document();
    char etag[APIDOC_ETAG_BYTES];
    apidoc_etag(f, etag);
    http_add_header(r, "ETag", etag);
    http_add_header(r, "Cache-Control", "no-cache");
    if (apidoc_client_current(r, etag))
        http_text(r, 304, NULL, "", 0);
    else
        http_text(r, 200, "application/json", f->data, f->len);
}

void apidoc_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/openapi.json", apidoc_get, ROUTE_PUBLIC);
}
