/* app.c - routing table and the dispatch every request goes through:
 * route → who is asking → may they → CSRF → handler. */
#include "app.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "lib/embedded.h"
#include "render/template.h"

#include "feature/account/account.h"
#include "feature/addresses/addresses.h"
#include "feature/apidoc/apidoc.h"
#include "feature/auth/auth.h"
#include "feature/auth/session.h"
#include "feature/bank/bank.h"
#include "feature/cards/cards.h"
#include "feature/notifications/notifications.h"
#include "feature/payments/payments.h"
#include "feature/catalog/catalog.h"
#include "feature/chat/chat.h"
#include "feature/health/health.h"
#include "feature/metrics/metrics.h"
#include "feature/invoices/invoices_api.h"
#include "render/pdf_document.h"
#include "feature/orders/orders.h"
#include "feature/orgs/orgs.h"
#include "feature/orgs/members.h"
#include "feature/services/services.h"
#include "feature/renewals/renewals.h"
#include "feature/staff/staff.h"
#include "feature/status/status.h"
#include "feature/support/support.h"
#include "feature/vat/vat.h"
#include "feature/wallet/wallet.h"
#include "feature/web/web.h"
#include "feature/refunds/refunds.h"
#include "feature/withdrawals/withdrawals.h"
#include "render/i18n.h"

extern const embedded_file templates_embedded[];
extern const embedded_file static_embedded[];

/* Templates are compiled into the binary; "mail/verify.it.txt" is "mail/verify.it". */
static tmpl_set *load_templates(char *err, size_t err_size)
{
    tmpl_set *set = tmpl_set_new();
    for (const embedded_file *f = templates_embedded; f->name; f++) {
        char name[256];
        snprintf(name, sizeof name, "%s", f->name);
        char *dot = strrchr(name, '.');
        if (dot)
            *dot = '\0';
        if (!tmpl_set_add(set, name, f->data, f->len, err, err_size)) {
            tmpl_set_free(set);
            return NULL;
        }
    }
    return set;
}

bool app_init(app *a, const saldo_config *cfg, char *err, size_t err_size)
{
    memset(a, 0, sizeof *a);
    a->cfg = cfg;
    a->https = !strncmp(cfg->base_url, "https://", 8);
    if (!i18n_init(err, err_size) || !static_set_init(&a->statics, static_embedded, err, err_size))
        return false;
    a->tmpl = load_templates(err, err_size);
    if (!a->tmpl)
        return false;
    if (!tmpl_set_has(a->tmpl, "layout"))
        snprintf(err, err_size, "templates: there is no layout.html");
    if (!tmpl_set_has(a->tmpl, "layout") || !tmpl_set_check(a->tmpl, err, err_size)) {
        app_free(a);
        return false;
    }
    buf_init(&a->logo, 0);
    if (cfg->provider.logo[0] && !pdf_logo_load(cfg->provider.logo, &a->logo)) {
        snprintf(err, err_size, "provider.logo: cannot read a PNG or JPEG logo from '%s'", cfg->provider.logo);
        app_free(a);
        return false;
    }
    app_routes(a);
    return true;
}

void app_free(app *a)
{
    tmpl_set_free(a->tmpl);
    a->tmpl = NULL;
    buf_free(&a->logo);
}

void app_routes(app *a)
{
    health_routes(&a->routes);
    metrics_routes(&a->routes);
    auth_routes(&a->routes);
    wallet_routes(&a->routes);
    bank_routes(&a->routes);
    payments_routes(&a->routes);
    cards_routes(&a->routes);
    orgs_routes(&a->routes);
    addresses_routes(&a->routes);
    renewals_routes(&a->routes);
    account_routes(&a->routes);
    members_routes(&a->routes);
    orders_routes(&a->routes);
    staff_routes(&a->routes);
    withdrawals_routes(&a->routes);
    refunds_routes(&a->routes);
    catalog_routes(&a->routes);
    services_routes(&a->routes);
    services_staff_routes(&a->routes);
    vat_routes(&a->routes);
    invoices_routes(&a->routes);
    support_routes(&a->routes);
    support_staff_routes(&a->routes);
    notifications_routes(&a->routes);
    status_routes(&a->routes);
    chat_routes(&a->routes);
    chat_staff_routes(&a->routes);
    web_routes(&a->routes);
    apidoc_routes(&a->routes);
    /* Staff pages authenticate from the staff cookie, which only the back
     * office's paths see. */
    for (size_t i = 0; i < a->routes.count; i++) {
        const route *ro = &a->routes.routes[i];
        assert(!((ro->flags & ROUTE_STAFF) && (ro->flags & ROUTE_PAGE)) || web_staff_path(ro->pattern));
        (void)ro;
    }
}

static bool is_api(const http_request *r)
{
    return !strncmp(r->path, "/api/", 5);
}

