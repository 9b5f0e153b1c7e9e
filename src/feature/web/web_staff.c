/* web_staff.c - the back office's pages around the organizations: staff
 * sign-in and sign-out (a session in its own cookie, saldo_staff, Path=/staff,
 * so that one browser may hold a customer session and a staff session without
 * mixing them), the language switch, the search for organizations and the
 * audit log. They call the same staff services as the staff API. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>

#include "core/number_text.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/auth/session.h"
#include "feature/staff/staff.h"
#include "feature/web/web.h"
#include "http/field.h"
#include "http/json_in.h"

enum { WEB_AUDIT_PAGE = 50 };

static void login_form(http_request *r, int status, const char *email, const char *error, json_t *errors)
{
    web_staff_page(r, status, "staff/login", _("Back office sign-in"), NULL,
                   json_pack("{s:{s:s}, s:s?, s:o}", "form", "email", email ? email : "", "error", error, "errors",
                             errors ? errors : json_object()));
}

static void get_login(http_request *r)
{
    if (r->staff_id)
        return http_redirect(r, "/staff");
    login_form(r, 200, NULL, NULL, NULL);
}

/* A new staff web session (never the token the browser brought) and its cookie. */
static void start_session(http_request *r, int64_t staff_id)
{
    char token[SECRET_TOKEN_CHARS + 1];
    session s;
    if (!staff_session_start(r, "web", staff_id, token, &s))
        return web_fail(r);
    web_cookie_at(r, "/staff", AUTH_STAFF_COOKIE, token, SESSION_STAFF_WEB_TTL_S, true);
    http_redirect(r, "/staff");
}

static void post_login(http_request *r)
{
    int64_t staff_id = web_login_check(r, true, login_form);
    if (staff_id)
        start_session(r, staff_id);
}

static void post_logout(http_request *r)
{
    if (!staff_session_end(r))
        return web_fail(r);
    web_cookie_at(r, "/staff", AUTH_STAFF_COOKIE, "", 0, true);
    web_flash(r, "staff_signed_out");
    http_redirect(r, "/staff/login");
}

/* POST /staff/lang: the back office's language switch (the client area's
 * /lang checks the customer session's token, not the staff one). */
static void post_lang(http_request *r)
{
    form f;
    if (!web_form(r, &f) || !web_anon_csrf_ok(r, &f))
        return;
    const char *lang = form_get(&f, "lang");
    if (!auth_language_ok(lang))
        return web_error_page(r, 400);
    const char *next = web_local_path(form_get(&f, "next"));
    web_cookie(r, WEB_COOKIE_LANG, lang, WEB_COOKIE_LANG_MAX_AGE_S, false);
    http_redirect(r, web_staff_path(next) ? next : "/staff");
}

/* Adds "date" (local form) and "url" to each organization of a search. */
static void decorate_orgs(http_request *r, json_t *orgs)
{
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o) {
        json_object_set_new(o, "date", json_string(web_datetime(r, json_string_value(json_object_get(o, "created_at")))));
        if (json_is_null(json_object_get(o, "admin_email")))
            json_object_set_new(o, "admin_email", json_string(""));
        json_object_set_new(o, "url", json_string(arena_printf(r->a, "/staff/orgs/%" JSON_INTEGER_FORMAT,
                                                               json_integer_value(json_object_get(o, "id")))));
    }
}

/* GET /staff?q=...: organizations by name or member email (all, newest first, without q). */
static void get_search(http_request *r)
{
    const char *raw = http_query(r, "q");
    json_t *errors = json_object();
    size_t len = raw ? strlen(raw) : 0;
    while (len > 0 && raw[len - 1] == ' ')
        len--;
    while (len > 0 && *raw == ' ')
        raw++, len--;
    const char *q = raw ? arena_strndup(r->a, raw, len) : "";
    if (len > STAFF_SEARCH_TEXT_MAX)
        json_object_set_new(errors, "q", json_string(_("This is too long.")));
    else if (!field_text_ok(q, len))
        json_object_set_new(errors, "q", json_string(_("This contains characters that are not allowed.")));
    if (json_object_size(errors))
        q = "";
    json_t *orgs = staff_find_orgs(r, q);
    if (!orgs)
        return (void)json_decref(errors), web_fail(r);
    decorate_orgs(r, orgs);
    web_staff_page(r, json_object_size(errors) ? 422 : 200, "staff/search", _("Organizations"), "orgs",
                   json_pack("{s:s, s:b, s:o, s:b, s:o, s:b}", "q", q, "searched", *q != '\0', "orgs", orgs, "found",
                             json_array_size(orgs) > 0, "errors", errors, "search_page", 1));
}

