/* documents.c - issued documents in the store: the gapless numbering taken
 * with the issuing write, the frozen rows written and read back, and the
 * status changes the triggers of migration 0017 allow (see documents.h). */
#include "feature/invoices/documents.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"

static const char *const buyer_kind_names[] = {"person", "company", "public"};

const char *doc_series(doc_kind kind)
{
    static const char *const series[DOC_KIND_COUNT] = {"proforma", "invoice", "invoice", "receipt"};
    assert(kind < DOC_KIND_COUNT);
    return series[kind];
}

void doc_number_format(doc_kind kind, int year, int64_t seq, char out[DOC_NUMBER_MAX + 1])
{
    static const char *const prefix[DOC_KIND_COUNT] = {"PF-", "", "NC-", "RC-"};
    assert(kind < DOC_KIND_COUNT && year >= 2000 && year <= 9999 && seq > 0);
    snprintf(out, DOC_NUMBER_MAX + 1, "%s%04d/%06lld", prefix[kind], year, (long long)seq);
}

/* Runs sql ($1 series, $2 year): the first column of its row, 0 without a
 * row, -1 on a store error. */
static int64_t counter_step(db *d, const char *sql, const char *series, int year)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return -1;
    db_bind_text(s, 1, series);
    db_bind_int64(s, 2, year);
    db_status st = db_step(s);
    int64_t value = st == DB_ROW ? db_col_int64(s, 0) : st == DB_DONE ? 0 : -1;
    db_done(s);
    return value;
}

/* Bumps the counter of series in year: its new value, 0 when the row is
 * missing, -1 on a store error. The UPDATE's row lock makes concurrent issues
 * wait for each other's commit. PostgreSQL reads the value back with
 * RETURNING (one round trip while the counter is locked); SQLite, where
 * RETURNING builds a temporary table on every run (sqlite_returning.h), with
 * a SELECT after the UPDATE: the same value, as the write lock is held. */
static int64_t bump_seq(db *d, const char *series, int year)
{
    if (strcmp(db_driver_name(d), "sqlite"))
        return counter_step(d, "UPDATE document_counters SET last_value = last_value + 1"
                               " WHERE series = $1 AND year = $2 RETURNING last_value", series, year);
    int64_t r = counter_step(d, "UPDATE document_counters SET last_value = last_value + 1"
                                " WHERE series = $1 AND year = $2", series, year);
    if (r != 0 || db_changes(d) != 1)
        return r;
    r = counter_step(d, "SELECT last_value FROM document_counters WHERE series = $1 AND year = $2", series, year);
    return r > 0 ? r : -1;
}

/* The next number of series in year: the counter row is bumped, and created
 * first (ON CONFLICT DO NOTHING, never a constraint error) only by the first
 * document of its year, so a document costs one statement here (two on
 * SQLite). 0 on a store error. */
static int64_t next_seq(db *d, const char *series, int year)
{
    int64_t seq = bump_seq(d, series, year);
    if (seq != 0)
        return seq > 0 ? seq : 0;
    db_stmt *s = db_prepare(d, "INSERT INTO document_counters (series, year, last_value) VALUES ($1, $2, 0)"
                               " ON CONFLICT (series, year) DO NOTHING");
    if (!s)
        return 0;
    db_bind_text(s, 1, series);
    db_bind_int64(s, 2, year);
    if (db_exec1(s) != DB_DONE)
        return 0;
    seq = bump_seq(d, series, year);
    return seq > 0 ? seq : 0;
}

/* Totals per rate and the document's amounts from its lines; keep: the
 * caller's totals, checked to have the lines' rates and nets. */
