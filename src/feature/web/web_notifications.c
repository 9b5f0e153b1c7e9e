/* web_notifications.c - /notifications: the current organization's in-app
 * notifications (payments received, and those kept as balance because the
 * order or renewals they were for could no longer be done), newest first, and a button that marks
 * them read (the layout shows how many are unread). Members with the billing
 * right only (404 page otherwise): the notifications are about money. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "feature/payments/payments.h"
#include "feature/web/web.h"

static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

static const char *method_text(http_request *r, const char *method)
{
    static const struct { const char *code, *label; } t[] = {
        {"card", N_("Card")}, {"wallet", N_("Apple Pay or Google Pay")}, {"paypal", N_("PayPal")},
        {"crypto", N_("Bitcoin")},
    };
    for (size_t i = 0; method && i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i].code, method))
            return i18n_text(r->lang, t[i].label);
    return method ? method : "";
}

static void get_notifications(http_request *r)
{
    int64_t org = billing_org(r);
    if (!org)
        return;
    json_t *list = payment_notifications_json(r->db, org, r->user_id, r->lang), *n;
    if (!list)
        return web_fail(r);
    size_t i;
    json_array_foreach(list, i, n) {
        json_object_set_new(n, "date", json_string(web_datetime(r, json_string_value(json_object_get(n, "created_at")))));
        json_object_set_new(n, "method_label", json_string(method_text(r, json_string_value(json_object_get(n, "method")))));
        json_object_set_new(n, "refused", json_boolean(!strcmp(json_string_value(json_object_get(n, "kind")),
                                                                "payment.purpose_refused")));
    }
    web_page(r, 200, "pages/notification_list", _("Notifications"), NULL,
             json_pack("{s:b, s:o}", "has_notifications", json_array_size(list) > 0, "notifications", list));
}

static void post_read(http_request *r)
{
    form f;
    int64_t org = billing_org(r);
    if (!org || !web_form(r, &f))
        return;
    if (!payment_notifications_read(r->db, org, r->user_id))
        return web_fail(r);
    http_redirect(r, "/notifications");
}

void web_notifications_routes(router *rt)
{
    router_add(rt, "GET", "/notifications", get_notifications, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/notifications/read", post_read, ROUTE_USER | ROUTE_PAGE);
}
