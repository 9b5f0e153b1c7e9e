/* web_invoices.c - the organization's documents: /billing/invoices lists
 * them (filters by status, kind and issue dates, search by number in a GET
 * form) with a "Get invoice" link to each PDF, and /billing/invoices/{id}
 * shows one as it was issued. Only members with the billing right see
 * them; anyone else gets the 404 page, as in the API. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/invoices/invoice_files.h"
#include "feature/orgs/orgs.h"
#include "feature/web/web.h"

const char *web_document_kind(http_request *r, const char *kind)
{
    static const char *const labels[DOC_KIND_COUNT] = {N_("Pro-forma invoice"), N_("Invoice"), N_("Credit note"),
                                                       N_("Receipt")};
    for (int i = 0; i < DOC_KIND_COUNT; i++)
        if (!strcmp(kind, doc_kind_name((doc_kind)i)))
            return i18n_text(r->lang, labels[i]);
    return kind;
}

static const char *status_label(http_request *r, const char *status)
{
    static const char *const labels[DOC_STATUS_COUNT] = {N_("Unpaid"), N_("Paid"), N_("Cancelled")};
    for (int i = 0; i < DOC_STATUS_COUNT; i++)
        if (!strcmp(status, doc_status_name((doc_status)i)))
            return i18n_text(r->lang, labels[i]);
    return status;
}

/* The current organization if the user may see its money, else 0 (404 page sent). */
static int64_t billing_org(http_request *r)
{
    int64_t org = web_current_org(r);
    if (org && org_user_may(r->db, r->user_id, org, ORG_NEED_BILLING))
        return org;
    web_error_page(r, 404);
    return 0;
}

json_t *web_document_choices(http_request *r, const char *chosen, bool kinds)
{
    json_t *arr = json_array();
    int n = kinds ? DOC_KIND_COUNT : DOC_STATUS_COUNT;
    for (int i = 0; i < n; i++) {
        const char *v = kinds ? doc_kind_name((doc_kind)i) : doc_status_name((doc_status)i);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", v, "label",
                                             kinds ? web_document_kind(r, v) : status_label(r, v), "selected",
                                             chosen && !strcmp(chosen, v)));
    }
    return arr;
}

static const char *or_empty(const char *v)
{
    return v ? v : "";
}

void web_document_rows(http_request *r, json_t *rows, const char *url_prefix)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_int_t id = json_integer_value(json_object_get(row, "id"));
        json_object_set_new(row, "kind_label", json_string(web_document_kind(r, json_string_value(json_object_get(row, "kind")))));
        json_object_set_new(row, "status_label",
                            json_string(status_label(r, json_string_value(json_object_get(row, "status")))));
        json_object_set_new(row, "url", json_string(arena_printf(r->a, "%s/%lld", url_prefix, (long long)id)));
        json_object_set_new(row, "pdf_url", json_string(arena_printf(r->a, "/billing/invoices/%lld.pdf", (long long)id)));
    }
}

static void get_invoices(http_request *r)
{
    int64_t org = billing_org(r);
    if (!org)
        return;
    const char *status = http_query(r, "status"), *kind = http_query(r, "kind"), *from = http_query(r, "from"),
               *to = http_query(r, "to"), *q = http_query(r, "q");
    json_t *fields = json_pack("{s:o, s:o, s:s, s:s, s:s}", "statuses", web_document_choices(r, status, false), "kinds",
                             web_document_choices(r, kind, true), "from", or_empty(from), "to", or_empty(to), "q", or_empty(q));
    json_t *page = json_pack("{s:o, s:o, s:b}", "form", fields, "errors", json_object(), "filtered",
                             (status && *status) || (kind && *kind) || (from && *from) || (to && *to) || (q && *q));
    doc_filter f;
    const char *field, *message;
    if (!doc_filter_parse(status, kind, from, to, q, &f, &field, &message)) {
        json_object_set_new(json_object_get(page, "errors"), field, json_string(i18n_text(r->lang, message)));
        json_object_set_new(page, "invalid", json_true());
        return web_page(r, 422, "pages/invoices", _("Invoices"), "billing", page);
    }
    json_t *list = documents_list_json(r->db, org, &f, r->lang);
    if (!list)
        return (void)json_decref(page), web_fail(r);
    json_t *rows = json_object_get(list, "documents");
    web_document_rows(r, rows, "/billing/invoices");
    json_object_set(page, "documents", rows);
    json_object_set_new(page, "has_documents", json_boolean(json_array_size(rows) > 0));
    json_decref(list);
    web_page(r, 200, "pages/invoices", _("Invoices"), "billing", page);
}

/* The document's JSON with what the page prints: labels, the rates as
 * percentages, the mention in the page's language. */
json_t *web_document_json(http_request *r, const document *doc)
{
    json_t *j = document_json(doc, r->lang);
    json_object_set_new(j, "kind_label", json_string(web_document_kind(r, doc_kind_name(doc->kind))));
    json_object_set_new(j, "status_label", json_string(status_label(r, doc_status_name(doc->status))));
    json_object_set_new(j, "pdf_url", json_string(arena_printf(r->a, "/billing/invoices/%lld.pdf", (long long)doc->id)));
    const char *mention = vat_mention_text(doc->vat.mention, doc->vat.seller_country);
    if (mention)
        json_object_set_new(j, "mention", json_string(i18n_text(r->lang, mention)));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(j, "lines"), i, x)
        json_object_set_new(x, "rate", json_string(web_vat_rate(r, (int)json_integer_value(json_object_get(x, "rate_bp")))));
    json_array_foreach(json_object_get(j, "totals"), i, x)
        json_object_set_new(x, "rate", json_string(web_vat_rate(r, (int)json_integer_value(json_object_get(x, "rate_bp")))));
    return j;
}

static void get_invoice(http_request *r)
{
    int64_t id, org = billing_org(r);
    if (!org)
        return;
    document doc;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    bool err = false;
    if (!http_param_id(r, "invoice_id", &id) || !documents_get(r->db, org, id, &doc, lines, DOC_LINES_MAX, &err))
        return err ? web_fail(r) : web_error_page(r, 404);
    web_page(r, 200, "pages/invoice", arena_printf(r->a, "%s %s", web_document_kind(r, doc_kind_name(doc.kind)), doc.number),
             "billing", json_pack("{s:o}", "doc", web_document_json(r, &doc)));
}

/* GET /billing/invoices/{invoice_id}.pdf and .xml: "Get invoice". */
static void get_file(http_request *r, invoice_file_kind kind)
{
    int64_t id, org = billing_org(r);
    invoice_file_fail f;
    if (!org)
        return;
    if (!http_param_id(r, "invoice_id", &id))
        return web_error_page(r, 404);
    if (!invoice_file_send(r, org, id, kind, &f))
        web_error_page(r, f.status);
}

static void get_pdf(http_request *r)
{
    get_file(r, INVOICE_FILE_PDF_EXT);
}

static void get_xml(http_request *r)
{
    get_file(r, INVOICE_FILE_XML_EXT);
}

void web_invoices_routes(router *rt)
{
    router_add(rt, "GET", "/billing/invoices", get_invoices, ROUTE_USER | ROUTE_PAGE);
    /* before /billing/invoices/{invoice_id}, which would take "12.pdf" whole (router.h) */
    router_add(rt, "GET", "/billing/invoices/{invoice_id}.pdf", get_pdf, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/invoices/{invoice_id}.xml", get_xml, ROUTE_USER | ROUTE_PAGE);
    router_add(rt, "GET", "/billing/invoices/{invoice_id}", get_invoice, ROUTE_USER | ROUTE_PAGE);
}
