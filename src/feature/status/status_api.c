/* status_api.c - the announcements' staff API (POST/GET
 * /api/v1/staff/announcements, GET/PATCH .../{announcement_id}), the public
 * GET /api/v1/status, and abuse reports (POST/GET
 * /api/v1/staff/orgs/{org_id}/abuse-reports). */
#include "feature/status/status.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "core/zone.h"
#include "http/json_in.h"

static void answer_invalid(http_request *r, const char *field, const char *message)
{
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
}

static void answer_result(http_request *r, announcement_result res, const char *field, const char *message)
{
    if (res == ANNOUNCEMENT_INVALID)
        return answer_invalid(r, field, message);
    if (res == ANNOUNCEMENT_NOT_FOUND)
        return http_error(r, 404, "not_found", "no such announcement", NULL);
    http_error(r, 500, "store_error", "nothing was changed", NULL);
}

/* An optional local time field (YYYY-MM-DDTHH:MM in zone) into *out (0 absent). */
static bool local_time(http_request *r, json_t *b, const char *field, const char *zone, int64_t *out)
{
    const char *text;
    *out = 0;
    if (!jin_string(r, b, field, JIN_OPTIONAL, 1, 32, &text))
        return false;
    if (text && !zone_parse_local(text, zone, out)) {
        answer_invalid(r, field, "a local time YYYY-MM-DDTHH:MM");
        return false;
    }
    return true;
}

static bool times_in(http_request *r, json_t *b, int64_t *starts_at, int64_t *ends_at)
{
    const char *zone;
    if (!jin_string(r, b, "time_zone", JIN_OPTIONAL, 1, 64, &zone))
        return false;
    if (!zone)
        zone = ZONE_PROVIDER;
    if (!zone_known(zone)) {
        answer_invalid(r, "time_zone", "a known time zone such as Europe/Rome");
        return false;
    }
    return local_time(r, b, "starts_at", zone, starts_at) && local_time(r, b, "ends_at", zone, ends_at);
}

static bool texts_in(http_request *r, json_t *b, jin_need need, const char *title[2], const char *body[2])
{
    return jin_string(r, b, "title_en", need, 1, ANNOUNCEMENT_TITLE_MAX, &title[0]) &&
           jin_string(r, b, "title_it", need, 1, ANNOUNCEMENT_TITLE_MAX, &title[1]) &&
           jin_string(r, b, "body_en", need, 1, ANNOUNCEMENT_BODY_MAX, &body[0]) &&
           jin_string(r, b, "body_it", need, 1, ANNOUNCEMENT_BODY_MAX, &body[1]);
}

static bool public_in(http_request *r, json_t *b, int *out)
{
    bool v;
    *out = -1;
    if (!jin_bool(r, b, "public", JIN_OPTIONAL, &v))
        return false;
    if (json_object_get(b, "public"))
        *out = v;
    return true;
}

/* "product_ids", "category_ids", "service_ids": arrays of positive ids. */
static bool targets_in(http_request *r, json_t *b, announcement_in *in)
{
    static const char *const fields[TARGET_KIND_COUNT] = {"product_ids", "category_ids", "service_ids"};
    for (int k = 0; k < TARGET_KIND_COUNT; k++) {
        json_t *list = json_object_get(b, fields[k]), *v;
        if (!list)
            continue;
        if (!json_is_array(list)) {
            answer_invalid(r, fields[k], "an array of ids");
            return false;
        }
        size_t i;
        json_array_foreach(list, i, v) {
            if (!json_is_integer(v) || json_integer_value(v) <= 0) {
                answer_invalid(r, fields[k], "an array of ids");
                return false;
            }
            if (in->n_targets == ANNOUNCEMENT_TARGETS_MAX) {
                answer_invalid(r, fields[k], "at most 100 products, categories and services");
                return false;
            }
            in->targets[in->n_targets++] = (announcement_target){(announcement_target_kind)k, json_integer_value(v)};
        }
    }
    return true;
}

static void answer_announcement(http_request *r, int status, int64_t id)
{
    bool found;
    json_t *o = announcement_json(r->db, id, &found);
    if (!o)
        return http_error(r, found ? 500 : 404, found ? "store_error" : "not_found",
                          found ? "cannot read the announcement" : "no such announcement", NULL);
    http_json(r, status, o);
}

