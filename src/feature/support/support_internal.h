/* support_internal.h - what the files of the support feature share and no
 * other feature needs: the staff's changes and the mails. */
#ifndef SALDO_SUPPORT_INTERNAL_H
#define SALDO_SUPPORT_INTERNAL_H

#include "feature/support/support.h"

/* support+<token>@<domain of mail_from>, in the request arena. */
const char *support_reply_to(http_request *r, const support_ticket *t);
/* Queues the staff answer body of t to the organization's support address,
 * inside the caller's write transaction. False on a store error. */
bool support_mail_reply(http_request *r, const support_ticket *t, const char *body);

/* The staff's changes, each inside the caller's write transaction with an
 * audit entry by r->staff_id. False on a store error. */
bool support_staff_reply(http_request *r, const support_ticket *t, const char *body, bool internal,
                         int next_status);
/* Department and priority; the first-response due time follows the new
 * target (created_at + minutes). */
bool support_staff_move(http_request *r, const support_ticket *t, const support_department *dep,
                        support_priority priority);
/* assigned 0 = nobody. */
bool support_staff_assign(http_request *r, const support_ticket *t, int64_t assigned);
bool support_staff_status(http_request *r, const support_ticket *t, support_status st);
/* Moves the messages of dup into target, closes dup pointing to target. */
bool support_staff_merge(http_request *r, const support_ticket *dup, const support_ticket *target);

/* The UTC bounds [from, to) of month "YYYY-MM"; false when malformed. */
bool support_month_bounds(const char *month, int64_t *from, int64_t *to);
/* [{"department", "name", "tickets", "answered", "median_minutes",
 * "p95_minutes", "breaches"}] of the tickets opened in [from, to), one entry
 * per department (report.c); NULL on a store error. */
json_t *support_report(http_request *r, int64_t from, int64_t to);

#endif
