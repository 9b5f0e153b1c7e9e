/* invoices_api.c - an organization's documents (billing right; anyone else
 * gets 404):
 *   GET /api/v1/orgs/{org_id}/invoices?status=&kind=&from=&to=&q=
 *   GET /api/v1/orgs/{org_id}/invoices/{invoice_id}
 * and staff's search of every document:
 *   GET /api/v1/staff/documents?status=&kind=&from=&to=&q= */
#include "feature/invoices/invoices_api.h"

#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/orgs/orgs.h"
#include "http/json_in.h"
#include "lib/arena.h"

static bool filter_args(http_request *r, doc_filter *f)
{
    const char *field, *message;
    if (doc_filter_parse(http_query(r, "status"), http_query(r, "kind"), http_query(r, "from"), http_query(r, "to"),
                         http_query(r, "q"), f, &field, &message))
        return true;
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
    return false;
}

static void answer_list(http_request *r, int64_t org_id)
{
    doc_filter f;
    if (!filter_args(r, &f))
        return;
    json_t *j = documents_list_json(r->db, org_id, &f, r->lang);
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the documents", NULL);
    http_json(r, 200, j);
}

static bool org_billing(http_request *r, int64_t *org_id)
{
    if (http_param_id(r, "org_id", org_id) && org_user_may(r->db, r->user_id, *org_id, ORG_NEED_BILLING))
        return true;
    http_error(r, 404, "not_found", "no such organization", NULL);
    return false;
}

static void list_invoices(http_request *r)
{
    int64_t org_id;
    if (org_billing(r, &org_id))
        answer_list(r, org_id);
}

static void get_invoice(http_request *r)
{
    int64_t org_id, id;
    if (!org_billing(r, &org_id))
        return;
    document doc;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    bool err = false;
    if (!http_param_id(r, "invoice_id", &id) || !documents_get(r->db, org_id, id, &doc, lines, DOC_LINES_MAX, &err))
        return err ? http_error(r, 500, "store_error", "cannot read the document", NULL)
                   : http_error(r, 404, "not_found", "no such document", NULL);
    http_json(r, 200, document_json(&doc, r->lang));
}

static void staff_documents(http_request *r)
{
    answer_list(r, 0);
}

void invoices_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices", list_invoices, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices/{invoice_id}", get_invoice, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/staff/documents", staff_documents, ROUTE_STAFF);
}
