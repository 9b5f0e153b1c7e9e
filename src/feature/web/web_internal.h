/* web_internal.h - what the page handlers of src/feature/web share: rendering
 * a page inside the layout, cookies, forms and their CSRF tokens, field
 * validation with messages next to the fields, and flash messages. */
#ifndef SALDO_WEB_INTERNAL_H
#define SALDO_WEB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/catalog/catalog_admin.h"
#include "http/form.h"
#include "http/http.h"
#include "http/router.h"
#include "render/i18n.h"

/* _("text"): text in the request's language. Needs `http_request *r` in scope;
 * scripts/extract-messages.py collects the literal into po/saldo.pot.
 * N_("text") only marks a literal for extraction (tables); translate it later
 * with i18n_text(r->lang, ...). */
#define _(msgid) i18n_text(r->lang, "" msgid "")
#define N_(msgid) msgid

enum {
    WEB_PAGE_BYTES_MAX = 2 * 1024 * 1024, /* one rendered page */
    WEB_COOKIE_LANG_MAX_AGE_S = 365 * 86400,
    WEB_COOKIE_CSRF_MAX_AGE_S = 86400,
    WEB_COOKIE_FLASH_MAX_AGE_S = 120,
    WEB_NEXT_MAX = 512,                   /* bytes of a redirect target */
};

#define WEB_COOKIE_CSRF "saldo_csrf"
#define WEB_COOKIE_FLASH "saldo_flash"
#define WEB_COOKIE_LANG "lang"
#define WEB_COOKIE_LOGIN2 "saldo_login2" /* the sign-in challenge awaiting a code */

/* Renders templates/<tmpl>.html inside templates/layout.html and answers it
 * with status. data (an object, stolen; NULL = empty) is the page's context;
 * the layout's values (provider, user, balances, csrf, flash, ...) are added to
 * it, so the page sees them too. title is already translated; nav names the
 * navigation entry to highlight ("billing") or is NULL. */
void web_page(http_request *r, int status, const char *tmpl, const char *title, const char *nav, json_t *data);
/* web_page for the back office: templates/<tmpl>.html inside
 * templates/staff/layout.html, whose header has the back office's search,
 * navigation (nav: "orgs", "audit") and the signed-in staff member. */
void web_staff_page(http_request *r, int status, const char *tmpl, const char *title, const char *nav, json_t *data);
/* After a store error: rolls back and answers the 500 page. */
void web_fail(http_request *r);
/* The catalog as the checkboxes of templates/staff/catalog_picker.html,
 * ticked as f (NULL: none) had them; NULL on a store error. */
json_t *web_catalog_choices(http_request *r, const form *f);
/* The ids ticked there under name ("product" or "category") into out (at
 * most max); false when a value is not an id or more than max are ticked. */
bool web_catalog_ticked(const form *f, const char *name, int64_t *out, size_t max, size_t *n);

/* Set-Cookie with Path=/, HttpOnly, SameSite=Lax (Strict with strict), Secure
 * when the site is https; max_age_s 0 deletes the cookie. */
void web_cookie(http_request *r, const char *name, const char *value, int64_t max_age_s, bool strict);
/* web_cookie with another Path (an absolute path without ; or spaces). */
void web_cookie_at(http_request *r, const char *path, const char *name, const char *value, int64_t max_age_s,
                   bool strict);
/* True when t has the shape of a token secret_token_new makes. */
bool web_token_ok(const char *t);
/* A fresh random key for a form that moves money: posted back with it, it is
 * the Idempotency-Key that makes a double submit one payment (web_token_ok
 * checks it). */
const char *web_form_key(http_request *r);

/* The CSRF token for the page's forms: the web session's, or for an anonymous
 * visitor the double-submit token of the saldo_csrf cookie (set here when it
 * is missing or malformed). */
const char *web_csrf(http_request *r);
/* Parses the urlencoded body into f; answers the 400 page and returns false
 * when it is not a form. */
