/* web_notifications.c - /notifications: the current organization's in-app
 * notifications the member may see (notifications.h): payments received (and
 * those kept as balance because the order or renewals they were for could no
 * longer be done) for billing members, service-status announcements for those
 * who may see an affected service, abuse reports for administrators; newest
 * first, and a button that marks them read (the layout shows how many are
 * unread). Any member; no organization is a 404 page. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/notifications/notifications.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

static int64_t member_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_MEMBER))
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

/* The label of an announcement's kind ("announcement.incident", ...). */
static const char *announcement_label(http_request *r, const char *kind)
{
    if (!strcmp(kind, "announcement.maintenance"))
        return _("Scheduled maintenance");
    if (!strcmp(kind, "announcement.incident"))
        return _("Incident");
    return _("Resolved");
}

/* The flags and labels the template picks the notification's text by. */
static void decorate(http_request *r, json_t *n)
{
    const char *kind = json_string_value(json_object_get(n, "kind"));
    json_object_set_new(n, "date", json_string(web_datetime(r, json_string_value(json_object_get(n, "created_at")))));
    if (!strncmp(kind, "payment.", 8)) {
        json_object_set_new(n, "payment", json_true());
        json_object_set_new(n, "method_label",
                            json_string(method_text(r, json_string_value(json_object_get(n, "method")))));
        json_object_set_new(n, "refused", json_boolean(!strcmp(kind, "payment.purpose_refused")));
    } else if (!strncmp(kind, "announcement.", 13)) {
        json_object_set_new(n, "announcement", json_true());
        json_object_set_new(n, "kind_label", json_string(announcement_label(r, kind)));
    } else if (!strcmp(kind, "abuse.report")) {
        json_object_set_new(n, "abuse", json_true());
    }
}

static void get_notifications(http_request *r)
{
    int64_t org = member_org(r);
    if (!org)
        return;
    json_t *list = notifications_json(r->db, org, r->user_id, r->lang), *n;
    if (!list)
        return web_fail(r);
    size_t i;
    json_array_foreach(list, i, n)
        decorate(r, n);
    web_page(r, 200, "pages/notification_list", _("Notifications"), NULL,
             json_pack("{s:b, s:o}", "has_notifications", json_array_size(list) > 0, "notifications", list));
}

static void post_read(http_request *r)
{
    form f;
    int64_t org = member_org(r);
    if (!org || !web_form(r, &f))
        return;
    if (!notifications_read(r->db, org, r->user_id))
        return web_fail(r);
    http_redirect(r, "/notifications");
}

void web_notifications_routes(router *rt)
{
    router_add(rt, "GET", "/notifications", get_notifications, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "POST", "/notifications/read", post_read, ROUTE_USER | ROUTE_PAGE);
}