static bool compute_totals(document *doc, bool keep)
{
    vat_line vl[DOC_LINES_MAX];
    vat_total computed[VAT_TOTALS_MAX];
    size_t count;
    if (doc->line_count > DOC_LINES_MAX)
        return false;
    for (size_t i = 0; i < doc->line_count; i++)
        vl[i] = (vat_line){.rate_bp = doc->lines[i].rate_bp, .net_minor = doc->lines[i].net_minor};
    if (!vat_totals(vl, doc->line_count, computed, &count))
        return false;
    if (keep && count != doc->total_count)
        return false;
    for (size_t i = 0; i < count; i++) {
        if (keep && (doc->totals[i].rate_bp != computed[i].rate_bp ||
                     doc->totals[i].net_minor != computed[i].net_minor || doc->totals[i].vat_minor < 0))
            return false;
        if (!keep)
            doc->totals[i] = computed[i];
    }
    doc->total_count = count;
    int64_t net = 0, vat = 0;
    for (size_t i = 0; i < doc->total_count; i++)
        if (!checked_add(net, doc->totals[i].net_minor, &net) || !checked_add(vat, doc->totals[i].vat_minor, &vat))
            return false;
    doc->net_minor = net;
    doc->vat_minor = vat;
    return checked_add(net, vat, &doc->gross_minor);
}

#define DOC_COLUMNS                                                                                         \
    "org_id, kind, status, series, year, seq, number, issue_date, due_date, paid_date, payment_method,"      \
    " language, currency, seller_name, seller_vat_id, seller_fiscal_code, seller_street, seller_extra,"      \
    " seller_postal_code, seller_city, seller_province, seller_country, buyer_name, buyer_vat_id,"           \
    " buyer_fiscal_code, buyer_street, buyer_extra, buyer_postal_code, buyer_city, buyer_province,"          \
    " buyer_country, buyer_kind, buyer_sdi_code, buyer_pec, vat_seller_country, vat_buyer_country,"         \
    " vat_buyer_business, vat_buyer_vat_id, vat_scheme, vat_mention, vat_decided_on, net_minor, vat_minor," \
    " gross_minor, credits_number, credits_date, iban, bic, reference, note"

typedef struct binder {
    db_stmt *s;
    int n;
} binder;

/* The document's texts live in *doc until the INSERT is done: not copied. */
static void bt(binder *b, const char *v)
{
    db_bind_text_kept(b->s, ++b->n, v);
}

static void bi(binder *b, int64_t v)
{
    db_bind_int64(b->s, ++b->n, v);
}

static void bind_party(binder *b, const doc_party *p)
{
    bt(b, p->name);
    bt(b, p->vat_id);
    bt(b, p->fiscal_code);
    bt(b, p->address.street);
    bt(b, p->address.extra);
    bt(b, p->address.postal_code);
    bt(b, p->address.city);
    bt(b, p->address.province);
    bt(b, p->address.country);
}

static void bind_id(binder *b, int64_t id)
{
    if (id > 0)
        bi(b, id);
    else
        db_bind_null(b->s, ++b->n);
}

static void bind_document(binder *b, int64_t org_id, int year, int64_t seq, const document *doc)
{
    bi(b, org_id);
    bt(b, doc_kind_name(doc->kind));
    bt(b, doc_status_name(doc->status));
    bt(b, doc_series(doc->kind));
    bi(b, year);
    bi(b, seq);
    bt(b, doc->number);
    bt(b, doc->issue_date);
    bt(b, doc->due_date);
    bt(b, doc->paid_date);
    bt(b, doc->payment_method);
    bt(b, doc->language);
    bt(b, doc->currency);
    bind_party(b, &doc->seller);
    bind_party(b, &doc->buyer);
    bt(b, buyer_kind_names[doc->buyer.kind]);
    bt(b, doc->buyer.sdi_code);
    bt(b, doc->buyer.pec);
    bt(b, doc->vat.seller_country);
    bt(b, doc->vat.buyer_country);
    bi(b, doc->vat.buyer_business);
    bt(b, doc->vat.buyer_vat_id);
    bt(b, vat_scheme_name(doc->vat.scheme));
    bt(b, vat_mention_name(doc->vat.mention));
    bt(b, doc->vat.decided_on);
    bi(b, doc->net_minor);
    bi(b, doc->vat_minor);
    bi(b, doc->gross_minor);
    bt(b, doc->credits_number);
    bt(b, doc->credits_date);
    bt(b, doc->iban);
    bt(b, doc->bic);
    bt(b, doc->reference);
    bt(b, doc->note);
}

