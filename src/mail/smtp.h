/* smtp.h - submit one plain-text UTF-8 message over SMTP (libcurl), with
 * STARTTLS when the server offers it and smtps:// for implicit TLS. */
#ifndef SALDO_SMTP_H
#define SALDO_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* Builds the RFC 5322 message (headers, base64 body) into out; reply_to
 * (NULL or "" = none) becomes a Reply-To header. */
void smtp_build_message(buf *out, const char *from, const char *to, const char *reply_to, const char *subject,
                        const char *body);
bool smtp_send(const char *url, const char *from, const char *to, const char *reply_to, const char *subject,
               const char *body, char *err, size_t err_size);

#endif