bool web_form(http_request *r, form *f);
/* For forms anonymous visitors post (sign-in, sign-up, password, language):
 * true when a web session is signed in (dispatch has checked its token) or the
 * form's _csrf equals the saldo_csrf cookie (constant time); otherwise answers
 * the 403 page and returns false. */
bool web_anon_csrf_ok(http_request *r, const form *f);

/* Queues a message for the next page shown (after a redirect). key must be
 * one of the keys web_page knows (see flash_messages in web_page.c). */
void web_flash(http_request *r, const char *key);
/* target when it is a local path ("/billing"), else "/": no open redirects. */
const char *web_local_path(const char *target);

/* Field readers: each returns the value (text fields trimmed of surrounding
 * spaces) or NULL after putting a translated message under the field's name
 * into errors. A missing optional field is "". */
const char *web_text(http_request *r, const form *f, const char *name, size_t min, size_t max, json_t *errors);
const char *web_optional_text(http_request *r, const form *f, const char *name, size_t max, json_t *errors);
/* A lowercased email address; with optional, "" is accepted. */
const char *web_email(http_request *r, const form *f, const char *name, bool optional, json_t *errors);
/* A new password (SECRET_PASSWORD_MIN..MAX bytes) that equals the field
 * confirm_name. Never echoed back. */
const char *web_new_password(http_request *r, const form *f, const char *name, const char *confirm_name,
                             json_t *errors);
/* Shows a sign-in form again: status, the email typed, a message for the
 * whole form (or NULL), the field errors (stolen; NULL for none). */
typedef void (*web_login_form_fn)(http_request *r, int status, const char *email, const char *error, json_t *errors);
/* Reads a sign-in form (email, password, the anonymous CSRF token) and checks
 * the credentials of a customer or, with staff, a staff member, with the
 * growing delays of auth_login. Returns the account's id; 0 after answering
 * (the form again through login_form, or an error page). */
int64_t web_login_check(http_request *r, bool staff, web_login_form_fn login_form);
/* One of allowed (NULL-terminated). */
const char *web_choice(http_request *r, const form *f, const char *name, const char *const *allowed, json_t *errors);

/* The organization the signed-in user is working in: the session's if they
 * still belong to it, else their first one; 0 when none. */
int64_t web_current_org(http_request *r);

/* "15/01/2026 15:03" (it) or "2026-01-15 15:03" (en): an ISO 8601 UTC
 * timestamp as jout_time writes it ("2026-01-15T14:03:00Z") on the clock in
 * Italy (ZONE_PROVIDER), whose days date documents; the input itself when
 * malformed. */
const char *web_datetime(http_request *r, const char *iso);

/* A VAT rate in basis points as a percentage in the page's language, without
 * the % sign: "25.5" (en), "25,5" (it); in the arena. */
const char *web_vat_rate(http_request *r, int rate_bp);
/* The label of a ledger transfer kind ("topup", "adjustment", ...) in the
 * request's language; the kind itself when unknown. */
const char *web_kind_label(http_request *r, const char *kind);
/* Adds "date", "label" and "credit" to each line of wallet_lines_json. */
void web_decorate_lines(http_request *r, json_t *lines);

/* The countries offered at sign-up: their codes (NULL-terminated, for
 * web_choice), and [{"code", "name", "selected"}] with chosen selected. */
const char *const *web_country_codes(http_request *r);
json_t *web_country_options(http_request *r, const char *chosen);
/* Starts a web session for user_id (a new token, no fixation) and sets the
 * session and language cookies; false on a store error. */
bool web_session_start(http_request *r, int64_t user_id);

/* Route groups, one per file. */
void web_auth_routes(router *rt);
void web_account_routes(router *rt);
void web_twofa_routes(router *rt);
void web_billing_routes(router *rt);
void web_bank_routes(router *rt);
void web_staff_bank_routes(router *rt);
void web_info_routes(router *rt);
void web_staff_routes(router *rt);
void web_staff_org_routes(router *rt);
void web_org_routes(router *rt);
void web_addresses_routes(router *rt);
void web_privacy_routes(router *rt);
void web_catalog_routes(router *rt);
void web_staff_catalog_routes(router *rt);
void web_staff_reseller_routes(router *rt);

