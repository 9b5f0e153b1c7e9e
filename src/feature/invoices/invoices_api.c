/* invoices_api.c - an organization's documents (billing right; anyone else
 * gets 404):
 *   GET /api/v1/orgs/{org_id}/invoices?status=&kind=&from=&to=&q=
 *   GET /api/v1/orgs/{org_id}/invoices/{invoice_id}
 * and staff's search of every document and their credit notes:
 *   GET /api/v1/staff/documents?status=&kind=&from=&to=&q=
 *   POST /api/v1/staff/invoices/{invoice_id}/credit-notes {lines?, reason} + Idempotency-Key
 *   GET /api/v1/staff/reports/revenue?year=, GET /api/v1/staff/reports/oss?quarter= (CSV, reports.c) */
#include "feature/invoices/invoices_api.h"

#include <inttypes.h>

#include "app.h"
#include "feature/invoices/credit_notes.h"
#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/invoices/invoice_files.h"
#include "feature/invoices/reports.h"
#include "feature/orgs/orgs.h"
#include "http/idempotency.h"
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

/* GET .../invoices/{invoice_id}.pdf and .xml: the document as a file. */
static void get_file(http_request *r, invoice_file_kind kind)
{
    int64_t org_id, id;
    invoice_file_fail f;
    if (!org_billing(r, &org_id))
        return;
    if (!http_param_id(r, "invoice_id", &id))
        return http_error(r, 404, "not_found", "no such document", NULL);
    if (!invoice_file_send(r, org_id, id, kind, &f))
        http_error(r, f.status, f.code, f.why, NULL);
}

static void get_pdf(http_request *r)
{
    get_file(r, INVOICE_FILE_PDF_EXT);
}

static void get_xml(http_request *r)
{
    get_file(r, INVOICE_FILE_XML_EXT);
}

static void staff_documents(http_request *r)
{
    answer_list(r, 0);
}

/* "lines": absent (every line left) or 1..DOC_LINES_MAX positions (whole
 * numbers from 0). Answers 422 itself. */
static bool read_positions(http_request *r, json_t *b, credit_in *in)
{
    json_t *arr = json_object_get(b, "lines");
    in->positions = NULL;
    in->n = 0;
    if (!arr)
        return true;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > DOC_LINES_MAX) {
        http_error(r, 422, "invalid_field", "lines: a list of the invoice's line positions (from 0)", "lines");
        return false;
    }
    int64_t *pos = arena_alloc(r->a, sizeof *pos * json_array_size(arr));
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) >= DOC_LINES_MAX) {
            http_error(r, 422, "invalid_field", "lines: a list of the invoice's line positions (from 0)", "lines");
            return false;
        }
        pos[i] = json_integer_value(v);
    }
    in->positions = pos;
    in->n = json_array_size(arr);
    return true;
}

static void credit_fail(http_request *r, int status, const char *code, const char *message, const char *field)
{
    db_rollback(r->db);
    http_error(r, status, code, message, field);
}

static void post_credit_note(http_request *r)
{
    credit_in in = {.staff_id = r->staff_id, .ip = r->client_ip};
    json_t *b;
    idem k;
    if (!http_param_id(r, "invoice_id", &in.invoice_id))
        return http_error(r, 404, "not_found", "no such invoice", NULL);
    if (!jin_body(r, &b) ||
        !jin_string(r, b, "reason", JIN_REQUIRED, CREDIT_REASON_MIN, CREDIT_REASON_MAX, &in.reason) ||
        !read_positions(r, b, &in) || !idem_start(r, arena_printf(r->a, "staff:%" PRId64, r->staff_id), &k))
        return;
    in.key = arena_printf(r->a, "staff:%" PRId64 ":%s", r->staff_id, k.key);
    if (!idem_begin(r, &k))
        return;
    document note;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    switch (invoices_credit(r->db, r->app, &in, &note, lines)) {
    case CREDIT_OK:
        break;
    case CREDIT_NOT_FOUND:
        return credit_fail(r, 404, "not_found", "no such invoice", NULL);
    case CREDIT_BAD_LINE:
        return credit_fail(r, 422, "invalid_field", "lines: not a line of this invoice, or given twice", "lines");
    case CREDIT_ALREADY:
        return credit_fail(r, 409, "already_credited", "lines: a line given was credited before", "lines");
    case CREDIT_NOTHING_LEFT:
        return credit_fail(r, 409, "fully_credited", "every line of this invoice is credited already", NULL);
    default:
        return credit_fail(r, 500, "store_error", "the credit note could not be issued; nothing was changed", NULL);
    }
    idem_save_and_answer(r, &k, 201, document_json(&note, r->lang));
}

void invoices_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices", list_invoices, ROUTE_USER);
    /* before .../{invoice_id}, which would take "12.pdf" whole (router.h) */
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices/{invoice_id}.pdf", get_pdf, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices/{invoice_id}.xml", get_xml, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/invoices/{invoice_id}", get_invoice, ROUTE_USER);
    router_add(rt, "GET", "/api/v1/staff/documents", staff_documents, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/invoices/{invoice_id}/credit-notes", post_credit_note, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/reports/revenue", reports_answer_revenue, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/staff/reports/oss", reports_answer_oss, ROUTE_STAFF);
}
