/* web_page.c - the layouts pages are rendered in. The client area's: provider
 * name, navigation, the current organization's balances in the top-right
 * corner, the language switch, sign-out, flash messages and the footer with
 * the provider's identity. The back office's: its own header (search,
 * navigation, the staff member). And the error pages, in either. */
#include "feature/web/web.h"
#include "feature/web/web_internal.h"

#include <assert.h>
#include <string.h>

#include "app.h"
#include "feature/auth/auth.h"
#include "feature/orgs/orgs.h"
#include "feature/notifications/notifications.h"
#include "feature/staff/staff.h"
#include "feature/wallet/wallet.h"
#include "http/static_files.h"
#include "lib/log.h"
#include "render/template.h"

/* Messages shown once after a redirect, by key (the flash cookie's value). */
static const struct {
    const char *key;
    const char *msgid;
} flash_messages[] = {
    {"signed_up", N_("Your account is ready. We sent you an email: open its link to confirm your address.")},
    {"signed_out", N_("You have signed out.")},
    {"profile_saved", N_("Your profile has been saved.")},
    {"password_changed", N_("Your password has been changed. Your other sessions have been signed out.")},
    {"reset_sent", N_("If an account exists for that address, we sent it a link to choose a new password.")},
    {"password_reset", N_("Your password has been changed. Sign in with the new one.")},
    {"verify_sent", N_("We sent you a new confirmation link.")},
    {"twofa_off", N_("Two-factor authentication is off.")},
    {"staff_signed_out", N_("You have signed out of the back office.")},
    {"bank_assigned", N_("The entry has been credited to the organization's wallet.")},
    {"bank_ignored", N_("The entry has been taken out of the queue with your note.")},
    {"adjusted", N_("The adjustment has been posted. The new balance is shown below.")},
    {"credit_note_issued", N_("The credit note has been issued and its amount given back to the wallet.")},
    {"org_created", N_("The organization has been created. You are now working in it.")},
    {"org_saved", N_("The organization's profile has been saved.")},
    {"logo_saved", N_("The logo has been saved.")},
    {"logo_removed", N_("The logo has been removed.")},
    {"org_deleted", N_("The organization has been deleted.")},
    {"address_added", N_("The address has been added.")},
    {"address_saved", N_("The address has been saved. Documents already issued keep the old one.")},
    {"address_default", N_("This is now the default billing address.")},
    {"address_deleted", N_("The address has been deleted.")},
    {"notify_saved", N_("The notification addresses have been saved.")},
    {"account_deleted", N_("Your account has been deleted. Thank you for having been with us.")},
    {"invited", N_("The invitation has been sent. The link in it works once, for 7 days.")},
    {"invitation_cancelled", N_("The invitation has been cancelled: its link no longer works.")},
    {"rights_saved", N_("The member's rights have been saved.")},
    {"member_removed", N_("The member has been removed from the organization.")},
    {"left", N_("You have left the organization.")},
    {"joined", N_("Welcome: you are now a member of the organization.")},
    {"product_saved", N_("The product has been saved.")},
    {"product_retired", N_("The product has been retired: it can no longer be ordered, its services keep renewing.")},
    {"product_unretired", N_("The product is on sale again.")},
    {"category_saved", N_("The category has been saved.")},
    {"reseller_saved", N_("The organization is a reseller with these discounts.")},
    {"reseller_removed", N_("The organization is no longer a reseller.")},
    {"service_saved", N_("The renewal settings have been saved. They apply from the next renewal.")},
    {"service_renewal_mailed", N_("The renewal settings have been saved. We sent a confirmation to the billing notification address.")},
    {"service_assigned", N_("The service has been assigned. We sent the end customer the instructions and a link to claim it.")},
    {"service_unassigned", N_("The assignment has been removed: the end customer no longer sees the service.")},
    {"service_claimed", N_("The service has been added to your organization. Your reseller keeps managing it.")},
    {"service_status", N_("The service's status has been changed.")},
    {"cart_added", N_("The product is in your cart.")},
    {"withdrawal_requested", N_("Your withdrawal request has been received. The amount is set aside until our staff approve it.")},
    {"withdrawal_cancelled", N_("The withdrawal has been cancelled. The amount is back in your balance.")},
    {"withdrawal_not_pending", N_("This withdrawal is no longer waiting for approval: nothing was changed.")},
    {"withdrawal_approved", N_("The withdrawal has been approved.")},
    {"vat_rate_added", N_("The VAT rate has been added.")},
    {"withdrawal_rejected", N_("The withdrawal has been rejected. The amount is back in the customer's balance.")},
    {"withdrawal_paid", N_("The withdrawal has been marked paid.")},
    {"withdrawals_exported", N_("The credit-transfer file has been created. Download it below and upload it to the bank.")},
    {"nothing_to_export", N_("No approved bank withdrawal waits for an export.")},
    {"refund_requested", N_("Your refund request has been received. The amount is set aside until our staff approve it.")},
    {"refund_cancelled", N_("The refund request has been cancelled. The amount is back in your balance.")},
    {"refund_not_waiting", N_("This refund is no longer waiting for approval: nothing was changed.")},
    {"refund_approved", N_("The refund has been approved: it leaves with the next bank export.")},
    {"refund_paid", N_("The refund has been sent through the payment gateway.")},
    {"refund_failed", N_("The payment gateway refused the refund: the amount is back in the customer's balance.")},
    {"refund_rejected", N_("The refund has been rejected. The amount is back in the customer's balance.")},
    {"card_added", N_("The card has been saved.")},
    {"card_failed", N_("The card could not be verified: it was not saved. Try again or use another card.")},
    {"card_pending", N_("The card has not been verified yet: it appears here as soon as it is.")},
    {"card_default", N_("This card is now the default: renewals the balance cannot pay are charged to it.")},
    {"card_removed", N_("The card has been removed.")},
    {"card_gateway_down", N_("The payment service cannot be reached right now: nothing was changed. Please try again in a few minutes.")},
    {"announcement_posted", N_("The announcement has been posted: the organizations it concerns are notified and mailed.")},
    {"abuse_reported", N_("The abuse report has been sent to the organization.")},
    {"ticket_opened", N_("Your ticket has been opened. We answer high-priority tickets first.")},
    {"ticket_replied", N_("Your message has been added to the ticket.")},
    {"ticket_closed", N_("The ticket has been closed.")},
    {"ticket_reopened", N_("The ticket has been reopened.")},
    {"ticket_rated", N_("Thank you for your rating.")},
    {"ticket_unchanged", N_("Nothing was changed: the ticket is not in a state that allows it.")},
    {"ticket_answered", N_("The answer has been sent to the customer.")},
    {"ticket_noted", N_("The internal note has been added. The customer does not see it.")},
    {"ticket_updated", N_("The ticket has been updated.")},
    {"ticket_merged", N_("The duplicate has been merged into this ticket.")},
    {"canned_added", N_("The canned reply has been added.")},
    {"canned_deleted", N_("The canned reply has been withdrawn.")},
    {"department_saved", N_("The department has been saved. New tickets get the new targets.")},
    {"department_added", N_("The department has been added.")},
    {"order_placed", N_("Thank you: your order is paid. The services are being activated.")},
    {"code_saved", N_("The discount code has been saved.")},
    {"credit_granted", N_("The free credit has been granted.")},
    {"credit_revoked", N_("The free credit has been revoked.")},
    {"renewed", N_("The services have been renewed and paid from your balance.")},
};

