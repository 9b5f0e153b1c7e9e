/* web_staff_org.c - the back office's page of one organization: members,
 * wallets and their latest transfers (a page at a time, with the API's
 * cursor), and the credit adjustment form. The form carries a hidden
 * idempotency key made when it is rendered, so a double submit posts once;
 * amounts are typed as people type them in the page's language; errors go
 * next to their fields and nothing is posted. The adjustment itself is
 * staff_adjust(), the service the staff API calls too. The reseller section
 * is web_staff_reseller.c's. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/auth/auth.h"
#include "feature/auth/secret.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/orgs.h"
#include "feature/staff/staff.h"
#include "feature/status/status.h"
#include "feature/wallet/wallet.h"
#include "http/json_in.h"
#include "feature/web/web.h"

enum { WEB_STAFF_LINES_PAGE = 20, WEB_CURRENCY_OPTIONS_MAX = 70 };

/* Offered besides the currencies the organization already holds. */
static const char *const common_currencies[] = {"EUR", "USD", "GBP", "CHF"};
static const char *const directions[] = {"credit", "debit", NULL};

/* The currencies of the form's select: the wallets' first, then the common
 * ones; NULL-terminated, in the arena. */
static const char **currency_codes(http_request *r, json_t *wallets)
{
    const char **codes = arena_alloc(r->a, sizeof *codes * (WEB_CURRENCY_OPTIONS_MAX + 1));
    size_t n = 0, i;
    json_t *w;
    json_array_foreach(wallets, i, w)
        if (n < WEB_CURRENCY_OPTIONS_MAX - 4)
            codes[n++] = json_string_value(json_object_get(w, "currency"));
    for (i = 0; i < sizeof common_currencies / sizeof common_currencies[0]; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || !strcmp(codes[j], common_currencies[i]);
        if (!seen)
            codes[n++] = common_currencies[i];
    }
    codes[n] = NULL;
    return codes;
}

static json_t *currency_options(const char *const *codes, const char *chosen)
{
    json_t *list = json_array();
    for (const char *const *c = codes; *c; c++)
        json_array_append_new(list, json_pack("{s:s, s:b}", "code", *c, "selected", chosen && !strcmp(chosen, *c)));
    return list;
}

/* The form's values: posted ones (f), or a fresh form; with a new key when
 * there is no form or new_key. */
static json_t *form_values(const form *f, bool new_key, const char **chosen_code)
{
    const char *dir = f && form_get(f, "direction") ? form_get(f, "direction") : "credit";
    const char *key = f && !new_key ? form_get(f, "idempotency_key") : NULL;
    char fresh[SECRET_TOKEN_CHARS + 1];
    if (!key) {
        secret_token_new(fresh);
        key = fresh;
    }
    *chosen_code = f ? form_get(f, "currency") : NULL;
    return json_pack("{s:s, s:s, s:s, s:b, s:b}", "amount", f && form_get(f, "amount") ? form_get(f, "amount") : "",
                     "reason", f && form_get(f, "reason") ? form_get(f, "reason") : "", "idempotency_key", key,
                     "credit", strcmp(dir, "debit") != 0, "debit", !strcmp(dir, "debit"));
}

/* Wallets with the one just adjusted (?adjusted=EUR) marked. */
static void mark_adjusted(http_request *r, json_t *wallets)
{
    const char *adjusted = http_query(r, "adjusted");
    size_t i;
    json_t *w;
    json_array_foreach(wallets, i, w)
        json_object_set_new(w, "adjusted", json_boolean(adjusted && !strcmp(adjusted, json_string_value(
                                                            json_object_get(w, "currency")))));
}

/* What the page shows besides the form: members, wallets, a page of transfers. */
static json_t *org_data(http_request *r, int64_t org_id, const char *name, int64_t before_id)
{
    json_t *members = staff_org_members(r, org_id, true);
    json_t *w = members ? wallet_list_json(r, org_id) : NULL;
    json_t *page = w ? wallet_lines_json(r, org_id, before_id, WEB_STAFF_LINES_PAGE) : NULL;
    if (!page) {
        json_decref(members);
        json_decref(w);
        return NULL;
    }
    json_t *wallets = json_object_get(w, "wallets"), *lines = json_object_get(page, "transactions");
    mark_adjusted(r, wallets);
    web_decorate_lines(r, lines);
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
        json_object_set_new(m, "admin_role", json_boolean(!strcmp(json_string_value(json_object_get(m, "role")), "admin")));
    json_t *data = json_pack("{s:{s:I, s:s}, s:o, s:O, s:b, s:O, s:b, s:b}", "org", "id", (json_int_t)org_id,
                             "name", name, "members", members, "wallets", wallets, "has_wallets",
                             json_array_size(wallets) > 0, "transactions", lines, "has_transactions",
                             json_array_size(lines) > 0, "paged", before_id > 0);
    json_t *next = json_object_get(page, "next_cursor");
    if (json_is_string(next))
        json_object_set_new(data, "older_url", json_string(arena_printf(r->a, "/staff/orgs/%" PRId64 "?cursor=%s",
                                                                        org_id, json_string_value(next))));
    json_t *reports = abuse_reports_json(r->db, org_id);
    json_object_set_new(data, "has_abuse_reports", json_boolean(json_array_size(reports) > 0));
    json_object_set_new(data, "abuse_reports", reports ? reports : json_array());
    json_decref(w);
    json_decref(page);
    return data;
}

