/* user_mail.h - the account emails (verification, password reset) in the
 * user's language, enqueued in the outbox inside the caller's transaction. */
#ifndef SALDO_USER_MAIL_H
#define SALDO_USER_MAIL_H

#include <stdbool.h>

#include "http/http.h"

bool user_mail_verify(http_request *r, const char *to, const char *name, const char *lang, const char *token);
bool user_mail_reset(http_request *r, const char *to, const char *name, const char *lang, const char *token);

#endif
