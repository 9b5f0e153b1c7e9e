/* abuse.c - abuse reports staff send to an organization: stored, mailed to
 * its "abuse" notification address (else its first administrator) in that
 * administrator's language, shown to its administrators as a notification,
 * and written to the audit log, in one transaction (status.h). */
#include "feature/status/status.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/notifications/notifications.h"
#include "feature/services/services.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

static int64_t insert_report(http_request *r, const abuse_in *in, const char *recipient)
{
    db_stmt *s = db_prepare(r->db,
        "INSERT INTO abuse_reports (org_id, service_id, subject, body, evidence, recipient, staff_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
    if (!s)
        return 0;
    db_bind_int64(s, 1, in->org_id);
    if (in->service_id)
        db_bind_int64(s, 2, in->service_id);
    else
        db_bind_null(s, 2);
    db_bind_text(s, 3, in->subject);
    db_bind_text(s, 4, in->body);
    db_bind_text(s, 5, in->evidence);
    db_bind_text(s, 6, recipient);
    db_bind_int64(s, 7, r->staff_id);
    db_bind_int64(s, 8, (int64_t)time(NULL));
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

static bool mail_report(http_request *r, const abuse_in *in, const char *to, int64_t id)
{
    if (!*to)
        return true; /* nobody to tell: the notification and the staff page keep it */
    json_t *data = json_pack("{s:I, s:s, s:s, s:s, s:b, s:I, s:s, s:s}", "reference", (json_int_t)id, "subject",
                             in->subject, "body", in->body, "evidence", in->evidence, "has_service",
                             in->service_id > 0, "service_id", (json_int_t)in->service_id, "link",
                             arena_printf(r->a, "%s/notifications", r->app->cfg->base_url), "provider",
                             r->app->cfg->provider.name);
    const char *subject, *text;
    char lang[3];
    notify_language(r->db, in->org_id, lang); /* English when unreadable */
    bool ok = data && mail_render(r->app, r->a, "abuse_report", lang, data, &subject, &text) &&
              outbox_enqueue(r->db, to, subject, text);
    json_decref(data);
    return ok;
}

static bool notify(http_request *r, const abuse_in *in, int64_t id)
{
    json_t *detail = json_pack("{s:I, s:s, s:s}", "report_id", (json_int_t)id, "subject", in->subject, "body",
                               in->body);
    if (detail && in->service_id)
        json_object_set_new(detail, "service_id", json_integer(in->service_id));
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
    json_decref(detail);
    bool ok = text && notification_add(r->db, in->org_id, "abuse.report", NOTIFICATION_ADMINS, id, text);
    free(text);
    return ok;
}

announcement_result abuse_report(http_request *r, const abuse_in *in, int64_t *out_id, const char **field,
                                 const char **message)
{
    assert(r->staff_id > 0 && in->org_id > 0);
    service sv;
    int found = in->service_id ? service_get(r->db, in->org_id, in->service_id, &sv) : 1;
    if (found < 0)
        return ANNOUNCEMENT_STORE_ERROR;
    if (!found) {
        *field = "service_id";
        *message = "the id of one of the organization's services";
        return ANNOUNCEMENT_INVALID;
    }
    char to[FIELD_EMAIL_MAX + 1];
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return ANNOUNCEMENT_STORE_ERROR;
    int addr = notify_address(r->db, in->org_id, NOTIFY_ABUSE, to);
    if (addr == 0)
        to[0] = '\0';
    int64_t id = addr >= 0 ? insert_report(r, in, to) : 0;
    bool ok = id > 0 && mail_report(r, in, to, id) && notify(r, in, id) &&
              staff_audit(r->db, r->staff_id, "abuse.report", "org", in->org_id,
                          arena_printf(r->a, "{\"report_id\":%" PRId64 "}", id), r->client_ip);
    if (!ok || db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return ANNOUNCEMENT_STORE_ERROR;
    }
    *out_id = id;
    return ANNOUNCEMENT_OK;
}

#define REPORT_COLUMNS "id, COALESCE(service_id, 0), subject, body, evidence, recipient, created_at"

static json_t *report_row(db_stmt *s)
{
    int64_t service_id = db_col_int64(s, 1);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)db_col_int64(s, 0), "subject",
                          db_col_text(s, 2), "body", db_col_text(s, 3), "evidence", db_col_text(s, 4), "recipient",
                          db_col_text(s, 5), "created_at", jout_time(db_col_int64(s, 6)));
    json_object_set_new(o, "service_id", service_id ? json_integer(service_id) : json_null());
    return o;
}

json_t *abuse_reports_json(db *d, int64_t org_id)
{
    db_stmt *s = db_prepare(d, "SELECT " REPORT_COLUMNS " FROM abuse_reports WHERE org_id = $1 ORDER BY id DESC LIMIT $2");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, ABUSE_LIST_MAX);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, report_row(s));
    db_done(s);
    return list;
}

json_t *abuse_report_json(db *d, int64_t org_id, int64_t id)
{
    db_stmt *s = db_prepare(d, "SELECT " REPORT_COLUMNS " FROM abuse_reports WHERE org_id = $1 AND id = $2");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, id);
    json_t *o = db_step(s) == DB_ROW ? report_row(s) : NULL;
    db_done(s);
    return o;
}
