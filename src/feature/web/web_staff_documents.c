/* web_staff_documents.c - the back office's documents: /staff/documents
 * searches every organization's (number or buyer's name, status, kind, issue
 * dates), /staff/documents/{id} shows one as it was issued and, for an
 * invoice with lines left to credit, the credit note form (lines, reason)
 * that calls invoices_credit as the staff API does. /staff/reports offers
 * the revenue and OSS CSV downloads of reports.c, served here by session. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/number_text.h"
#include "core/zone.h"
#include "feature/auth/secret.h"
#include "feature/invoices/credit_notes.h"
#include "feature/invoices/documents.h"
#include "feature/invoices/documents_json.h"
#include "feature/invoices/reports.h"
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

/* The credit form of an invoice: each line with whether it was credited
 * (and whether it is ticked again after an error); NULL when nothing is left. */
static json_t *credit_form(http_request *r, const document *doc, const form *posted, bool *store_error)
{
    bool credited[DOC_LINES_MAX];
    if (doc->kind != DOC_INVOICE)
        return NULL;
    if (!invoices_credited(r->db, doc->id, credited)) {
        *store_error = true;
        return NULL;
    }
    json_t *lines = json_array();
    bool left = false;
    for (size_t p = 0; p < doc->line_count; p++) {
        bool ticked = false;
        int64_t v;
        for (size_t i = 0; posted && i < posted->count; i++)
            ticked = ticked || (!strcmp(posted->names[i], "line") &&
                                int_text_parse(posted->values[i], 0, DOC_LINES_MAX - 1, &v) && v == (int64_t)p);
        left = left || !credited[p];
        json_array_append_new(lines, json_pack("{s:I, s:s, s:b, s:b}", "position", (json_int_t)p, "description",
                                               doc->lines[p].description, "credited", credited[p], "ticked", ticked));
    }
    if (!left)
        return (void)json_decref(lines), NULL;
    return json_pack("{s:o, s:s}", "lines", lines, "reason",
                     posted && form_get(posted, "reason") ? form_get(posted, "reason") : "");
}

/* The document page; posted and errors (stolen, NULL = none) after a refused credit. */
static void document_page(http_request *r, int status, int64_t id, const form *posted, json_t *errors)
{
    int64_t org_id;
    document doc;
    doc_source src;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    bool err = false;
    if (!documents_owner(r->db, id, &org_id, &src) || !documents_get(r->db, 0, id, &doc, lines, DOC_LINES_MAX, &err)) {
        json_decref(errors);
        return err ? web_fail(r) : web_error_page(r, 404);
    }
    json_t *j = web_document_json(r, &doc), *credit = credit_form(r, &doc, posted, &err);
    if (err)
        return (void)json_decref(j), json_decref(errors), web_fail(r);
    json_object_set_new(j, "org_id", json_integer(org_id));
    json_t *data = json_pack("{s:o, s:o, s:o}", "doc", j, "credit", credit ? credit : json_null(), "errors",
                             errors ? errors : json_object());
    web_staff_page(r, status, "staff/document",
                   arena_printf(r->a, "%s %s", web_document_kind(r, doc_kind_name(doc.kind)), doc.number), "documents",
                   data);
}

static void get_document(http_request *r)
{
    int64_t id;
    if (!http_param_id(r, "document_id", &id))
        return web_error_page(r, 404);
    document_page(r, 200, id, NULL, NULL);
}

/* The ticked lines of the form into positions[]; *n = 0 when none. False when
 * a value is not a line position (a form not made by the page). */
static bool ticked_lines(const form *f, int64_t positions[DOC_LINES_MAX], size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < f->count; i++) {
        if (strcmp(f->names[i], "line"))
            continue;
        if (*n == DOC_LINES_MAX || !int_text_parse(f->values[i], 0, DOC_LINES_MAX - 1, &positions[*n]))
            return false;
        (*n)++;
    }
    return true;
}

/* POST /staff/documents/{id}/credit-notes: lines ticked, reason. */
static void post_credit_note(http_request *r)
{
    int64_t id, positions[DOC_LINES_MAX];
    form f;
    if (!http_param_id(r, "document_id", &id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    char key[SECRET_TOKEN_CHARS + 1];
    secret_token_new(key); /* a line is credited once: a double submit is refused, not replayed */
    credit_in in = {.invoice_id = id, .positions = positions, .staff_id = r->staff_id, .ip = r->client_ip,
                    .key = arena_printf(r->a, "staff:%" PRId64 ":web:%s", r->staff_id, key)};
    json_t *errors = json_object();
    bool lines_ok = ticked_lines(&f, positions, &in.n);
    in.reason = web_text(r, &f, "reason", CREDIT_REASON_MIN, CREDIT_REASON_MAX, errors);
    if (!lines_ok)
        json_object_set_new(errors, "lines", json_string(_("A line chosen is not on this invoice or was credited already.")));
    else if (in.n == 0)
        json_object_set_new(errors, "lines", json_string(_("Choose the lines to credit.")));
    if (json_object_size(errors))
        return document_page(r, 422, id, &f, errors);
    document note;
    doc_line *lines = arena_alloc(r->a, sizeof *lines * DOC_LINES_MAX);
    credit_result res = db_begin(r->db, DB_TX_WRITE) == DB_OK ? invoices_credit(r->db, r->app, &in, &note, lines)
                                                               : CREDIT_STORE_ERROR;
    if (res == CREDIT_OK && db_commit(r->db) != DB_OK)
        res = CREDIT_STORE_ERROR;
    if (db_in_tx(r->db))
        db_rollback(r->db);
    switch (res) {
    case CREDIT_OK:
        json_decref(errors);
        web_flash(r, "credit_note_issued");
        return http_redirect(r, arena_printf(r->a, "/staff/documents/%" PRId64, note.id));
    case CREDIT_NOT_FOUND:
        return (void)json_decref(errors), web_error_page(r, 404);
    case CREDIT_BAD_LINE:
    case CREDIT_ALREADY:
    case CREDIT_NOTHING_LEFT:
        json_object_set_new(errors, "lines", json_string(_("A line chosen is not on this invoice or was credited already.")));
        return document_page(r, 409, id, &f, errors);
    default:
        return (void)json_decref(errors), web_fail(r);
    }
}

enum { REPORT_YEARS = 6 }; /* this year and the five before */

/* The years and quarters to choose from, newest first. */
static void get_reports(http_request *r)
{
    char today[11];
    if (!zone_provider_date((int64_t)time(NULL), today))
        return web_fail(r);
    int year = atoi(today), quarter = (atoi(today + 5) - 1) / 3 + 1;
    json_t *years = json_array(), *quarters = json_array();
    for (int y = year; y > year - REPORT_YEARS; y--) {
        json_array_append_new(years, json_integer(y));
        for (int q = y == year ? quarter : 4; q >= 1; q--)
            json_array_append_new(quarters, json_string(arena_printf(r->a, "%04d-Q%d", y, q)));
    }
    web_staff_page(r, 200, "staff/reports", _("Reports"), "reports",
                   json_pack("{s:o, s:o}", "years", years, "quarters", quarters));
}

void web_staff_documents_routes(router *rt)
{
    router_add(rt, "GET", "/staff/documents", get_documents, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/documents/{document_id}", get_document, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/documents/{document_id}/credit-notes", post_credit_note, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/reports", get_reports, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/reports/revenue.csv", reports_answer_revenue, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "GET", "/staff/reports/oss.csv", reports_answer_oss, ROUTE_STAFF | ROUTE_PAGE);
}
