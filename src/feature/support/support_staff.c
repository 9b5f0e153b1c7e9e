/* support_staff.c - what staff do to a ticket: answer (mailed to the
 * customer) or write an internal note (never shown to the customer nor
 * mailed), move it to another department or priority, assign it, change its
 * status, merge a duplicate. Each writes the staff audit log in the caller's
 * transaction (see support_internal.h). */
#include "feature/support/support_internal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "feature/staff/staff.h"

static bool audit(http_request *r, const char *action, int64_t id, json_t *detail)
{
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    bool ok = text && staff_audit(r->db, r->staff_id, action, "ticket", id, text, r->client_ip);
    free(text);
    return ok;
}

bool support_staff_reply(http_request *r, const support_ticket *t, const char *body, bool internal,
                         int next_status, const support_file *files, size_t nfiles, support_written *written)
{
    assert(db_in_tx(r->db));
    int64_t msg_id;
    if (!support_add_message(r->db, t, SUPPORT_AUTHOR_STAFF, r->staff_id, body, internal, next_status, &msg_id) ||
        !support_store_files(r, msg_id, files, nfiles, written))
        return false;
    if (!internal && !support_mail_reply(r, t, body))
        return false;
    return audit(r, internal ? "ticket.note" : "ticket.reply", t->id,
                 json_pack("{s:I, s:b, s:I}", "message_id", (json_int_t)msg_id, "internal", internal, "files",
                           (json_int_t)nfiles));
}

bool support_staff_move(http_request *r, const support_ticket *t, const support_department *dep,
                        support_priority priority)
{
    db_stmt *s = db_prepare(r->db,
        "UPDATE support_tickets SET department_id = $1, priority = $2, first_response_due_at = $3, updated_at = $4,"
        " sla_warned = 0 WHERE id = $5");
    if (!s)
        return false;
    db_bind_int64(s, 1, dep->id);
    db_bind_text(s, 2, support_priority_names[priority]);
    db_bind_int64(s, 3, t->created_at + 60 * (int64_t)dep->sla_min[priority]);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    db_bind_int64(s, 5, t->id);
    return db_exec1(s) == DB_DONE &&
           audit(r, "ticket.move", t->id,
                 json_pack("{s:s, s:s, s:s, s:s}", "from_department", t->department, "to_department", dep->code,
                           "from_priority", support_priority_names[t->priority], "to_priority",
                           support_priority_names[priority]));
}

bool support_staff_assign(http_request *r, const support_ticket *t, int64_t assigned)
{
    db_stmt *s = db_prepare(r->db, "UPDATE support_tickets SET assigned_staff_id = $1, updated_at = $2 WHERE id = $3");
    if (!s)
        return false;
    if (assigned) db_bind_int64(s, 1, assigned); else db_bind_null(s, 1);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, t->id);
    return db_exec1(s) == DB_DONE &&
           audit(r, "ticket.assign", t->id,
                 json_pack("{s:o}", "assigned_staff_id", assigned ? json_integer(assigned) : json_null()));
}

bool support_staff_status(http_request *r, const support_ticket *t, support_status st)
{
    return support_set_status(r->db, t->id, st) &&
           audit(r, "ticket.status", t->id,
                 json_pack("{s:s, s:s}", "from", support_status_names[t->status], "to", support_status_names[st]));
}

bool support_staff_merge(http_request *r, const support_ticket *dup, const support_ticket *target)
{
    assert(dup->id != target->id && dup->org_id == target->org_id);
    db_stmt *s = db_prepare(r->db, "UPDATE support_messages SET ticket_id = $1 WHERE ticket_id = $2");
    if (!s)
        return false;
    db_bind_int64(s, 1, target->id);
    db_bind_int64(s, 2, dup->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    s = db_prepare(r->db,
        "UPDATE support_tickets SET status = 'closed', closed_at = $1, updated_at = $1, merged_into = $2"
        " WHERE id = $3");
    if (!s)
        return false;
    db_bind_int64(s, 1, (int64_t)time(NULL));
    db_bind_int64(s, 2, target->id);
    db_bind_int64(s, 3, dup->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    const char *note = arena_printf(r->a, "Ticket #%" PRId64 " (%s) was merged into this one.", dup->id,
                                    dup->subject);
    const char *back = arena_printf(r->a, "Merged into ticket #%" PRId64 ".", target->id);
    return support_add_message(r->db, target, SUPPORT_AUTHOR_SYSTEM, 0, note, false, (int)target->status, NULL) &&
           support_add_message(r->db, dup, SUPPORT_AUTHOR_SYSTEM, 0, back, false, SUPPORT_CLOSED, NULL) &&
           audit(r, "ticket.merge", dup->id, json_pack("{s:I}", "into", (json_int_t)target->id));
}
