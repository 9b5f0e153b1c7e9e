/* app.h - what every request and command shares: configuration, routes,
 * templates. Built once at start; read-only afterwards (no global mutable state). */
#ifndef SALDO_APP_H
#define SALDO_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "http/router.h"
#include "http/static_files.h"
#include "lib/buf.h"
#include "lib/config.h"

struct tmpl_set;

typedef struct app {
    const saldo_config *cfg;
    bool https;               /* base_url is https: Secure cookies, HSTS */
    struct tmpl_set *tmpl;
    static_set statics;       /* static/ files with their ETags */
    router routes;
    buf logo;                 /* provider.logo's bytes, for the PDF documents; empty when none */
} app;

/* Registers every feature's routes. */
void app_routes(app *a);
/* The body limit of r's route (for http_server_opts.body_limit):
 * ROUTE_UPLOAD_BODY_MAX for ROUTE_UPLOAD routes, else 0 (the server's). */
size_t app_body_limit(http_request *r);
/* Whether r's route is ROUTE_GROUPED (for http_server_opts.grouped). */
bool app_grouped(http_request *r);
/* The server's dispatch: route, authenticate, authorize, check CSRF, handle. */
void app_dispatch(http_request *r);
/* The server's answer when no database connection opens: /healthz and
 * /readyz answer (alive, not ready), anything else 503. */
void app_unavailable(http_request *r);

/* Builds the app: routes, the embedded templates, translations and static
 * files. False with err filled. */
bool app_init(app *a, const saldo_config *cfg, char *err, size_t err_size);
void app_free(app *a);

#endif
