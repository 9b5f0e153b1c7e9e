/* ticket_view.c - who may see a ticket, and tickets and threads as JSON
 * (see support.h). */
#include "feature/support/support_internal.h"

#include <string.h>

#include "feature/orgs/orgs.h"
#include "feature/services/services.h"
#include "core/zone.h"
#include "http/json_in.h"

bool support_user_may(http_request *r, int64_t user_id, const support_ticket *t)
{
    if (!org_user_may(r->db, user_id, t->org_id, ORG_NEED_MEMBER))
        return false;
    if (t->opened_by == user_id || org_user_may_service(r->db, user_id, t->org_id, 0, 0))
        return true;
    service_view v;
    return t->service_id && service_view_get(r, t->org_id, t->service_id, &v) == 1 &&
           service_user_may(r, user_id, t->org_id, &v);
}

static json_t *time_or_null(int64_t t)
{
    return t ? jout_time(t) : json_null();
}

static json_t *id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

json_t *support_ticket_json(http_request *r, const support_ticket *t, bool staff, int64_t now)
{
    (void)r;
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
                          "id", (json_int_t)t->id, "org_id", (json_int_t)t->org_id, "department", t->department,
                          "priority", support_priority_names[t->priority], "status", support_status_names[t->status],
                          "subject", t->subject, "service_id", id_or_null(t->service_id), "order_number",
                          t->order_number, "server_ip", t->server_ip, "problem_started_at",
                          time_or_null(t->problem_at), "problem_time_zone", t->problem_tz, "created_at",
                          jout_time(t->created_at), "updated_at", jout_time(t->updated_at), "closed_at",
                          time_or_null(t->closed_at), "rating", t->rating ? json_integer(t->rating) : json_null(),
                          "merged_into", id_or_null(t->merged_into), "opened_by", json_integer(t->opened_by));
    char local[64] = "";
    if (t->problem_at)
        zone_format(t->problem_at, t->problem_tz, local, sizeof local);
    json_object_set_new(j, "problem_started_local", t->problem_at ? json_string(local) : json_null());
    if (staff) {
        bool breached = support_breached(t, now);
        int64_t left = t->first_response_at ? 0 : t->due_at - now;
        json_object_set_new(j, "sla", json_pack("{s:o, s:o, s:o, s:b}", "due_at", jout_time(t->due_at),
                                                "first_response_at", time_or_null(t->first_response_at),
                                                "seconds_left", t->first_response_at ? json_null()
                                                                                     : json_integer(left),
                                                "breached", breached));
        json_object_set_new(j, "assigned_staff_id", id_or_null(t->assigned_staff_id));
    }
    return j;
}

json_t *support_thread_json(http_request *r, int64_t id, bool staff)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT id, author, user_id, staff_id, body, internal, created_at FROM support_messages"
        " WHERE ticket_id = $1 AND ($2 = 1 OR internal = 0) ORDER BY id LIMIT $3");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, staff ? 1 : 0);
    db_bind_int64(s, 3, SUPPORT_THREAD_MAX);
    json_t *files = support_attachments_json(r, id, staff);
    if (!files) {
        db_done(s);
        return NULL;
    }
    json_t *arr = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        json_t *m = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)db_col_int64(s, 0), "author",
                              db_col_text(s, 1), "body", db_col_text(s, 4), "created_at",
                              jout_time(db_col_int64(s, 6)));
        if (staff) {
            json_object_set_new(m, "internal", json_boolean(db_col_int64(s, 5) != 0));
            json_object_set_new(m, "user_id", db_col_is_null(s, 2) ? json_null() : json_integer(db_col_int64(s, 2)));
            json_object_set_new(m, "staff_id", db_col_is_null(s, 3) ? json_null() : json_integer(db_col_int64(s, 3)));
        }
        json_t *att = json_object_get(files, arena_printf(r->a, "%lld", (long long)db_col_int64(s, 0)));
        json_object_set_new(m, "attachments", att ? json_incref(att) : json_array());
        json_array_append_new(arr, m);
    }
    db_done(s);
    json_decref(files);
    if (st != DB_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