static const char *translate(void *ctx, const char *msgid)
{
    return i18n_text(ctx, msgid);
}

/* The flash message of the cookie, translated (and the cookie deleted). */
static const char *take_flash(http_request *r)
{
    const char *key = http_cookie(r, WEB_COOKIE_FLASH);
    if (!key)
        return NULL;
    web_cookie(r, WEB_COOKIE_FLASH, "", 0, false);
    for (size_t i = 0; i < sizeof flash_messages / sizeof flash_messages[0]; i++)
        if (!strcmp(flash_messages[i].key, key))
            return i18n_text(r->lang, flash_messages[i].msgid);
    return NULL;
}

void web_flash(http_request *r, const char *key)
{
    bool known = false;
    for (size_t i = 0; i < sizeof flash_messages / sizeof flash_messages[0]; i++)
        known = known || !strcmp(flash_messages[i].key, key);
    assert(known && "flash keys come from the table");
    web_cookie(r, WEB_COOKIE_FLASH, key, WEB_COOKIE_FLASH_MAX_AGE_S, false);
}

/* The header's organization switcher: the user's organizations, the current
 * one marked, shown by its logo when it has one. */
static void add_orgs(http_request *r, json_t *ctx, int64_t current)
{
    json_t *orgs = org_list_json(r->db, r->user_id);
    if (!orgs)
        return;
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o) {
        int64_t id = json_integer_value(json_object_get(o, "id"));
        json_object_set_new(o, "current", json_boolean(id == current));
        if (id != current)
            continue;
        json_t *cur = json_pack("{s:I, s:O}", "id", (json_int_t)id, "name", json_object_get(o, "name"));
        /* Always set: a missing key would be looked up in the page's own context. */
        json_object_set_new(cur, "logo_src", json_is_true(json_object_get(o, "has_logo"))
                                                 ? json_sprintf("/orgs/%lld/logo", (long long)id)
                                                 : json_false());
        json_object_set_new(ctx, "current_org", cur);
    }
    json_object_set_new(ctx, "orgs", orgs);
}