static void post_announcement(http_request *r)
{
    static const char *const kinds[] = {"maintenance", "incident", "resolved", NULL};
    static const char *const audiences[] = {"everyone", "targeted", NULL};
    json_t *b;
    const char *audience = NULL;
    announcement_in *in = arena_alloc(r->a, sizeof *in);
    memset(in, 0, sizeof *in);
    json_t *parent = NULL;
    if (!jin_body(r, &b) || !jin_enum(r, b, "kind", JIN_REQUIRED, kinds, &in->kind) ||
        !texts_in(r, b, JIN_REQUIRED, in->title, in->body) ||
        !jin_enum(r, b, "audience", JIN_OPTIONAL, audiences, &audience) || !times_in(r, b, &in->starts_at, &in->ends_at) ||
        !public_in(r, b, &in->is_public) || !targets_in(r, b, in))
        return;
    parent = json_object_get(b, "parent_id");
    if (parent && !json_is_null(parent) && (!json_is_integer(parent) || json_integer_value(parent) <= 0))
        return answer_invalid(r, "parent_id", "the id of an open incident");
    in->parent_id = json_is_integer(parent) ? json_integer_value(parent) : 0;
    in->targeted = audience && !strcmp(audience, "targeted");
    const char *field = NULL, *message = NULL;
    int64_t id;
    announcement_result res = announcement_post(r, in, &id, &field, &message);
    if (res != ANNOUNCEMENT_OK)
        return answer_result(r, res, field, message);
    answer_announcement(r, 201, id);
}

static void get_announcements(http_request *r)
{
    json_t *list = announcements_json(r->db);
    if (!list)
        return http_error(r, 500, "store_error", "cannot read the announcements", NULL);
    http_json(r, 200, json_pack("{s:o}", "announcements", list));
}

static void get_announcement(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "announcement_id", &id))
        return http_error(r, 404, "not_found", "no such announcement", NULL);
    answer_announcement(r, 200, id);
}

static void patch_announcement(http_request *r)
{
    int64_t id;
    json_t *b;
    if (!http_param_id(r, "announcement_id", &id))
        return http_error(r, 404, "not_found", "no such announcement", NULL);
    announcement_patch p = {0};
    if (!jin_body(r, &b) || !texts_in(r, b, JIN_OPTIONAL, p.title, p.body) ||
        !times_in(r, b, &p.starts_at, &p.ends_at) || !public_in(r, b, &p.is_public))
        return;
    const char *field = NULL, *message = NULL;
    announcement_result res = announcement_update(r, id, &p, &field, &message);
    if (res != ANNOUNCEMENT_OK)
        return answer_result(r, res, field, message);
    answer_announcement(r, 200, id);
}

static void get_status(http_request *r)
{
    json_t *o = status_public_json(r->db, r->lang);
    if (!o)
        return http_error(r, 500, "store_error", "cannot read the service status", NULL);
    http_json(r, 200, o);
}

static void post_abuse_report(http_request *r)
{
    abuse_in in = {0};
    json_t *b, *service;
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &in.org_id) || !org_name(r->db, in.org_id, name, sizeof name))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    if (!jin_body(r, &b) || !jin_string(r, b, "subject", JIN_REQUIRED, 1, ABUSE_SUBJECT_MAX, &in.subject) ||
        !jin_string(r, b, "body", JIN_REQUIRED, 1, ABUSE_BODY_MAX, &in.body) ||
        !jin_string(r, b, "evidence", JIN_OPTIONAL, 0, ABUSE_EVIDENCE_MAX, &in.evidence))
        return;
    service = json_object_get(b, "service_id");
    if (service && !json_is_null(service) && (!json_is_integer(service) || json_integer_value(service) <= 0))
        return answer_invalid(r, "service_id", "the id of one of the organization's services");
    in.service_id = json_is_integer(service) ? json_integer_value(service) : 0;
    if (!in.evidence)
        in.evidence = "";
    const char *field = NULL, *message = NULL;
    int64_t id;
    announcement_result res = abuse_report(r, &in, &id, &field, &message);
    if (res == ANNOUNCEMENT_INVALID)
        return answer_invalid(r, field, message);
    if (res != ANNOUNCEMENT_OK)
        return http_error(r, 500, "store_error", "nothing was changed", NULL);
    json_t *o = abuse_report_json(r->db, in.org_id, id);
    if (!o)
        return http_error(r, 500, "store_error", "cannot read the report", NULL);
    http_json(r, 201, o);
}

static void get_abuse_reports(http_request *r)
{
    int64_t org_id;
    char name[ORG_NAME_MAX + 1];
    if (!http_param_id(r, "org_id", &org_id) || !org_name(r->db, org_id, name, sizeof name))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    json_t *list = abuse_reports_json(r->db, org_id);
    if (!list)
        return http_error(r, 500, "store_error", "cannot read the reports", NULL);
    http_json(r, 200, json_pack("{s:o}", "abuse_reports", list));
}

void status_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/status", get_status, ROUTE_PUBLIC);
    router_add(rt, "GET", "/api/v1/staff/announcements", get_announcements, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/announcements", post_announcement, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/announcements/{announcement_id}", get_announcement, ROUTE_STAFF);
    router_add(rt, "PATCH", "/api/v1/staff/announcements/{announcement_id}", patch_announcement, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/orgs/{org_id}/abuse-reports", get_abuse_reports, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/orgs/{org_id}/abuse-reports", post_abuse_report, ROUTE_STAFF);
}
