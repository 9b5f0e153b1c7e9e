/* status_mail.c - the mail of an announcement, rendered once per language
 * (templates/mail/status_announcement.<lang>.txt): every organization gets
 * the text of its first administrator's language. */
#include "feature/status/status_internal.h"

#include <string.h>

#include "app.h"
#include "core/zone.h"
#include "mail/mail_render.h"

static const char *local_time(http_request *r, int64_t at)
{
    char text[64];
    if (!at)
        return "";
    zone_format(at, ZONE_PROVIDER, text, sizeof text);
    return arena_strdup(r->a, text);
}

bool status_mail_render(http_request *r, const announcement_row *a, bool update, const char *subject[2],
                        const char *body[2])
{
    static const char *const langs[2] = {"en", "it"};
    const app *ap = r->app;
    bool ok = true;
    for (int l = 0; ok && l < 2; l++) {
        json_t *data = json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:s, s:s}", "title", a->title[l],
                                 "body", a->body[l], "window", a->starts_at > 0, "starts_at", local_time(r, a->starts_at), "ends_at",
                                 local_time(r, a->ends_at), "provider", ap->cfg->provider.name, "update", update,
                                 "maintenance", !strcmp(a->kind, "maintenance"), "incident",
                                 !strcmp(a->kind, "incident"), "resolved", !strcmp(a->kind, "resolved"),
                                 "status_link", arena_printf(r->a, "%s/status", ap->cfg->base_url),
                                 "notifications_link", arena_printf(r->a, "%s/notifications", ap->cfg->base_url));
        ok = data && mail_render(ap, r->a, "status_announcement", langs[l], data, &subject[l], &body[l]);
        json_decref(data);
    }
    return ok;
}
