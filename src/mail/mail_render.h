/* mail_render.h - an email from templates/mail/<name>.<lang>.txt, whose first
 * line is "Subject: ..." followed by a blank line and the body. */
#ifndef SALDO_MAIL_RENDER_H
#define SALDO_MAIL_RENDER_H

#include <jansson.h>
#include <stdbool.h>

#include "lib/arena.h"

struct app;

/* Subject and body live in arena a. False when the template is missing. */
bool mail_render(const struct app *ap, arena *a, const char *name, const char *lang, json_t *data,
                 const char **subject, const char **body);

#endif
