/* user_mail.c - see user_mail.h. Texts come from templates/mail/<name>.<lang>.txt. */
#include "feature/auth/user_mail.h"

#include "app.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

static bool send_link(http_request *r, const char *tmpl, const char *to, const char *name,
                      const char *lang, const char *path, const char *token)
{
    const char *link = arena_printf(r->a, "%s%s?token=%s", r->app->cfg->base_url, path, token);
    json_t *data = json_pack("{s:s, s:s, s:s}", "name", name, "link", link,
                             "provider", r->app->cfg->provider.name);
    const char *subject, *body;
    bool ok = mail_render(r->app, r->a, tmpl, lang, data, &subject, &body) &&
              outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}

bool user_mail_verify(http_request *r, const char *to, const char *name, const char *lang, const char *token)
{
    return send_link(r, "verify", to, name, lang, "/verify", token);
}

bool user_mail_reset(http_request *r, const char *to, const char *name, const char *lang, const char *token)
{
    return send_link(r, "reset", to, name, lang, "/password/reset", token);
}
