/* web.h - the client area's server-rendered pages (Italian and English): sign-up,
 * sign-in, profile, wallet, transactions, organization, services, support, the
 * layout around them, their error pages and the static files they link to.
 * Pages work without JavaScript and use the same service functions as the API. */
#ifndef SALDO_WEB_H
#define SALDO_WEB_H

#include <stdbool.h>

#include "http/router.h"

void web_routes(router *rt);

/* True for the back office's pages: "/staff" and everything below it. There
 * the staff cookie is the only session, and errors use the back office layout. */
bool web_staff_path(const char *path);

/* Answers an HTML error page for status (400, 403, 404, 405, 429, 500) in the
 * request's language, inside the layout. Rolls back an open transaction. Does
 * nothing when the request was answered already. */
void web_error_page(http_request *r, int status);

/* Where a signed-out visitor of a page is sent: "/login", with ?next= the page
 * asked for when it was a GET of another local page, so sign-in comes back to
 * it (an invitation or claim link, the cart). In r's arena. */
const char *web_login_url(http_request *r);

#endif
