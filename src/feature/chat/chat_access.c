/* chat_access.c - who may see a chat: the customer who opened it, an
 * administrator of its organization, the visitor holding its cookie, staff.
 * Everyone else gets 404, as if it did not exist. A visitor is authenticated
 * by a cookie, so the visitor's unsafe requests carry a CSRF token derived
 * from the cookie's token (chat_visitor_csrf), which a cross-site page cannot
 * know; customers' cookie sessions are checked by the dispatcher. */
#include "feature/chat/chat_internal.h"

#include <string.h>

#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"

static bool unsafe(const char *m)
{
    return strcmp(m, "GET") && strcmp(m, "HEAD");
}

static bool visitor_holds(http_request *r, const chat *c)
{
    const char *token = http_cookie(r, CHAT_VISITOR_COOKIE);
    if (!c->token_hash[0] || !token || strlen(token) != SECRET_TOKEN_CHARS)
        return false;
    char hash[SECRET_HASH_HEX + 1];
    secret_token_hash(token, hash);
    return auth_secure_equal(hash, c->token_hash);
}

static bool visitor_csrf_ok(http_request *r)
{
    const char *token = http_cookie(r, CHAT_VISITOR_COOKIE), *sent = http_header(r, "X-CSRF-Token");
    if (!sent)
        sent = auth_form_csrf(r);
    char want[SECRET_HASH_HEX + 1];
    chat_visitor_csrf(token, want);
    return sent && strlen(sent) == strlen(want) && auth_secure_equal(sent, want);
}

bool chat_or_404(http_request *r, bool staff, chat *c, chat_author *kind)
{
    int64_t id;
    int found = http_param_id(r, "chat_id", &id) ? chat_get(r->db, id, c) : 0;
    if (found < 0) {
        http_error(r, 500, "store_error", "the chat could not be read", NULL);
        return false;
    }
    if (found == 1 && staff && r->staff_id) {
        *kind = CHAT_BY_STAFF;
        return true;
    }
    if (found == 1 && !staff && r->user_id && c->user_id &&
        (c->user_id == r->user_id || (c->org_id && org_user_may(r->db, r->user_id, c->org_id, ORG_NEED_ADMIN)))) {
        *kind = CHAT_BY_CUSTOMER;
        return true;
    }
    if (found == 1 && !staff && visitor_holds(r, c)) {
        if (unsafe(r->method) && !visitor_csrf_ok(r)) {
            http_error(r, 403, "csrf", "missing or wrong CSRF token", NULL);
            return false;
        }
        *kind = CHAT_BY_VISITOR;
        return true;
    }
    http_error(r, 404, "not_found", "no such chat", NULL);
    return false;
}
