/* web_staff_documents.c - the back office's documents: /staff/documents
 * searches every organization's (number or buyer's name, status, kind, issue
 * dates), /staff/documents/{id} shows one as it was issued. Read only: what
 * the staff API's GET /api/v1/staff/documents answers, as pages. */
#include "feature/web/web_internal.h"

#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/web/web.h"

static const char *or_empty(const char *v)
{
    return v ? v : "";
}

static void get_documents(http_request *r)
{
    const char *status = http_query(r, "status"), *kind = http_query(r, "kind"), *from = http_query(r, "from"),
               *to = http_query(r, "to"), *q = http_query(r, "q");
    json_t *fields = json_pack("{s:o, s:o, s:s, s:s, s:s}", "statuses", web_document_choices(r, status, false),
                               "kinds", web_document_choices(r, kind, true), "from", or_empty(from), "to",
                               or_empty(to), "q", or_empty(q));
    json_t *page = json_pack("{s:o, s:o}", "form", fields, "errors", json_object());
    doc_filter f;
    const char *field, *message;
    if (!doc_filter_parse(status, kind, from, to, q, &f, &field, &message)) {
        json_object_set_new(json_object_get(page, "errors"), field, json_string(i18n_text(r->lang, message)));
        json_object_set_new(page, "invalid", json_true());
        return web_staff_page(r, 422, "staff/documents", _("Documents"), "documents", page);
    }
    json_t *list = documents_list_json(r->db, 0, &f, r->lang);
    if (!list)
        return (void)json_decref(page), web_fail(r);
    json_t *rows = json_object_get(list, "documents");
    web_document_rows(r, rows, "/staff/documents");
    json_object_set(page, "documents", rows);
    json_object_set_new(page, "has_documents", json_boolean(json_array_size(rows) > 0));
    json_decref(list);
    web_staff_page(r, 200, "staff/documents", _("Documents"), "documents", page);
}

static void get_document(http_request *r)
{
    int64_t id, org_id;
    document doc;
    doc_source src;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    bool err = false;
    if (!http_param_id(r, "document_id", &id) || !documents_owner(r->db, id, &org_id, &src) ||
        !documents_get(r->db, 0, id, &doc, lines, DOC_LINES_MAX, &err))
        return err ? web_fail(r) : web_error_page(r, 404);
    json_t *j = web_document_json(r, &doc);
    json_object_set_new(j, "org_id", json_integer(org_id));
    web_staff_page(r, 200, "staff/document",
                   arena_printf(r->a, "%s %s", web_document_kind(r, doc_kind_name(doc.kind)), doc.number), "documents",
                   json_pack("{s:o}", "doc", j));
}

void web_staff_documents_routes(router *rt)
{
    router_add(rt, "GET", "/staff/documents", get_documents, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/documents/{document_id}", get_document, ROUTE_STAFF | ROUTE_PAGE);
}