/* The signed-in customer's name and the balances they may see. */
static void add_user(http_request *r, json_t *ctx)
{
    auth_user u;
    if (!r->user_id || !auth_user_get(r, r->user_id, &u))
        return;
    json_object_set_new(ctx, "user", json_pack("{s:s, s:s, s:b}", "name", u.name, "email", u.email,
                                               "verified", (int)u.email_verified));
    int64_t org = web_current_org(r);
    add_orgs(r, ctx, org);
    if (!org)
        return;
    int unread = notifications_unread(r->db, org, r->user_id);
    json_object_set_new(ctx, "org_member", json_true());
    json_object_set_new(ctx, "unread_notifications", unread > 0 ? json_integer(unread) : json_false());
    if (!org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return;
    json_t *w = wallet_list_json(r, org);
    if (w) {
        json_t *list = json_object_get(w, "wallets");
        json_object_set(ctx, "balances", json_array_size(list) ? list : json_false());
        json_object_set_new(ctx, "billing", json_true());
        json_decref(w);
    }
}

/* What both layouts show: language, title, provider, CSRF token, static files,
 * the highlighted navigation entry and the flash message. */
static void add_common(http_request *r, json_t *ctx, const char *title, const char *nav)
{
    const app *a = r->app;
    json_object_set_new(ctx, "lang", json_string(r->lang));
    json_object_set_new(ctx, "lang_it", json_boolean(!strcmp(r->lang, "it")));
    json_object_set_new(ctx, "lang_en", json_boolean(!strcmp(r->lang, "en")));
    json_object_set_new(ctx, "title", json_string(title));
    json_object_set_new(ctx, "provider", json_pack("{s:s, s:s, s:s}", "name", a->cfg->provider.name,
                                                   "address", a->cfg->provider.address,
                                                   "vat_id", a->cfg->provider.vat_id));
    json_object_set_new(ctx, "csrf", json_string(web_csrf(r)));
    json_object_set_new(ctx, "here", json_string(web_local_path(r->path)));
    json_object_set_new(ctx, "css_url", json_string(static_url(r, &a->statics, "saldo.css")));
    json_object_set_new(ctx, "logo_url", json_string(static_url(r, &a->statics, "logo.svg")));
    json_object_set_new(ctx, "favicon_url", json_string(static_url(r, &a->statics, "favicon.svg")));
    if (nav)
        json_object_set_new(ctx, "nav", json_pack("{s:b}", nav, 1));
    const char *flash = take_flash(r);
    if (flash)
        json_object_set_new(ctx, "flash", json_string(flash));
}

/* Renders tmpl with ctx (stolen), then layout around it, and answers. */
static void render(http_request *r, int status, const char *layout, const char *tmpl, json_t *ctx)
{
    buf page, out;
    char err[256];
    buf_init(&page, WEB_PAGE_BYTES_MAX);
    buf_init(&out, WEB_PAGE_BYTES_MAX);
    bool ok = tmpl_render(r->app->tmpl, tmpl, ctx, translate, (void *)r->lang, &page, err, sizeof err);
    if (ok) {
        json_object_set_new(ctx, "content", json_string(buf_cstr(&page)));
        ok = tmpl_render(r->app->tmpl, layout, ctx, translate, (void *)r->lang, &out, err, sizeof err);
    }
    json_decref(ctx);
    if (ok) {
        http_add_header(r, "Cache-Control", "no-store");
        http_html(r, status, &out);
    } else {
        log_error("web_page", "template=%s error=\"%s\"", tmpl, err);
        static const char fallback[] = "<!doctype html><title>500</title><p>Internal error.</p>";
        http_text(r, 500, "text/html; charset=utf-8", fallback, sizeof fallback - 1);
    }
    buf_free(&page);
    buf_free(&out);
}

void web_page(http_request *r, int status, const char *tmpl, const char *title, const char *nav, json_t *data)
{
    assert(tmpl && title);
    json_t *ctx = data ? data : json_object();
    assert(json_is_object(ctx));
    add_common(r, ctx, title, nav);
    add_user(r, ctx);
    json_object_set_new(ctx, "chat_js_url", json_string(static_url(r, &r->app->statics, "chat.js")));
    render(r, status, "layout", tmpl, ctx);
}

void web_staff_page(http_request *r, int status, const char *tmpl, const char *title, const char *nav, json_t *data)
{
    assert(tmpl && title && web_staff_path(r->path));
    json_t *ctx = data ? data : json_object();
    assert(json_is_object(ctx));
    add_common(r, ctx, title, nav);
    staff_member m;
    if (r->staff_id && staff_get(r, r->staff_id, &m))
        json_object_set_new(ctx, "staff", json_pack("{s:s, s:s}", "email", m.email, "name", m.name));
    if (!json_object_get(ctx, "q"))
        json_object_set_new(ctx, "q", json_string(""));
    render(r, status, "staff/layout", tmpl, ctx);
}

bool web_staff_path(const char *path)
{
    return path && !strncmp(path, "/staff", 6) && (path[6] == '\0' || path[6] == '/');
}

void web_fail(http_request *r)
{
    web_error_page(r, 500);
}

void web_error_page(http_request *r, int status)
{
    if (r->answered)
        return;
    if (r->db && db_in_tx(r->db))
        db_rollback(r->db);
    const char *title, *message;
    switch (status) {
    case 400: title = _("Bad request"); message = _("The request could not be understood. Go back and try again."); break;
    case 403: title = _("Not allowed"); message = _("This request was refused: the form may have expired. Go back, reload the page and try again."); break;
    case 404: title = _("Page not found"); message = _("There is nothing at this address. Check the link, or start again from the home page."); break;
    case 405: title = _("Not allowed"); message = _("This address does not accept this kind of request."); break;
    case 413: title = _("Too large"); message = _("What you sent is larger than we accept (a file may be at most 1 MB). Go back and choose a smaller file."); break;
    case 429: title = _("Too many requests"); message = _("Wait a few minutes and try again."); break;
    default: status = 500; title = _("Something went wrong"); message = _("We could not complete the request and nothing was changed. Try again in a moment."); break;
    }
    json_t *data = json_pack("{s:i, s:s, s:b}", "status", status, "message", message, "signed_in", r->user_id > 0);
    if (web_staff_path(r->path)) {
        json_object_set_new(data, "staff_area", json_true());
        return web_staff_page(r, status, "pages/error", title, NULL, data);
    }
    web_page(r, status, "pages/error", title, NULL, data);
}
