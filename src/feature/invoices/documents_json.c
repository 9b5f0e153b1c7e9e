/* documents_json.c - the lists and the JSON of documents (see
 * documents_json.h). */
#include "feature/invoices/documents_json.h"

#include <stdio.h>
#include <string.h>

#include "core/money.h"
#include "core/period.h"
#include "http/json_in.h"

#define N_(s) s /* marks an English message (a msgid) for scripts/extract-messages.py */

static bool one_of(const char *v, const char *(*name)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (!strcmp(v, name(i)))
            return true;
    return false;
}

static const char *kind_at(int i)
{
    return doc_kind_name((doc_kind)i);
}

static const char *status_at(int i)
{
    return doc_status_name((doc_status)i);
}

static bool date_ok(const char *v)
{
    int64_t t;
    return strlen(v) == 10 && period_parse_date(v, &t);
}

bool doc_filter_parse(const char *status, const char *kind, const char *from, const char *to, const char *q,
                      doc_filter *out, const char **field, const char **message)
{
    memset(out, 0, sizeof *out);
    const char *vals[] = {status, kind, from, to, q};
    for (size_t i = 0; i < 5; i++)
        if (!vals[i])
            vals[i] = "";
    if (vals[0][0] && !one_of(vals[0], status_at, DOC_STATUS_COUNT))
        return *field = "status", *message = N_("expected paid, unpaid or cancelled"), false;
    if (vals[1][0] && !one_of(vals[1], kind_at, DOC_KIND_COUNT))
        return *field = "kind", *message = N_("expected proforma, invoice, credit_note or receipt"), false;
    if (vals[2][0] && !date_ok(vals[2]))
        return *field = "from", *message = N_("expected a date as YYYY-MM-DD"), false;
    if (vals[3][0] && !date_ok(vals[3]))
        return *field = "to", *message = N_("expected a date as YYYY-MM-DD"), false;
    if (strlen(vals[4]) > DOCS_QUERY_MAX)
        return *field = "q", *message = N_("at most 64 characters"), false;
    snprintf(out->status, sizeof out->status, "%s", vals[0]);
    snprintf(out->kind, sizeof out->kind, "%s", vals[1]);
    memcpy(out->from, vals[2], strlen(vals[2]) + 1);
    memcpy(out->to, vals[3], strlen(vals[3]) + 1);
    memcpy(out->q, vals[4], strlen(vals[4]) + 1);
    return true;
}

static json_t *amount(int64_t minor, const char *code, const char *lang)
{
    const currency *cur = currency_find(code);
    return cur ? jout_money(money_make(minor, cur), lang) : json_null();
}

json_t *documents_list_json(db *d, int64_t org_id, const doc_filter *f, const char *lang)
{
    char like[2 * DOCS_QUERY_MAX + 3];
    if (!db_like_contains(f->q, like, sizeof like))
        return NULL;
    db_stmt *s = db_prepare(d, "SELECT id, org_id, kind, status, number, issue_date, buyer_name, currency, net_minor,"
                               " vat_minor, gross_minor FROM documents WHERE (org_id = $1 OR $1 = 0)"
                               " AND ($2 = '' OR status = $2) AND ($3 = '' OR kind = $3)"
                               " AND ($4 = '' OR issue_date >= $4) AND ($5 = '' OR issue_date <= $5)"
                               " AND (lower(number) LIKE $6 ESCAPE '\\'"
                               " OR ($1 = 0 AND lower(buyer_name) LIKE $6 ESCAPE '\\'))"
                               " ORDER BY issue_date DESC, id DESC LIMIT $7");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, f->status);
    db_bind_text(s, 3, f->kind);
    db_bind_text(s, 4, f->from);
    db_bind_text(s, 5, f->to);
    db_bind_text(s, 6, like);
    db_bind_int64(s, 7, DOCS_LIST_MAX);
    json_t *rows = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        const char *code = db_col_text(s, 7);
        json_array_append_new(
            rows, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)db_col_int64(s, 0),
                            "org_id", (json_int_t)db_col_int64(s, 1), "kind", db_col_text(s, 2), "status",
                            db_col_text(s, 3), "number", db_col_text(s, 4), "issue_date", db_col_text(s, 5),
                            "buyer_name", db_col_text(s, 6), "net", amount(db_col_int64(s, 8), code, lang), "vat",
                            amount(db_col_int64(s, 9), code, lang), "gross", amount(db_col_int64(s, 10), code, lang)));
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(rows);
        return NULL;
    }
    return json_pack("{s:o}", "documents", rows);
}