/* The organization's profile (kind, tax identifiers, legal representative,
 * logo) and whether it was deleted, under "profile". */
static bool add_profile(http_request *r, json_t *data, int64_t org_id)
{
    static const char *const kinds[] = {N_("Person or sole trader"), N_("Company"), N_("Public administration")};
    _Static_assert(sizeof kinds / sizeof kinds[0] == ORG_KIND_COUNT, "one label per kind");
    org_profile p;
    if (org_profile_get(r->db, org_id, &p) != 1)
        return false;
    json_t *j = org_profile_json(&p, arena_printf(r->a, "/staff/orgs/%" PRId64, org_id));
    json_object_set_new(j, "kind_label", json_string(i18n_text(r->lang, kinds[p.kind])));
    if (p.deleted_at) {
        json_t *t = jout_time(p.deleted_at);
        json_object_set_new(j, "deleted_date", json_string(web_datetime(r, json_string_value(t))));
        json_decref(t);
    }
    if (p.has_logo)
        json_object_set_new(j, "logo_src", json_sprintf("/staff/orgs/%" PRId64 "/logo?v=%s", org_id, p.logo_etag));
    auth_user rep;
    if (p.legal_rep_user_id && auth_user_get(r, p.legal_rep_user_id, &rep))
        json_object_set_new(j, "rep", json_pack("{s:s, s:s}", "name", rep.name, "email", rep.email));
    json_object_set_new(data, "profile", j);
    return true;
}

/* GET /staff/orgs/{org_id}/logo: the organization's logo, for the back office. */
static void get_org_logo(http_request *r)
{
    int64_t org_id;
    if (!http_param_id(r, "org_id", &org_id))
        return web_error_page(r, 404);
    int res = org_logo_serve(r, org_id);
    if (res <= 0)
        web_error_page(r, res == 0 ? 404 : 500);
}

/* The organization's page with the adjustment form: fresh (f NULL) or as
 * posted, with errors next to the fields and an optional error above it.
 * new_key replaces the form's idempotency key (after a conflict). */
static void org_page(http_request *r, int status, int64_t org_id, int64_t before_id, const form *f, json_t *errors,
                     const char *error, bool new_key)
{
    char name[ORG_NAME_MAX + 1];
    if (!org_name(r->db, org_id, name, sizeof name))
        return (void)json_decref(errors), web_error_page(r, 404);
    json_t *data = org_data(r, org_id, name, before_id);
    if (!data)
        return (void)json_decref(errors), web_fail(r);
    const char *chosen;
    json_t *values = form_values(f, new_key, &chosen);
    json_t *wallets = json_object_get(data, "wallets");
    const char **codes = currency_codes(r, wallets);
    json_object_set_new(data, "form", values);
    json_object_set_new(data, "currencies", currency_options(codes, chosen ? chosen : codes[0]));
    json_object_set_new(data, "errors", errors ? errors : json_object());
    if (error)
        json_object_set_new(data, "error", json_string(error));
    json_object_set_new(data, "example", json_string(!strcmp(r->lang, "it") ? "1.234,56" : "1,234.56"));
    json_t *reseller = web_staff_reseller_json(r, org_id, NULL, NULL);
    json_object_set_new(data, "credits", web_staff_credits(r, org_id)); /* staff/org_credits */
    if (!reseller || !add_profile(r, data, org_id) || !web_staff_org_services(r, data, org_id))
        return (void)json_decref(reseller), (void)json_decref(data), web_fail(r);
    json_object_set_new(data, "reseller", reseller);
    web_staff_page(r, status, "staff/org", name, "orgs", data);
}

static void get_org(http_request *r)
{
    int64_t org_id, before_id;
    size_t limit;
    const char *bad;
    if (!http_param_id(r, "org_id", &org_id) ||
        !wallet_parse_page(NULL, http_query(r, "cursor"), &before_id, &limit, &bad))
        return web_error_page(r, 404);
    org_page(r, 200, org_id, before_id, NULL, NULL, NULL, false);
}