static int64_t insert_document(db *d, int64_t org_id, int year, int64_t seq, const doc_source *src, int64_t now,
                               const document *doc)
{
    db_stmt *s = db_prepare(d, "INSERT INTO documents (" DOC_COLUMNS ", credits_id, source_key, order_id, renewal_id,"
                               " payment_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                               " $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29,"
                               " $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46,"
                               " $47, $48, $49, $50, $51, $52, $53, $54, $55, $56) RETURNING id");
    if (!s)
        return 0;
    binder b = {.s = s};
    bind_document(&b, org_id, year, seq, doc);
    bind_id(&b, src->credits_id);
    if (src->key)
        bt(&b, src->key);
    else
        db_bind_null(s, ++b.n);
    bind_id(&b, src->order_id);
    bind_id(&b, src->renewal_id);
    bind_id(&b, src->payment_id);
    bi(&b, now);
    assert(b.n == 56);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return id;
}

static bool insert_lines(db *d, int64_t doc_id, const document *doc)
{
    for (size_t i = 0; i < doc->line_count; i++) {
        const doc_line *l = &doc->lines[i];
        db_stmt *s = db_prepare(d, "INSERT INTO document_lines (document_id, position, description, quantity,"
                                   " unit_net_minor, net_minor, discount_minor, rate_bp, period_start, period_end)"
                                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        if (!s)
            return false;
        binder b = {.s = s};
        bi(&b, doc_id);
        bi(&b, (int64_t)i);
        bt(&b, l->description);
        bi(&b, l->quantity);
        bi(&b, l->unit_net_minor);
        bi(&b, l->net_minor);
        bi(&b, l->discount_minor);
        bi(&b, l->rate_bp);
        bt(&b, l->period_start);
        bt(&b, l->period_end);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    for (size_t i = 0; i < doc->total_count; i++) {
        db_stmt *s = db_prepare(d, "INSERT INTO document_totals (document_id, rate_bp, net_minor, vat_minor)"
                                   " VALUES ($1, $2, $3, $4)");
        if (!s)
            return false;
        db_bind_int64(s, 1, doc_id);
        db_bind_int64(s, 2, doc->totals[i].rate_bp);
        db_bind_int64(s, 3, doc->totals[i].net_minor);
        db_bind_int64(s, 4, doc->totals[i].vat_minor);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

static bool lines_valid(const document *doc)
{
    if (doc->line_count == 0 || doc->line_count > DOC_LINES_MAX)
        return false;
    for (size_t i = 0; i < doc->line_count; i++) {
        const doc_line *l = &doc->lines[i];
        int64_t gross;
        if (l->quantity <= 0 || l->discount_minor < 0 || !checked_mul(l->quantity, l->unit_net_minor, &gross) ||
            gross - l->discount_minor != l->net_minor)
            return false;
        if (doc->kind == DOC_RECEIPT && l->rate_bp != 0)
            return false;
    }
    return true;
}

int64_t documents_by_source(db *d, const char *key, bool *store_error)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM documents WHERE source_key = $1");
    if (!s) {
        *store_error = true;
        return 0;
    }
    db_bind_text(s, 1, key);
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    if (st != DB_ROW && st != DB_DONE)
        *store_error = true;
    return id;
}

docs_result documents_issue(db *d, int64_t org_id, const doc_source *src, int64_t now, document *doc)
{
    assert(db_in_tx(d) && org_id > 0 && doc->kind < DOC_KIND_COUNT && doc->status < DOC_STATUS_COUNT);
    assert((doc->kind == DOC_CREDIT_NOTE) == (src->credits_id > 0));
    if (!lines_valid(doc) || !compute_totals(doc, src->keep_totals) || strlen(doc->issue_date) != 10)
        return DOCS_INVALID;
    if (src->key && !src->key_new) {
        bool err = false;
        if (documents_by_source(d, src->key, &err) > 0)
            return DOCS_ALREADY_ISSUED;
        if (err)
            return DOCS_STORE_ERROR;
    }
    int year = atoi(doc->issue_date);
    if (year < 2000 || year > 9999)
        return DOCS_INVALID;
    int64_t seq = next_seq(d, doc_series(doc->kind), year);
    if (seq <= 0)
        return DOCS_STORE_ERROR;
    doc_number_format(doc->kind, year, seq, doc->number);
    int64_t id = insert_document(d, org_id, year, seq, src, now, doc);
    if (id <= 0 || !insert_lines(d, id, doc))
        return DOCS_STORE_ERROR;
    doc->id = id;
    return DOCS_OK;
}

static void copy(char *dst, size_t size, db_stmt *s, int col)
{
    const char *v = db_col_text(s, col);
    snprintf(dst, size, "%s", v ? v : "");
}

#define COPY(dst, col) copy((dst), sizeof(dst), s, (col))

static int read_party(db_stmt *s, int c, doc_party *p)
{
    COPY(p->name, c++);
    COPY(p->vat_id, c++);
    COPY(p->fiscal_code, c++);
    COPY(p->address.street, c++);
    COPY(p->address.extra, c++);
    COPY(p->address.postal_code, c++);
    COPY(p->address.city, c++);
    COPY(p->address.province, c++);
    COPY(p->address.country, c++);
    return c;
}

static int name_index(const char *name, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (name && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

static bool read_enum_columns(db_stmt *s, document *out)
{
    static const char *const schemes[] = {"domestic", "reverse_charge", "oss", "not_subject"};
    static const char *const mentions[] = {"none", "reverse_charge", "not_subject", "not_subject_eservice"};
    static const char *const kinds[] = {"proforma", "invoice", "credit_note", "receipt"};
    static const char *const statuses[] = {"unpaid", "paid", "cancelled"};
    int k = name_index(db_col_text(s, 2), kinds, 4), st = name_index(db_col_text(s, 3), statuses, 3);
    int bk = name_index(db_col_text(s, 32), buyer_kind_names, 3), sc = name_index(db_col_text(s, 39), schemes, 4);
    int me = name_index(db_col_text(s, 40), mentions, 4);
    if (k < 0 || st < 0 || bk < 0 || sc < 0 || me < 0)
        return false;
    out->kind = (doc_kind)k;
    out->status = (doc_status)st;
    out->buyer.kind = (doc_buyer_kind)bk;
    out->vat.scheme = (vat_scheme)sc;
    out->vat.mention = (vat_mention)me;
    return true;
}

/* One row of "SELECT id, " DOC_COLUMNS: column n of DOC_COLUMNS is n + 1. */
static bool read_document(db_stmt *s, document *out)
{
    memset(out, 0, sizeof *out);
    out->id = db_col_int64(s, 0);
    COPY(out->number, 7);
    COPY(out->issue_date, 8);
    COPY(out->due_date, 9);
    COPY(out->paid_date, 10);
    COPY(out->payment_method, 11);
    COPY(out->language, 12);
    COPY(out->currency, 13);
    int c = read_party(s, 14, &out->seller);
    c = read_party(s, c, &out->buyer);
    assert(c == 32);
    COPY(out->buyer.sdi_code, 33);
    COPY(out->buyer.pec, 34);
    COPY(out->vat.seller_country, 35);
    COPY(out->vat.buyer_country, 36);
    out->vat.buyer_business = db_col_int64(s, 37) != 0;
    COPY(out->vat.buyer_vat_id, 38);
    COPY(out->vat.decided_on, 41);
    out->net_minor = db_col_int64(s, 42);
    out->vat_minor = db_col_int64(s, 43);
    out->gross_minor = db_col_int64(s, 44);
    COPY(out->credits_number, 45);
    COPY(out->credits_date, 46);
    COPY(out->iban, 47);
    COPY(out->bic, 48);
    COPY(out->reference, 49);
    COPY(out->note, 50);
    return read_enum_columns(s, out);
}


static bool read_lines(db *d, document *out, doc_line *lines, size_t cap)
{
    db_stmt *s = db_prepare(d, "SELECT description, quantity, unit_net_minor, net_minor, discount_minor, rate_bp,"
                               " period_start, period_end FROM document_lines WHERE document_id = $1 ORDER BY position");
    if (!s)
        return false;
    db_bind_int64(s, 1, out->id);
    size_t n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < cap) {
        doc_line *l = &lines[n++];
        memset(l, 0, sizeof *l);
        COPY(l->description, 0);
        l->quantity = db_col_int64(s, 1);
        l->unit_net_minor = db_col_int64(s, 2);
        l->net_minor = db_col_int64(s, 3);
        l->discount_minor = db_col_int64(s, 4);
        l->rate_bp = (int)db_col_int64(s, 5);
        COPY(l->period_start, 6);
        COPY(l->period_end, 7);
    }
    db_done(s);
    out->lines = lines;
    out->line_count = n;
    return st == DB_DONE;
}

static bool read_totals(db *d, document *out)
{
    db_stmt *s = db_prepare(d, "SELECT rate_bp, net_minor, vat_minor FROM document_totals WHERE document_id = $1"
                               " ORDER BY rate_bp DESC");
    if (!s)
        return false;
    db_bind_int64(s, 1, out->id);
    db_status st;
    out->total_count = 0;
    while ((st = db_step(s)) == DB_ROW && out->total_count < VAT_TOTALS_MAX)
        out->totals[out->total_count++] = (vat_total){.rate_bp = (int)db_col_int64(s, 0),
                                                      .net_minor = db_col_int64(s, 1),
                                                      .vat_minor = db_col_int64(s, 2)};
    db_done(s);
    return st == DB_DONE;
}

bool documents_get(db *d, int64_t org_id, int64_t id, document *out, doc_line *lines, size_t cap, bool *store_error)
{
    db_stmt *s = db_prepare(d, "SELECT id, " DOC_COLUMNS " FROM documents WHERE id = $1 AND (org_id = $2 OR $2 = 0)");
    bool err = !s;
    bool found = false;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, org_id);
        db_status st = db_step(s);
        found = st == DB_ROW && read_document(s, out);
        err = st != DB_ROW && st != DB_DONE;
        db_done(s);
    }
    if (found && (!read_lines(d, out, lines, cap) || !read_totals(d, out)))
        found = false, err = true;
    if (err && store_error)
        *store_error = true;
    return found;
}

bool documents_owner(db *d, int64_t id, int64_t *org_id, doc_source *src)
{
    db_stmt *s = db_prepare(d, "SELECT org_id, COALESCE(order_id, 0), COALESCE(renewal_id, 0), COALESCE(payment_id, 0),"
                               " COALESCE(credits_id, 0) FROM documents WHERE id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        *org_id = db_col_int64(s, 0);
        *src = (doc_source){.order_id = db_col_int64(s, 1),
                            .renewal_id = db_col_int64(s, 2),
                            .payment_id = db_col_int64(s, 3),
                            .credits_id = db_col_int64(s, 4)};
    }
    db_done(s);
    return found;
}

bool documents_set_status(db *d, int64_t id, doc_status status, const char *paid_date, const char *method)
{
    assert(db_in_tx(d) && (status == DOC_PAID) == (paid_date != NULL && method != NULL));
    assert(status != DOC_UNPAID);
    /* The same conditions as the trigger documents_status, checked first so
     * PostgreSQL never aborts the caller's transaction on a refused change. */
    db_stmt *s = db_prepare(d, "UPDATE documents SET status = $1, paid_date = COALESCE($2, paid_date),"
                               " payment_method = COALESCE($3, payment_method) WHERE id = $4"
                               " AND ((status = 'unpaid' AND kind = 'proforma')"
                               " OR (status = 'paid' AND kind = 'invoice' AND $1 = 'cancelled'))");
    if (!s)
        return false;
    db_bind_text(s, 1, doc_status_name(status));
    db_bind_text(s, 2, paid_date);
    db_bind_text(s, 3, method);
    db_bind_int64(s, 4, id);
    return db_exec1(s) == DB_DONE && db_changes(d) == 1;
}
