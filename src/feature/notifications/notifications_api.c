/* notifications_api.c - GET /api/v1/orgs/{org_id}/notifications (what the
 * member asking may see, with the unread count) and POST
 * .../notifications/read. Any member; another organization's id is 404. */
#include "feature/notifications/notifications.h"

#include "feature/orgs/orgs.h"
#include "http/json_in.h"

static bool member_org(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_MEMBER))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static void get_notifications(http_request *r)
{
    int64_t org_id;
    if (!member_org(r, &org_id))
        return;
    json_t *list = notifications_json(r->db, org_id, r->user_id, r->lang);
    int unread = list ? notifications_unread(r->db, org_id, r->user_id) : -1;
    if (unread < 0) {
        json_decref(list);
        return http_error(r, 500, "store_error", "cannot read the notifications", NULL);
    }
    http_json(r, 200, json_pack("{s:o, s:i}", "notifications", list, "unread", unread));
}

static void post_read(http_request *r)
{
    int64_t org_id;
    if (!member_org(r, &org_id))
        return;
    if (!notifications_read(r->db, org_id, r->user_id))
        return http_error(r, 500, "store_error", "cannot mark the notifications read", NULL);
    http_text(r, 204, NULL, "", 0);
}

void notifications_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/notifications", get_notifications, ROUTE_USER);
    router_add(rt, "POST", "/api/v1/orgs/{org_id}/notifications/read", post_read, ROUTE_USER);
}
