/* invoices.c - issuing documents as money moves: what is frozen from the
 * configuration and the organization at issue, the receipt of a top-up, and
 * the mail that tells the organization (see invoices.h). */
#include "feature/invoices/invoices.h"
#include "feature/invoices/invoice_files.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "core/money.h"
#include "core/vat_id.h"
#include "core/zone.h"
#include "feature/addresses/addresses.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat_rates.h"
#include "lib/arena.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"
#include "render/i18n.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

/* Copies what fits of v (a frozen field is as long as document.h allows). */
static void set(char *dst, size_t size, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, v, n);
    dst[n] = '\0';
}

#define SET(dst, v) set((dst), sizeof(dst), (v))

/* The provider as every document names it: its address in parts (street,
 * postal code, city, province), as the buyer's is and as an e-invoice's <Sede>
 * needs it. */
static void frame_seller(const saldo_config *cfg, doc_party *s)
{
    SET(s->name, cfg->provider.name);
    SET(s->vat_id, cfg->provider.vat_id);
    SET(s->address.street, cfg->provider.street);
    SET(s->address.postal_code, cfg->provider.postal_code);
    SET(s->address.city, cfg->provider.city);
    SET(s->address.province, cfg->provider.province);
    SET(s->address.country, cfg->provider.country);
}

/* The buyer from the profile p and its billing address a (NULL: none, so
 * the provider's country, a consumer). True when it is a business (a valid
 * VAT ID). */
static bool frame_buyer(const saldo_config *cfg, const org_profile *p, const address *a, doc_party *b)
{
    SET(b->name, p->legal_name[0] ? p->legal_name : p->name);
    SET(b->vat_id, p->vat_id);
    SET(b->fiscal_code, p->fiscal_code);
    SET(b->sdi_code, p->sdi_code);
    SET(b->pec, p->pec);
    b->kind = p->kind == ORG_KIND_PUBLIC ? DOC_BUYER_PUBLIC : p->kind == ORG_KIND_COMPANY ? DOC_BUYER_COMPANY
                                                                                           : DOC_BUYER_PERSON;
    if (a) {
        SET(b->address.street, a->f.street);
        SET(b->address.extra, a->f.extra);
        SET(b->address.postal_code, a->f.postal_code);
        SET(b->address.city, a->f.city);
        SET(b->address.province, a->f.province);
    }
    SET(b->address.country, a ? a->f.country : cfg->provider.country);
    return p->vat_id[0] && vat_id_check(p->vat_id) == VAT_ID_OK;
}

bool document_frame_buyer(db *d, const app *ap, const org_profile *p, const address *a, doc_kind kind,
                          const char *date, const char *currency_code, document *doc)
{
    assert(p->id > 0 && strlen(date) == 10 && strlen(currency_code) == 3);
    memset(doc, 0, sizeof *doc);
    doc->kind = kind;
    doc->status = kind == DOC_PROFORMA ? DOC_UNPAID : DOC_PAID;
    SET(doc->issue_date, date);
    SET(doc->currency, currency_code);
    frame_seller(ap->cfg, &doc->seller);
    bool business = frame_buyer(ap->cfg, p, a, &doc->buyer);
    doc_vat *v = &doc->vat;
    SET(v->seller_country, ap->cfg->provider.country);
    SET(v->buyer_country, doc->buyer.address.country);
    v->buyer_business = business;
    SET(v->buyer_vat_id, doc->buyer.vat_id);
    SET(v->decided_on, date);
    return notify_language(d, p->id, doc->language);
}

bool document_frame(db *d, const app *ap, int64_t org_id, doc_kind kind, const char *date, const char *currency_code,
                    document *doc, vat_decision *decision)
{
    org_profile p;
    address a;
    int n;
    if (org_profile_get(d, org_id, &p) != 1 || (n = address_first(d, org_id, &a)) < 0 ||
        !document_frame_buyer(d, ap, &p, n ? &a : NULL, kind, date, currency_code, doc))
        return false;
    doc_vat *v = &doc->vat;
    vat_sale sale = {v->seller_country, v->buyer_country, v->buyer_business, true, date};
    vat_rates_ctx ctx = {d, false};
    if (vat_decide(&sale, vat_rates_lookup, &ctx, decision) != VAT_OK || ctx.store_error)
        return false;
    v->scheme = decision->scheme;
    v->mention = decision->mention;
    return true;
}

static bool today(char out[11])
{
    return zone_provider_date((int64_t)time(NULL), out);
}

bool invoices_receipt(db *d, const app *ap, int64_t org_id, const char *currency_code, int64_t amount_minor,
                      const char *method, const char *key, int64_t payment_id)
{
    assert(db_in_tx(d) && org_id > 0 && amount_minor > 0 && key);
    char date[11];
    document doc;
    vat_decision decision;
    if (!today(date) || !document_frame(d, ap, org_id, DOC_RECEIPT, date, currency_code, &doc, &decision))
        return false;
    /* A payment on account is not a supply: no VAT now, and no mention. */
    doc.vat.mention = VAT_MENTION_NONE;
    SET(doc.paid_date, date);
    SET(doc.payment_method, method);
    doc_line line = {.quantity = 1, .unit_net_minor = amount_minor, .net_minor = amount_minor, .rate_bp = 0};
    SET(line.description, i18n_text(doc.language, N_("Payment on account: top-up of the prepaid balance")));
    SET(doc.note, i18n_text(doc.language, N_("Not an invoice: VAT is charged on the invoice when the balance buys a "
                                             "service.")));
    doc.lines = &line;
    doc.line_count = 1;
    doc_source src = {.key = key, .payment_id = payment_id};
    switch (documents_issue(d, org_id, &src, (int64_t)time(NULL), &doc)) {
    case DOCS_OK:
        return invoices_mail(d, ap, org_id, &doc);
    case DOCS_ALREADY_ISSUED:
        return true;
    default:
        return false;
    }
}

static const char *kind_title(doc_kind k)
{
    static const char *const titles[DOC_KIND_COUNT] = {N_("Pro-forma invoice"), N_("Invoice"), N_("Credit note"),
                                                       N_("Receipt")};
    assert(k < DOC_KIND_COUNT);
    return titles[k];
}

bool invoices_mail(db *d, const app *ap, int64_t org_id, const document *doc)
{
    char to[FIELD_EMAIL_MAX + 1];
    int found = notify_address(d, org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0; /* nobody to tell */
    return invoices_mail_to(d, ap, to, doc);
}

bool invoices_mail_to(db *d, const app *ap, const char *to, const document *doc)
{
    char total[MONEY_FORMAT_BYTES_MAX];
    assert(to && *to);
    const currency *cur = currency_find(doc->currency);
    if (!cur || money_format(money_make(doc->gross_minor, cur), doc->language, total, sizeof total) != MONEY_OK)
        return false;
    arena *a = arena_new();
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", i18n_text(doc->language, kind_title(doc->kind)),
                             "number", doc->number, "total", total, "link",
                             arena_printf(a, "%s/billing/invoices/%" PRId64, ap->cfg->base_url, doc->id), "provider",
                             ap->cfg->provider.name);
    const char *subject, *body;
    bool ok = data && mail_render(ap, a, "new_document", doc->language, data, &subject, &body) &&
              outbox_enqueue_with_rendered(d, to, subject, body, INVOICE_FILE_PDF, &doc->id, 1); /* its PDF, made at send time */
    json_decref(data);
    arena_free(a);
    return ok;
}
