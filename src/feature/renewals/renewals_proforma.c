/* renewals_proforma.c - pro-formas of To pay selections: what is to be paid,
 * with its VAT, due on the earliest expiry, payable by bank transfer (the
 * provider's IBAN and the organization's RF reference) or from the To pay
 * page. The selection is kept in proforma_items while the pro-forma is open;
 * paying exactly that selection (any path: renewals_pay) makes it paid, and
 * renewing one of its services otherwise (another selection, the billing run)
 * or a newer pro-forma for one of them cancels it (docs/INVOICES.md). */
#include "feature/renewals/renewals_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/zone.h"
#include "feature/invoices/documents.h"
#include "feature/invoices/sale_invoice.h"

/* A service is in at most one open pro-forma (a new one cancels the older
 * ones of its services), so a selection touches at most one per service. */
enum { PROFORMA_OPEN_MAX = RENEWALS_ITEMS_MAX };

/* The open pro-formas holding service_id, added to ids[*n] once each; false
 * on a store error. */
static bool open_of(db *d, int64_t service_id, int64_t *ids, int *n)
{
    db_stmt *s = db_prepare(d, "SELECT document_id FROM proforma_items WHERE service_id = $1 AND open = 1");
    if (!s)
        return false;
    db_bind_int64(s, 1, service_id);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        bool known = false;
        for (int i = 0; i < *n && !known; i++)
            known = ids[i] == id;
        if (!known) {
            assert(*n < PROFORMA_OPEN_MAX);
            ids[(*n)++] = id;
        }
    }
    db_done(s);
    return st == DB_DONE;
}

int renewals_proformas_open_in(db *d, int64_t first_id, int64_t last_id, int64_t *out, int max)
{
    assert(first_id <= last_id && max > 0);
    db_stmt *s = db_prepare(d, "SELECT DISTINCT service_id FROM proforma_items WHERE open = 1"
                               " AND service_id >= $1 AND service_id <= $2 ORDER BY service_id LIMIT $3");
    if (!s)
        return -1;
    db_bind_int64(s, 1, first_id);
    db_bind_int64(s, 2, last_id);
    db_bind_int64(s, 3, (int64_t)max + 1);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        if (n < max)
            out[n] = db_col_int64(s, 0);
        n++;
    }
    db_done(s);
    return st == DB_DONE ? n : -1;
}

/* Whether pro-forma doc_id asks for exactly this selection; -1 on a store error. */
static int same_selection(db *d, int64_t doc_id, const service *list, const renewal_item *items, int n)
{
    db_stmt *s = db_prepare(d, "SELECT service_id, period_months, expires_at FROM proforma_items WHERE document_id = $1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, doc_id);
    int rows = 0, matched = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        rows++;
        for (int i = 0; i < n; i++)
            if (list[i].id == db_col_int64(s, 0) && items[i].months == db_col_int64(s, 1) &&
                list[i].expires_at == db_col_int64(s, 2))
                matched++;
    }
    db_done(s);
    return st != DB_DONE ? -1 : rows == n && matched == n;
}

/* Whether doc_id is no longer unpaid (cancelled elsewhere: deleting the
 * organization cancels its pro-formas); false also on a store error. */
static bool settled_elsewhere(db *d, int64_t doc_id)
{
    doc_line *lines = calloc(DOC_LINES_MAX, sizeof *lines);
    if (!lines)
        abort();
    document doc;
    bool err = false, found = documents_get(d, 0, doc_id, &doc, lines, DOC_LINES_MAX, &err);
    free(lines);
    return found && doc.status != DOC_UNPAID;
}

static bool close_one(db *d, int64_t doc_id, bool paid, const char *date, const char *method)
{
    db_stmt *s = db_prepare(d, "UPDATE proforma_items SET open = 0 WHERE document_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, doc_id);
    return db_exec1(s) == DB_DONE &&
           (documents_set_status(d, doc_id, paid ? DOC_PAID : DOC_CANCELLED, paid ? date : NULL, paid ? method : NULL) ||
            settled_elsewhere(d, doc_id));
}

bool renewals_proformas_close(db *d, const service *list, const renewal_item *items, int n, int64_t now,
                              const char *method)
{
    assert(db_in_tx(d) && n > 0);
    int64_t ids[PROFORMA_OPEN_MAX];
    int found = 0;
    for (int i = 0; i < n; i++)
        if (!open_of(d, list[i].id, ids, &found))
            return false;
    char today[11];
    if (found && !zone_provider_date(now, today))
        return false;
    for (int i = 0; i < found; i++) {
        int same = method ? same_selection(d, ids[i], list, items, n) : 0;
        if (same < 0 || !close_one(d, ids[i], same == 1, today, method))
            return false;
    }
    return true;
}

bool renewals_proformas_renewed(db *d, const service *s, int months, int64_t now)
{
    renewal_item item = {s->id, months};
    return renewals_proformas_close(d, s, &item, 1, now, NULL);
}

static bool insert_items(db *d, int64_t doc_id, const service *list, const renewal_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO proforma_items (document_id, service_id, period_months, expires_at)"
                                   " VALUES ($1, $2, $3, $4)");
        if (!s)
            return false;
        db_bind_int64(s, 1, doc_id);
        db_bind_int64(s, 2, list[i].id);
        db_bind_int64(s, 3, items[i].months);
        db_bind_int64(s, 4, list[i].expires_at);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

/* Issues the pro-forma of the checked selection list: due on its earliest expiry. */
static bool issue(db *d, const app *ap, service_renew_cache *c, int64_t org_id, const service *list,
                  const renewal_item *items, int n, renewals_outcome *out)
{
    int64_t due = list[0].expires_at;
    for (int i = 1; i < n; i++)
        if (list[i].expires_at < due)
            due = list[i].expires_at;
    char due_date[11];
    doc_line *lines = calloc((size_t)n, sizeof *lines);
    if (!lines)
        abort();
    doc_source src = {0};
    bool ok = zone_provider_date(due, due_date) && renewals_doc_lines(d, c, org_id, list, items, n, out->net_minor, lines) &&
              invoices_proforma(d, ap, org_id, &out->tax, out->currency, lines, (size_t)n, due_date, &src,
                                &out->invoice_id) &&
              insert_items(d, out->invoice_id, list, items, n);
    free(lines);
    return ok;
}

renewals_result renewals_proforma(db *d, const app *ap, int64_t org_id, int64_t user_id, const renewal_item *items,
                                  int n, int64_t now, renewals_outcome *out)
{
    assert(d && db_in_tx(d) && org_id > 0 && n >= 1 && n <= RENEWALS_ITEMS_MAX);
    memset(out, 0, sizeof *out);
    service *list = calloc((size_t)n, sizeof *list);
    service_renew_cache *c = renewals_cache_new();
    if (!list)
        abort();
    renewals_result r = renewals_prepare(d, ap, c, org_id, user_id, items, n, now, list, out);
    if (r == RENEWALS_OK && (!renewals_proformas_close(d, list, items, n, now, NULL) ||
                             !issue(d, ap, c, org_id, list, items, n, out)))
        r = RENEWALS_STORE_ERROR;
    free(list);
    free(c);
    return r;
}
