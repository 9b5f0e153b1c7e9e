/* sale_invoice.c - see sale_invoice.h. */
#include "feature/invoices/sale_invoice.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/invoices/invoices.h"
#include "feature/orgs/orgs.h"

bool invoices_org_language(db *d, int64_t org_id, char out[3])
{
    memcpy(out, "en", 3);
    int64_t admin = org_first_admin(d, org_id);
    return admin >= 0 && (admin == 0 || auth_user_language(d, admin, out));
}

/* Copies what fits of v (a frozen field is as long as document.h allows). */
static void set(char *dst, size_t size, const char *v)
{
    size_t n = strlen(v);
    if (n >= size)
        n = size - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

#define SET(dst, v) set((dst), sizeof(dst), (v))

/* The evidence the sale was taxed on replaces what document_frame read: the
 * billing address the order named may not be the default one. False on a
 * store error. */
static bool freeze_tax(db *d, int64_t org_id, document *doc, const sale_tax *tax)
{
    if (tax->address_id) {
        address a;
        if (!address_snapshot(d, org_id, tax->address_id, &a))
            return false;
        doc_address *b = &doc->buyer.address;
        SET(b->street, a.f.street);
        SET(b->extra, a.f.extra);
        SET(b->postal_code, a.f.postal_code);
        SET(b->city, a.f.city);
        SET(b->province, a.f.province);
        SET(b->country, a.f.country);
    }
    doc_vat *v = &doc->vat;
    snprintf(v->buyer_country, sizeof v->buyer_country, "%s", tax->evidence.billing_country);
    v->buyer_business = tax->evidence.business;
    snprintf(v->buyer_vat_id, sizeof v->buyer_vat_id, "%s", tax->evidence.vat_id);
    snprintf(v->decided_on, sizeof v->decided_on, "%s", tax->evidence.date);
    v->scheme = tax->decision.scheme;
    v->mention = tax->decision.mention;
    return true;
}

bool invoices_sale(db *d, const app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                   doc_line *lines, size_t n, const char *method, const doc_source *src, int64_t *doc_id)
{
    assert(db_in_tx(d) && org_id > 0 && tax && lines && n > 0 && n <= DOC_LINES_MAX && method && src && src->key);
    *doc_id = 0;
    document doc;
    vat_decision framed;
    if (!document_frame(d, ap, org_id, DOC_INVOICE, tax->evidence.date, currency_code, &doc, &framed) ||
        !freeze_tax(d, org_id, &doc, tax))
        return false;
    snprintf(doc.paid_date, sizeof doc.paid_date, "%s", tax->evidence.date);
    snprintf(doc.payment_method, sizeof doc.payment_method, "%s", method);
    for (size_t i = 0; i < n; i++)
        lines[i].rate_bp = tax->decision.rate_bp;
    doc.lines = lines;
    doc.line_count = n;
    switch (documents_issue(d, org_id, src, (int64_t)time(NULL), &doc)) {
    case DOCS_OK:
        assert(doc.net_minor == tax->net_minor && doc.vat_minor == tax->vat_minor);
        *doc_id = doc.id;
        return invoices_mail(d, ap, org_id, &doc);
    case DOCS_ALREADY_ISSUED:
        return true;
    default:
        return false;
    }
}