/* Labels of the audit log's actions. */
static const struct {
    const char *action, *label;
} action_labels[] = {
    {"staff.sign_in", N_("Signed in")},
    {"staff.sign_out", N_("Signed out")},
    {"wallet.adjust", N_("Credit adjustment")},
    {"catalog.category.create", N_("Category created")},
    {"catalog.category.update", N_("Category changed")},
    {"catalog.product.create", N_("Product created")},
    {"catalog.product.update", N_("Product changed")},
    {"catalog.product.retire", N_("Product retired")},
    {"catalog.product.unretire", N_("Product back on sale")},
    {"catalog.reseller.set", N_("Reseller discounts set")},
    {"catalog.reseller.unset", N_("No longer a reseller")},
    {"withdrawal.approved", N_("Withdrawal approved")},
    {"withdrawal.rejected", N_("Withdrawal rejected")},
    {"withdrawal.paid", N_("Withdrawal paid (PayPal)")},
    {"withdrawal.exported", N_("Withdrawal exported to the bank")},
    {"credit_transfer.export", N_("Credit-transfer file created")},
};

static const char *action_label(http_request *r, const char *action)
{
    for (size_t i = 0; i < sizeof action_labels / sizeof action_labels[0]; i++)
        if (!strcmp(action_labels[i].action, action))
            return i18n_text(r->lang, action_labels[i].label);
    return action;
}

/* The amount of an adjustment's detail, formatted for the reader, or NULL. */
static const char *detail_amount(http_request *r, json_t *detail)
{
    json_t *amount = json_object_get(detail, "amount");
    const currency *c = currency_find(json_string_value(json_object_get(amount, "currency")));
    json_t *minor = json_object_get(amount, "minor");
    char text[MONEY_FORMAT_BYTES_MAX];
    if (!c || !json_is_integer(minor) ||
        money_format(money_make(json_integer_value(minor), c), r->lang, text, sizeof text) != MONEY_OK)
        return NULL;
    return arena_printf(r->a, "%s%s", json_integer_value(minor) > 0 ? "+" : "", text);
}

/* "15/01/2026 14:03" (it) or "2026-01-15 14:03" (en) of Unix seconds. */
static const char *date_text(http_request *r, int64_t unix_s)
{
    json_t *iso = jout_time(unix_s);
    const char *text = web_datetime(r, arena_strdup(r->a, json_string_value(iso)));
    json_decref(iso);
    return text;
}

/* One audit entry as the page shows it. */
static json_t *audit_row(http_request *r, const staff_audit_entry *e)
{
    json_t *detail = json_loads(e->detail, 0, NULL);
    const char *via = json_string_value(json_object_get(detail, "via"));
    json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id", (json_int_t)e->id,
        "date", date_text(r, e->created_at),
        "staff_email", e->staff_email ? e->staff_email : "", "action", e->action,
        "label", action_label(r, e->action), "amount", detail_amount(r, detail),
        "reason", json_string_value(json_object_get(detail, "reason")),
        "via", via ? (!strcmp(via, "api") ? "API" : _("Back office pages")) : NULL);
    json_object_set_new(row, "ip", json_string(e->ip ? e->ip : ""));
    if (!strcmp(e->target_kind, "org") && e->target_id)
        json_object_set_new(row, "org", json_pack("{s:I, s:s}", "id", (json_int_t)e->target_id, "url",
            arena_printf(r->a, "/staff/orgs/%" PRId64, e->target_id)));
    json_object_set_new(row, "is_adjust", json_boolean(!strcmp(e->action, "wallet.adjust")));
    json_decref(detail);
    return row;
}

/* GET /staff/audit?cursor=<id>: the audit log, newest first, WEB_AUDIT_PAGE at a time. */
static void get_audit(http_request *r)
{
    const char *cursor = http_query(r, "cursor");
    int64_t before_id = 0;
    if (cursor && !int_text_id(cursor, &before_id))
        return web_error_page(r, 404);
    staff_audit_entry *e = arena_alloc(r->a, sizeof *e * (WEB_AUDIT_PAGE + 1));
    int n = staff_audit_list(r, before_id, WEB_AUDIT_PAGE + 1, e);
    if (n < 0)
        return web_fail(r);
    json_t *rows = json_array();
    for (int i = 0; i < n && i < WEB_AUDIT_PAGE; i++)
        json_array_append_new(rows, audit_row(r, &e[i]));
    json_t *data = json_pack("{s:o, s:b, s:b}", "entries", rows, "has_entries", n > 0, "paged", before_id > 0);
    if (n > WEB_AUDIT_PAGE)
        json_object_set_new(data, "older_url", json_string(arena_printf(r->a, "/staff/audit?cursor=%" PRId64,
                                                                         e[WEB_AUDIT_PAGE - 1].id)));
    web_staff_page(r, 200, "staff/audit", _("Audit log"), "audit", data);
}

void web_staff_routes(router *rt)
{
    router_add(rt, "GET", "/staff/login", get_login, ROUTE_PAGE);
    router_add(rt, "POST", "/staff/login", post_login, ROUTE_PAGE);
    router_add(rt, "POST", "/staff/logout", post_logout, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/lang", post_lang, ROUTE_PAGE);
    router_add(rt, "GET", "/staff", get_search, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/audit", get_audit, ROUTE_STAFF | ROUTE_PAGE);
    web_staff_org_routes(rt);
    web_staff_catalog_routes(rt);
    web_staff_reseller_routes(rt);
}