static bool unsafe_method(const char *m)
{
    return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* Bearer token first (API clients), then the web session cookie: in the back
 * office (web_staff_path) only the staff cookie and a staff session, elsewhere
 * only the customer cookie and a customer session. A cookie session on an
 * unsafe request must carry its CSRF token (header, or the form's _csrf). */
static void authenticate(http_request *r, bool *via_cookie)
{
    const char *authz = http_header(r, "Authorization");
    session s;
    *via_cookie = false;
    if (authz && !strncmp(authz, "Bearer ", 7)) {
        if (!session_find(r->db, authz + 7, &s))
            return;
    } else {
        bool staff_area = web_staff_path(r->path);
        const char *cookie = http_cookie(r, staff_area ? AUTH_STAFF_COOKIE : AUTH_COOKIE);
        if (!cookie || !session_find(r->db, cookie, &s) || strcmp(s.kind, "web") ||
            !(staff_area ? s.staff_id : s.user_id))
            return;
        *via_cookie = true;
        r->csrf_token = arena_strdup(r->a, s.csrf);
    }
    r->session_id = s.id;
    r->user_id = s.user_id;
    r->staff_id = s.staff_id;
    r->current_org = s.current_org;
    r->profile_lang = s.lang[0] ? arena_strdup(r->a, s.lang) : NULL;
}

static bool csrf_ok(http_request *r, const route *ro)
{
    if (!r->csrf_token)
        return false;
    const char *sent = http_header(r, "X-CSRF-Token");
    if (!sent && (ro->flags & ROUTE_PAGE))
        sent = auth_form_csrf(r);
    return sent && strlen(sent) == strlen(r->csrf_token) && auth_secure_equal(sent, r->csrf_token);
}

/* An error in the form the caller reads: an HTML page for pages, JSON for the API. */
static void dispatch_error(http_request *r, bool page, int status, const char *code, const char *message)
{
    if (page)
        web_error_page(r, status);
    else
        http_error(r, status, code, message, NULL);
}

/* The flags of r's route, for what the server asks before dispatch (the body's
 * limit, the writer threads): looked up once, then read at the index
 * router_match left in r. 0 when no route matches. */
static unsigned early_route_flags(http_request *r)
{
    const route *ro = NULL;
    if (r->route)
        return r->app->routes.routes[r->route_index].flags;
    return router_match(&r->app->routes, r->method, r->path, r, &ro) == ROUTER_FOUND ? ro->flags : 0;
}

size_t app_body_limit(http_request *r)
{
    if (strcmp(r->method, "POST") && strcmp(r->method, "PUT") && strcmp(r->method, "PATCH"))
        return 0; /* no upload: spare the second route lookup */
    return (early_route_flags(r) & ROUTE_UPLOAD) ? ROUTE_UPLOAD_BODY_MAX : 0;
}

bool app_grouped(http_request *r)
{
    return unsafe_method(r->method) && (early_route_flags(r) & ROUTE_GROUPED);
}

void app_unavailable(http_request *r)
{
    const route *ro = NULL;
    router_match(&((app *)r->app)->routes, r->method, r->path, r, &ro); /* the route, for logs and metrics */
    if (!health_without_db(r))
        http_error(r, 503, "unavailable", "the database is unavailable", NULL);
}

void app_dispatch(http_request *r)
{
    app *a = r->app;
    const route *ro = NULL;
    router_match_result m = router_match(&a->routes, r->method, r->path, r, &ro);
    bool page = m == ROUTER_FOUND ? (ro->flags & ROUTE_PAGE) != 0 : !is_api(r);
    bool via_cookie;
    authenticate(r, &via_cookie);
    auth_pick_language(r);
    if (m == ROUTER_WRONG_METHOD)
        return dispatch_error(r, page, 405, "method_not_allowed", "this method is not allowed here");
    if (m == ROUTER_NOT_FOUND)
        return dispatch_error(r, page, 404, "not_found", page ? "page not found" : "no such resource");
    if (r->body_too_large)
        return dispatch_error(r, page, 413, "body_too_large", "the request body is too large");
    if ((ro->flags & ROUTE_USER) && !r->user_id) {
        if (page)
            http_redirect(r, web_login_url(r));
        else
            http_error(r, 401, "unauthenticated", "sign in first", NULL);
        return;
    }
    if ((ro->flags & ROUTE_STAFF) && !r->staff_id) {
        if (page)
            http_redirect(r, "/staff/login");
        else
            http_error(r, 401, "unauthenticated", "staff sign-in required", NULL);
        return;
    }
    if (via_cookie && unsafe_method(r->method) && !csrf_ok(r, ro))
        return dispatch_error(r, page, 403, "csrf", "missing or wrong CSRF token");
    ro->fn(r);
    if (page && !r->answered)
        web_error_page(r, 500);
}
