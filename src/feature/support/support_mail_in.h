/* support_mail_in.h - what `saldo mail-in` does with one parsed message: a
 * reply carrying a ticket's token joins that ticket, a new message from a
 * registered customer opens a ticket, an unknown sender gets one polite
 * auto-reply a day, auto-replies and bounces are dropped. */
#ifndef SALDO_SUPPORT_MAIL_IN_H
#define SALDO_SUPPORT_MAIL_IN_H

#include <stdint.h>

#include "http/http.h"
#include "mail/mail_in.h"

typedef enum {
    SUPPORT_MAIL_IN_ADDED,      /* added to ticket *ticket_id (reopened when it was closed) */
    SUPPORT_MAIL_IN_OPENED,     /* a new ticket *ticket_id */
    SUPPORT_MAIL_IN_ANSWERED,   /* unknown sender: the auto-reply was queued */
    SUPPORT_MAIL_IN_QUIET,      /* unknown sender already answered today: nothing */
    SUPPORT_MAIL_IN_IGNORED,    /* an auto-reply, a bounce or no sender: nothing */
    SUPPORT_MAIL_IN_STORE_ERROR /* nothing written: the MTA should try again */
} support_mail_in_result;

/* "added", "opened", "answered", "quiet", "ignored", "store_error". */
extern const char *const support_mail_in_names[];

/* Files message m. dept_address: the envelope recipient the MTA gave (NULL:
 * the message's Delivered-To / To decide the department). r is a worker
 * request (app, db, arena). */
support_mail_in_result support_mail_in(http_request *r, const mail_in *m, const char *dept_address,
                                       int64_t *ticket_id);

#endif
