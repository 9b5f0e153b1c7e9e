/* mail_render.c - see mail_render.h. */
#include "mail/mail_render.h"

#include <string.h>

#include "app.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "render/template.h"

enum { MAIL_BYTES_MAX = 256 * 1024 };

bool mail_render(const app *ap, arena *a, const char *name, const char *lang, json_t *data,
                 const char **subject, const char **body)
{
    const char *tname = arena_printf(a, "mail/%s.%s", name, strcmp(lang, "en") ? "it" : "en");
    buf out;
    char err[256];
    buf_init(&out, MAIL_BYTES_MAX);
    bool ok = tmpl_render(ap->tmpl, tname, data, NULL, NULL, &out, err, sizeof err);
    const char *text = buf_cstr(&out);
    const char *sep = strstr(text, "\n\n");
    if (!ok || strncmp(text, "Subject: ", 9) || !sep) {
        log_error("mail_render", "template=%s error=\"%s\"", tname, ok ? "no Subject line" : err);
        buf_free(&out);
        return false;
    }
    *subject = arena_strndup(a, text + 9, (size_t)(sep - text - 9));
    *body = arena_strdup(a, sep + 2);
    buf_free(&out);
    return true;
}