/* "1 month", "3 months", "1 year", "2 years"... in the request's language. */
const char *web_period_label(http_request *r, int months);
/* The catalog service's field error as a message next to the field. */
const char *web_catalog_field_message(http_request *r, catalog_field_error e);
/* The reseller section of the back office's organization page: {"is",
 * "checked", "rows": [{"name", "field", "value", "error"}], "has_rows"}, the
 * values as posted when posted is not NULL; NULL on a store error. */
json_t *web_staff_reseller_json(http_request *r, int64_t org_id, const form *posted, json_t *errors);
void web_cart_routes(router *rt);
void web_orders_routes(router *rt);
void web_staff_discounts_routes(router *rt);
/* {"list": [credit + "product_name"], "any"}: org_id's unused free credits,
 * for the partial staff/org_credits of the organization's page. */
json_t *web_staff_credits(http_request *r, int64_t org_id);
void web_renewals_routes(router *rt);
void web_withdrawals_routes(router *rt);
void web_topup_routes(router *rt);
void web_payment_methods_routes(router *rt);
void web_notifications_routes(router *rt);
void web_status_routes(router *rt);
void web_staff_withdrawals_routes(router *rt);
void web_staff_vat_routes(router *rt);
void web_refunds_routes(router *rt);
void web_invoices_routes(router *rt);
void web_staff_documents_routes(router *rt);
/* Documents on pages (web_invoices.c): a kind's label; the status or kind
 * options of a filter select; list rows given labels, their page's url
 * (url_prefix/id) and their PDF's; one document's JSON with labels, rates and
 * its mention in the page's language. */
struct document;
const char *web_document_kind(http_request *r, const char *kind);
json_t *web_document_choices(http_request *r, const char *chosen, bool kinds);
void web_document_rows(http_request *r, json_t *rows, const char *url_prefix);
json_t *web_document_json(http_request *r, const struct document *doc);
void web_staff_refunds_routes(router *rt);
void web_support_routes(router *rt);
void web_staff_support_routes(router *rt);
void web_chat_routes(router *rt);
void web_staff_chat_routes(router *rt);
void web_staff_support_settings_routes(router *rt);

/* {"blockers": [{"name", "reason"}], "blocked"}: what stands in the way of
 * deleting the signed-in user's account, for the profile and its own page. */
json_t *web_privacy_deletion(http_request *r);
void web_members_routes(router *rt);
void web_invitation_routes(router *rt);

/* ---- Services (web_services.c, web_staff_services.c) ---- */
struct service_view;
void web_services_routes(router *rt);
void web_staff_services_routes(router *rt);
/* The service's JSON (service_view_json) with what pages show: status_label,
 * status_ok, starts, expires, activated, period_label. */
json_t *web_service_row(http_request *r, const struct service_view *v, bool staff);
/* The hook of the staff organization page: adds "services" (the first
 * SERVICE_PAGE_MAX rows) and "has_services" to data for the partial
 * staff/org_services; false on a store error. */
bool web_staff_org_services(http_request *r, json_t *data, int64_t org_id);

/* ---- saved cards as payment choices (web_card_choice.c) ---- */

struct payment;
/* Appends org's saved cards that have not expired to list as choices
 * {"code": "saved:<id>", "label", "settlement", "checked", "saved": true},
 * the one chosen (else the default) checked; returns how many. */
size_t web_saved_card_choices(http_request *r, int64_t org, const char *chosen, json_t *list);
/* The card a page's choice pays with: "saved:<id>" (a card of org, not
 * expired: its token in card->card_token) or anything else as a new card,
 * saved when the form's save_method box is ticked. False for a saved card
 * that is not org's or has expired. */
bool web_card_choice(http_request *r, int64_t org, const form *f, const char *choice, struct payment *card);

#endif
