/* service_mail.c - the mails about a service: its activation (with the
 * product's instructions) and each change of its automatic renewal, queued in
 * the outbox inside the caller's transaction (see services.h). The language is
 * that of the organization's first administrator: organizations have none of
 * their own. */
#include "feature/services/services_internal.h"

#include <assert.h>

#include "app.h"
#include "core/zone.h"
#include "feature/addresses/addresses.h"
#include "feature/catalog/catalog.h"
#include "feature/catalog/catalog_text.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

json_t *service_mail_data(http_request *r, const service *s, const char *lang)
{
    catalog_product p;
    const char *instructions = "";
    char expires[11] = "";
    if (catalog_product_get(r->db, s->product_id, &p) != 1 ||
        catalog_product_instructions(r->db, r->a, s->product_id, lang, &instructions) != 1)
        return NULL;
    zone_provider_date(s->expires_at, expires);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "product", catalog_product_name(&p, lang),
                     "label", s->label, "instructions", instructions, "expires", expires,
                     "link", arena_printf(r->a, "%s/services/%lld", r->app->cfg->base_url, (long long)s->id),
                     "period", s->period_months, "provider", r->app->cfg->provider.name);
}

/* Renders template name with data (stolen) in lang and queues it to to. */
bool service_mail_send(http_request *r, const char *to, const char *name, const char *lang, json_t *data)
{
    if (!data)
        return false;
    const char *subject, *body;
    bool ok = mail_render(r->app, r->a, name, lang, data, &subject, &body) && outbox_enqueue(r->db, to, subject, body);
    json_decref(data);
    return ok;
}

bool service_mail_activated(http_request *r, const service *s)
{
    assert(db_in_tx(r->db) && s->id > 0);
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, s->org_id, NOTIFY_STATUS, to);
    if (found <= 0)
        return found == 0; /* 0: nobody to tell, an organization without administrators */
    char lang[3];
    notify_language(r->db, s->org_id, lang); /* English when unreadable */
    return service_mail_send(r, to, "service_activated", lang, service_mail_data(r, s, lang));
}

bool service_mail_auto_renew(http_request *r, const service *s)
{
    assert(db_in_tx(r->db) && s->id > 0);
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(r->db, s->org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0;
    char lang[3];
    notify_language(r->db, s->org_id, lang); /* English when unreadable */
    json_t *data = service_mail_data(r, s, lang);
    if (data)
        json_object_set_new(data, "on", json_boolean(s->auto_renew));
    return service_mail_send(r, to, "service_auto_renew", lang, data);
}
