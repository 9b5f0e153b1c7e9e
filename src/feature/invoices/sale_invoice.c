/* sale_invoice.c - see sale_invoice.h. */
#include "feature/invoices/sale_invoice.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "feature/addresses/addresses.h"
#include "feature/bank/bank_ref.h"
#include "feature/invoices/invoices.h"
#include "render/i18n.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

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

/* The VAT evidence and decision the sale was taxed on, into doc. */
static void freeze_vat(document *doc, const sale_tax *tax)
{
    doc_vat *v = &doc->vat;
    snprintf(v->buyer_country, sizeof v->buyer_country, "%s", tax->evidence.billing_country);
    v->buyer_business = tax->evidence.business;
    snprintf(v->buyer_vat_id, sizeof v->buyer_vat_id, "%s", tax->evidence.vat_id);
    snprintf(v->decided_on, sizeof v->decided_on, "%s", tax->evidence.date);
    v->scheme = tax->decision.scheme;
    v->mention = tax->decision.mention;
}

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
    freeze_vat(doc, tax);
    return true;
}

/* Frames a document of kind for org_id taxed by tax (the caller adds what
 * its kind needs, then calls issue). */
static bool frame_doc(db *d, const app *ap, int64_t org_id, doc_kind kind, const sale_tax *tax,
                      const char *currency_code, document *doc)
{
    vat_decision framed;
    return document_frame(d, ap, org_id, kind, tax->evidence.date, currency_code, doc, &framed) &&
           freeze_tax(d, org_id, doc, tax);
}

/* Issues the framed doc with the n lines at the decision's rate: DOCS_OK,
 * DOCS_ALREADY_ISSUED (src's key issued one before) or an error. */
static docs_result issue_unmailed(db *d, int64_t org_id, const sale_tax *tax, document *doc, doc_line *lines,
                                  size_t n, const doc_source *src)
{
    for (size_t i = 0; i < n; i++)
        lines[i].rate_bp = tax->decision.rate_bp;
    doc->lines = lines;
    doc->line_count = n;
    docs_result r = documents_issue(d, org_id, src, (int64_t)time(NULL), doc);
    assert(r != DOCS_OK || (doc->net_minor == tax->net_minor && doc->vat_minor == tax->vat_minor));
    return r;
}

/* Issues the framed doc with the n lines at the decision's rate and mails it. */
static bool issue(db *d, const app *ap, int64_t org_id, const sale_tax *tax, document *doc, doc_line *lines,
                  size_t n, const doc_source *src, int64_t *doc_id)
{
    switch (issue_unmailed(d, org_id, tax, doc, lines, n, src)) {
    case DOCS_OK:
        *doc_id = doc->id;
        return invoices_mail(d, ap, org_id, doc);
    case DOCS_ALREADY_ISSUED:
        return true;
    default:
        return false;
    }
}

bool invoices_sale_frame(db *d, const app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                         const char *method, document *frame)
{
    assert(db_in_tx(d) && org_id > 0 && tax && method);
    if (!frame_doc(d, ap, org_id, DOC_INVOICE, tax, currency_code, frame))
        return false;
    SET(frame->paid_date, tax->evidence.date);
    SET(frame->payment_method, method);
    return true;
}

bool invoices_sale_frame_buyer(db *d, const app *ap, const sale_tax *tax, const sale_buyer *buyer,
                               const char *currency_code, const char *method, document *frame)
{
    assert(db_in_tx(d) && tax && buyer && method);
    assert(!tax->address_id || (buyer->has_address && buyer->address.id == tax->address_id));
    if (!document_frame_buyer(d, ap, &buyer->profile, buyer->has_address ? &buyer->address : NULL, DOC_INVOICE,
                              tax->evidence.date, currency_code, frame))
        return false;
    freeze_vat(frame, tax);
    SET(frame->paid_date, tax->evidence.date);
    SET(frame->payment_method, method);
    return true;
}

bool invoices_sale_framed(db *d, int64_t org_id, const sale_tax *tax, const document *frame, doc_line *lines,
                          size_t n, const doc_source *src, document *out)
{
    assert(db_in_tx(d) && org_id > 0 && tax && frame && frame->kind == DOC_INVOICE && lines && n > 0 &&
           n <= DOC_LINES_MAX && src && src->key);
    *out = *frame;
    switch (issue_unmailed(d, org_id, tax, out, lines, n, src)) {
    case DOCS_OK:
        return true;
    case DOCS_ALREADY_ISSUED:
        out->id = 0;
        return true;
    default:
        return false;
    }
}

bool invoices_sale(db *d, const app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                   doc_line *lines, size_t n, const char *method, const doc_source *src, int64_t *doc_id)
{
    assert(db_in_tx(d) && org_id > 0 && tax && lines && n > 0 && n <= DOC_LINES_MAX && method && src && src->key);
    *doc_id = 0;
    document doc;
    return invoices_sale_frame(d, ap, org_id, tax, currency_code, method, &doc) &&
           issue(d, ap, org_id, tax, &doc, lines, n, src, doc_id);
}

bool invoices_proforma(db *d, const app *ap, int64_t org_id, const sale_tax *tax, const char *currency_code,
                       doc_line *lines, size_t n, const char *due_date, const doc_source *src, int64_t *doc_id)
{
    assert(db_in_tx(d) && org_id > 0 && org_id <= BANK_REF_ID_MAX && tax && lines && n > 0 && n <= DOC_LINES_MAX);
    assert(due_date && strlen(due_date) == 10 && src && !src->key);
    *doc_id = 0;
    document doc;
    if (!frame_doc(d, ap, org_id, DOC_PROFORMA, tax, currency_code, &doc))
        return false;
    SET(doc.due_date, due_date);
    SET(doc.iban, ap->cfg->provider.iban);
    SET(doc.bic, ap->cfg->provider.bic);
    char ref[BANK_REF_SIZE];
    bank_ref_make(org_id, ref);
    SET(doc.reference, ref);
    SET(doc.note, i18n_text(doc.language, N_("Not an invoice: the invoice is issued when this is paid. Pay by bank "
                                             "transfer with the reference above, or from the To pay page.")));
    return issue(d, ap, org_id, tax, &doc, lines, n, src, doc_id);
}
