/* smtp.h - submit one plain-text UTF-8 message, with any attached files,
 * over SMTP (libcurl), with STARTTLS when the server offers it and smtps://
 * for implicit TLS. */
#ifndef SALDO_SMTP_H
#define SALDO_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/buf.h"

/* A file to attach, its name and type checked already (outbox.h says how). */
typedef struct smtp_attachment {
    const char *filename;
    const char *content_type;
    const char *data_base64; /* the bytes, base64 (standard alphabet, one line) */
} smtp_attachment;

/* Builds the RFC 5322 message into out: the base64 text body alone, or with
 * n attachments a multipart/mixed of the body and one base64 part per file;
 * reply_to (NULL or "" = none) becomes a Reply-To header; message_id (without
 * <>; NULL or "" = a random one at the domain of from) the Message-ID. */
void smtp_build_message(buf *out, const char *from, const char *to, const char *reply_to, const char *message_id,
                        const char *subject, const char *body, const smtp_attachment *att, size_t n);
bool smtp_send(const char *url, const char *from, const char *to, const char *reply_to, const char *message_id,
               const char *subject, const char *body, const smtp_attachment *att, size_t n, char *err,
               size_t err_size);

#endif
