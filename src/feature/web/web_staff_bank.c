/* web_staff_bank.c - the back office's bank page: uploading a camt.053
 * statement (multipart; the same import as `saldo import-statement`), its
 * summary, and the queue of entries no reference matched, each assigned to
 * an organization (which credits it) or ignored with a note. The work is
 * feature/bank's; every action is in the staff audit log. */
#include "feature/web/web_internal.h"

#include <inttypes.h>
#include <string.h>

#include "app.h"
#include "core/number_text.h"
#include "core/money.h"
#include "feature/bank/bank.h"
#include "feature/web/web.h"
#include "http/multipart.h"

enum { WEB_BANK_QUEUE = 50 };

static const char *amount_text(http_request *r, const char *code, int64_t minor)
{
    const currency *c = currency_find(code);
    char text[MONEY_FORMAT_BYTES_MAX];
    if (!c || money_format(money_make(minor, c), r->lang, text, sizeof text) != MONEY_OK)
        return arena_printf(r->a, "%" PRId64 " %s", minor, code);
    return arena_strdup(r->a, text);
}

/* The summary of the last import, from the redirect's query. */
static json_t *summary(http_request *r)
{
    static const char *const keys[] = {"entries", "credited", "duplicates", "unmatched", "not_booked"};
    if (!http_query(r, "entries"))
        return json_null();
    json_t *s = json_object();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        int64_t n = 0;
        int_text_parse(http_query(r, keys[i]), 0, INT64_MAX, &n); /* a count, or 0 when it is not one */
        json_object_set_new(s, keys[i], json_integer(n));
    }
    return s;
}

/* The page: errors (stolen) for the upload form, or NULL. */
static void bank_page(http_request *r, int status, json_t *errors)
{
    bank_queued *q = arena_alloc(r->a, sizeof *q * WEB_BANK_QUEUE);
    int n = bank_queue(r->db, r->a, q, WEB_BANK_QUEUE);
    if (n < 0) {
        json_decref(errors);
        return web_fail(r);
    }
    json_t *rows = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:I, s:b, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)q[i].id,
            "credit", q[i].credit, "amount", amount_text(r, q[i].currency, q[i].amount_minor), "date",
            q[i].booking_date, "remittance", q[i].remittance, "debtor", q[i].debtor_name, "debtor_iban",
            q[i].debtor_iban, "statement", q[i].statement_id));
    web_staff_page(r, status, "staff/bank", _("Bank statements"), "bank",
                   json_pack("{s:o, s:b, s:o, s:o}", "queue", rows, "has_queue", n > 0, "summary", summary(r),
                             "errors", errors ? errors : json_object()));
}

static void get_bank(http_request *r)
{
    bank_page(r, 200, NULL);
}

static void upload_error(http_request *r, const char *message)
{
    bank_page(r, 422, json_pack("{s:s}", "statement", message));
}

/* POST /staff/bank/statements: the file in "statement". */
static void post_statement(http_request *r)
{
    const char *boundary = multipart_boundary(r->a, http_header(r, "Content-Type"));
    multipart m;
    if (!boundary || !multipart_parse(r->a, boundary, r->body, r->body_len, &m))
        return web_error_page(r, 400);
    const multipart_part *file = multipart_get(&m, "statement");
    if (!file || !file->len)
        return upload_error(r, _("Choose a camt.053 statement file."));
    camt_doc *doc = arena_alloc(r->a, sizeof *doc);
    char err[256];
    if (file->len > CAMT_INPUT_BYTES_MAX || !camt053_parse(file->data, file->len, doc, err, sizeof err))
        return upload_error(r, arena_printf(r->a, "%s: %s", _("The statement was not imported"),
                                            file->len > CAMT_INPUT_BYTES_MAX ? "file too large" : err));
    bank_import_counts c;
    if (!bank_import(r->db, r->app, doc, r->staff_id, r->client_ip, &c))
        return web_fail(r);
    http_redirect(r, arena_printf(r->a, "/staff/bank?entries=%d&credited=%d&duplicates=%d&unmatched=%d&not_booked=%d",
                                  c.entries, c.credited, c.duplicates, c.unmatched, c.not_booked));
}

/* After bank_assign or bank_ignore: the redirect, or the page with why. */
static void decided(http_request *r, bank_result res, const char *flash)
{
    switch (res) {
    case BANK_OK:
        web_flash(r, flash);
        return http_redirect(r, "/staff/bank");
    case BANK_NOT_FOUND:
        return web_error_page(r, 404);
    case BANK_NOT_PENDING:
    case BANK_NOT_CREDIT:
    case BANK_NO_ORG:
        return bank_page(r, 422, json_pack("{s:s}", "queue", res == BANK_NO_ORG ? _("There is no organization with that number.")
                                                     : res == BANK_NOT_CREDIT ? _("A debit cannot be credited to a wallet: ignore it with a note.")
                                                                              : _("This entry is no longer in the queue.")));
    default:
        return web_fail(r);
    }
}

static void post_assign(http_request *r)
{
    int64_t id;
    form f;
    if (!http_param_id(r, "entry_id", &id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    int64_t org_id;
    if (!int_text_id(form_get(&f, "org_id"), &org_id))
        return bank_page(r, 422, json_pack("{s:s}", "queue", _("Type the number of an organization.")));
    decided(r, bank_assign(r->db, r->app, id, org_id, r->staff_id, r->client_ip), "bank_assigned");
}

static void post_ignore(http_request *r)
{
    int64_t id;
    form f;
    if (!http_param_id(r, "entry_id", &id))
        return web_error_page(r, 404);
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *note = web_text(r, &f, "note", 1, BANK_NOTE_MAX, errors);
    if (!note) {
        json_decref(errors);
        return bank_page(r, 422, json_pack("{s:s}", "queue", _("Write a note saying why the entry is ignored.")));
    }
    json_decref(errors);
    decided(r, bank_ignore(r->db, id, note, r->staff_id, r->client_ip), "bank_ignored");
}

void web_staff_bank_routes(router *rt)
{
    router_add(rt, "GET", "/staff/bank", get_bank, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/bank/statements", post_statement, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/bank/entries/{entry_id}/assign", post_assign, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/bank/entries/{entry_id}/ignore", post_ignore, ROUTE_STAFF | ROUTE_PAGE);
}
