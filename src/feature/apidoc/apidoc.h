/* apidoc.h - the OpenAPI 3.1 document of the REST API (docs/openapi.json,
 * compiled into the binary) and GET /api/v1/openapi.json, which serves it.
 * tests/unit/feature/test_openapi.c checks the document against the routes. */
#ifndef SALDO_APIDOC_H
#define SALDO_APIDOC_H

#include "http/router.h"
#include "lib/embedded.h"

void apidoc_routes(router *rt);
/* The embedded document, byte for byte as in docs/openapi.json. */
const embedded_file *apidoc_document(void);

#endif