/* The amount field in the chosen currency, signed by the direction; false
 * with a message under "amount" in errors. */
static bool read_amount(http_request *r, const form *f, const char *code, bool debit, json_t *errors, money *out)
{
    const char *text = web_text(r, f, "amount", 1, MONEY_TEXT_BYTES_MAX, errors);
    const currency *cur = code ? currency_find(code) : NULL;
    if (!text || !cur)
        return false;
    const char *message = NULL;
    switch (money_parse_locale(text, cur, r->lang, out)) {
    case MONEY_OK:
        if (out->minor <= 0)
            message = _("Enter an amount greater than zero; choose credit or debit above.");
        else if (out->minor > LEDGER_AMOUNT_MAX)
            message = _("This amount is too large.");
        break;
    case MONEY_TOO_PRECISE: message = _("This currency does not have that many decimals."); break;
    case MONEY_CURRENCY_MISMATCH: message = _("This amount names another currency than the one chosen."); break;
    case MONEY_RANGE: message = _("This amount is too large."); break;
    default:
        message = _("Enter an amount such as 1,234.56."); /* the Italian text writes 1.234,56 */
        break;
    }
    if (message) {
        json_object_set_new(errors, "amount", json_string(message));
        return false;
    }
    if (debit)
        out->minor = -out->minor;
    return true;
}

/* staff_adjust in a write transaction of its own. A store error may be the
 * same form submitted twice at once, the other request committing first
 * (PostgreSQL reports the duplicate key at the insert): one retry then sees
 * the committed adjustment and replays it. */
static staff_adjust_result adjust_in_tx(http_request *r, const staff_adjust_in *in, staff_adjust_out *out)
{
    staff_adjust_result res = STAFF_ADJUST_STORE_ERROR;
    for (int attempt = 0; attempt < 2 && res == STAFF_ADJUST_STORE_ERROR; attempt++) {
        if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
            continue;
        res = staff_adjust(r, in, out);
        if ((res == STAFF_ADJUST_OK || res == STAFF_ADJUST_REPLAYED) && db_commit(r->db) != DB_OK)
            res = STAFF_ADJUST_STORE_ERROR;
        if (db_in_tx(r->db))
            db_rollback(r->db);
    }
    return res;
}

/* POST /staff/orgs/{org_id}/adjustments */
static void post_adjustment(http_request *r)
{
    staff_adjust_in in = {0};
    staff_adjust_out out;
    form f;
    if (!http_param_id(r, "org_id", &in.org_id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    in.key = form_get(&f, "idempotency_key");
    if (!web_token_ok(in.key))
        return web_error_page(r, 400);
    json_t *w = wallet_list_json(r, in.org_id);
    if (!w)
        return web_fail(r);
    json_t *errors = json_object();
    const char *code = web_choice(r, &f, "currency", currency_codes(r, json_object_get(w, "wallets")), errors);
    const char *direction = web_choice(r, &f, "direction", directions, errors);
    bool amount_ok = read_amount(r, &f, code, direction && !strcmp(direction, "debit"), errors, &in.amount);
    in.reason = web_text(r, &f, "reason", STAFF_REASON_MIN, STAFF_REASON_MAX, errors);
    json_decref(w);
    if (!amount_ok || json_object_size(errors))
        return org_page(r, 422, in.org_id, 0, &f, errors, NULL, false);
    switch (adjust_in_tx(r, &in, &out)) {
    case STAFF_ADJUST_OK:
    case STAFF_ADJUST_REPLAYED:
        break;
    case STAFF_ADJUST_NO_ORG:
        return (void)json_decref(errors), web_error_page(r, 404);
    case STAFF_ADJUST_INSUFFICIENT_FUNDS:
        json_object_set_new(errors, "amount", json_string(_("The wallet holds less than this amount.")));
        return org_page(r, 422, in.org_id, 0, &f, errors, NULL, false);
    case STAFF_ADJUST_KEY_CONFLICT:
        return org_page(r, 409, in.org_id, 0, &f, errors,
                        _("This form was already posted with other values. Check the transfers below, "
                          "then post it again if it is still needed."), true);
    default:
        return (void)json_decref(errors), web_fail(r);
    }
    json_decref(errors);
    web_flash(r, "adjusted");
    http_redirect(r, arena_printf(r->a, "/staff/orgs/%" PRId64 "?adjusted=%s", in.org_id, in.amount.cur->code));
}

void web_staff_org_routes(router *rt)
{
    router_add(rt, "GET", "/staff/orgs/{org_id}", get_org, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/orgs/{org_id}/logo", get_org_logo, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/orgs/{org_id}/adjustments", post_adjustment, ROUTE_STAFF | ROUTE_PAGE);
}