static json_t *text_or_null(const char *v)
{
    return v[0] ? json_string(v) : json_null();
}

static json_t *party_json(const doc_party *p, bool buyer)
{
    static const char *const kinds[] = {"person", "company", "public"};
    const doc_address *a = &p->address;
    json_t *j = json_pack("{s:s, s:o, s:o, s:{s:s, s:o, s:s, s:s, s:o, s:s}}", "name", p->name, "vat_id",
                          text_or_null(p->vat_id), "fiscal_code", text_or_null(p->fiscal_code), "address", "street",
                          a->street, "extra", text_or_null(a->extra), "postal_code", a->postal_code, "city", a->city,
                          "province", text_or_null(a->province), "country", a->country);
    if (buyer)
        json_object_update_new(j, json_pack("{s:s, s:o, s:o}", "kind", kinds[p->kind], "sdi_code",
                                            text_or_null(p->sdi_code), "pec", text_or_null(p->pec)));
    return j;
}

static json_t *vat_json(const doc_vat *v)
{
    const char *text = vat_mention_text(v->mention, v->seller_country);
    return json_pack("{s:s, s:s, s:b, s:o, s:s, s:s, s:o, s:s}", "seller_country", v->seller_country, "buyer_country",
                     v->buyer_country, "buyer_business", v->buyer_business, "buyer_vat_id",
                     text_or_null(v->buyer_vat_id), "scheme", vat_scheme_name(v->scheme), "mention",
                     vat_mention_name(v->mention), "mention_text", text ? json_string(text) : json_null(),
                     "decided_on", v->decided_on);
}

static json_t *lines_json(const document *doc, const char *lang)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < doc->line_count; i++) {
        const doc_line *l = &doc->lines[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:I, s:o, s:o, s:o, s:i, s:o, s:o}", "description", l->description, "quantity",
                           (json_int_t)l->quantity, "unit_net", amount(l->unit_net_minor, doc->currency, lang), "net",
                           amount(l->net_minor, doc->currency, lang), "discount",
                           amount(l->discount_minor, doc->currency, lang), "rate_bp", l->rate_bp, "period_start",
                           text_or_null(l->period_start), "period_end", text_or_null(l->period_end)));
    }
    return arr;
}

static json_t *totals_json(const document *doc, const char *lang)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < doc->total_count; i++) {
        const vat_total *t = &doc->totals[i];
        char rate[8];
        vat_rate_text(t->rate_bp, rate);
        json_array_append_new(arr, json_pack("{s:i, s:s, s:o, s:o}", "rate_bp", t->rate_bp, "rate", rate, "net",
                                             amount(t->net_minor, doc->currency, lang), "vat",
                                             amount(t->vat_minor, doc->currency, lang)));
    }
    return arr;
}

json_t *document_json(const document *doc, const char *lang)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:o, s:o, s:o}", "id",
                          (json_int_t)doc->id, "kind", doc_kind_name(doc->kind), "status",
                          doc_status_name(doc->status), "number", doc->number, "issue_date", doc->issue_date,
                          "due_date", text_or_null(doc->due_date), "paid_date", text_or_null(doc->paid_date),
                          "payment_method", text_or_null(doc->payment_method), "language", doc->language, "currency",
                          doc->currency, "seller", party_json(&doc->seller, false), "buyer",
                          party_json(&doc->buyer, true), "vat", vat_json(&doc->vat));
    json_object_update_new(
        j, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "lines", lines_json(doc, lang),
                     "totals", totals_json(doc, lang), "net", amount(doc->net_minor, doc->currency, lang), "vat_total",
                     amount(doc->vat_minor, doc->currency, lang), "gross", amount(doc->gross_minor, doc->currency, lang),
                     "credits_number", text_or_null(doc->credits_number), "credits_date",
                     text_or_null(doc->credits_date), "iban", text_or_null(doc->iban), "bic", text_or_null(doc->bic),
                     "reference", text_or_null(doc->reference), "note", text_or_null(doc->note)));
    return j;
}
