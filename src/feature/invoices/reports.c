/* reports.c - revenue and OSS figures summed from issued documents, as RFC
 * 4180 CSV downloads (see reports.h). Amounts are plain decimals with the
 * currency's exponent, as in the transactions CSV. */
#include "feature/invoices/reports.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/currency.h"
#include "core/number_text.h"
#include "core/money.h"
#include "core/vat.h"
#include "feature/orgs/org_audit.h"
#include "lib/arena.h"
#include "lib/buf.h"

enum { REPORT_BYTES_MAX = 1024 * 1024 };

/* "2026" into *year (2000..9999). */
static bool parse_year(const char *text, int *year)
{
    int64_t y;
    if (!int_text_parse(text, 2000, 9999, &y))
        return false;
    *year = (int)y;
    return true;
}

/* "2026-Q3" into its first and last day. */
static bool parse_quarter(const char *text, char from[11], char to[11])
{
    static const char *const starts[] = {"01-01", "04-01", "07-01", "10-01"};
    static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};
    char y[5];
    int year;
    if (!text || strlen(text) != 7 || text[4] != '-' || text[5] != 'Q' || text[6] < '1' || text[6] > '4')
        return false;
    memcpy(y, text, 4);
    y[4] = '\0';
    if (!parse_year(y, &year))
        return false;
    int q = text[6] - '1';
    memcpy(from, text, 5); /* "2026-" */
    memcpy(from + 5, starts[q], 6);
    memcpy(to, text, 5);
    memcpy(to + 5, ends[q], 6);
    return true;
}

static void amount_cell(buf *out, int64_t minor, const currency *c)
{
    char text[MONEY_TEXT_BYTES_MAX];
    money_err e = money_format_plain(money_make(minor, c), text, sizeof text);
    assert(e == MONEY_OK);
    (void)e;
    buf_putc(out, ',');
    buf_puts(out, text);
}

static void send_csv(http_request *r, buf *out, const char *name)
{
    http_add_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"", name));
    http_add_header(r, "Cache-Control", "no-store");
    http_text(r, 200, "text/csv; charset=utf-8", buf_cstr(out), out->len);
}

/* The rows of s: text cells first (text_cells of them), then amounts. */
static bool rows(db_stmt *s, buf *out, int text_cells, int amounts, int currency_col)
{
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        const currency *c = currency_find(db_col_text(s, currency_col));
        if (!c)
            break;
        for (int i = 0; i < text_cells; i++) {
            if (i)
                buf_putc(out, ',');
            org_audit_csv_cell(out, db_col_text(s, i));
        }
        for (int i = 0; i < amounts; i++)
            amount_cell(out, db_col_int64(s, text_cells + i), c);
        buf_puts(out, "\r\n");
    }
    db_done(s);
    return st == DB_DONE && !out->overflow;
}

void reports_answer_revenue(http_request *r)
{
    int year;
    if (!parse_year(http_query(r, "year"), &year))
        return http_error(r, 422, "invalid_field", "year: expected a year as YYYY", "year");
    db_stmt *s = db_prepare(r->db,
        "SELECT substr(issue_date, 1, 7), currency,"
        " CAST(SUM(CASE WHEN kind = 'credit_note' THEN -net_minor ELSE net_minor END) AS BIGINT),"
        " CAST(SUM(CASE WHEN kind = 'credit_note' THEN -vat_minor ELSE vat_minor END) AS BIGINT),"
        " CAST(SUM(CASE WHEN kind = 'credit_note' THEN -gross_minor ELSE gross_minor END) AS BIGINT)"
        " FROM documents WHERE kind IN ('invoice', 'credit_note') AND issue_date >= $1 AND issue_date <= $2"
        " GROUP BY substr(issue_date, 1, 7), currency ORDER BY substr(issue_date, 1, 7), currency");
    if (!s)
        return http_error(r, 500, "store_error", "cannot read the documents", NULL);
    db_bind_text(s, 1, arena_printf(r->a, "%04d-01-01", year));
    db_bind_text(s, 2, arena_printf(r->a, "%04d-12-31", year));
    buf out;
    buf_init(&out, REPORT_BYTES_MAX);
    buf_puts(&out, "month,currency,net,vat,gross\r\n");
    if (rows(s, &out, 2, 3, 1))
        send_csv(r, &out, arena_printf(r->a, "revenue-%04d.csv", year));
    else
        http_error(r, 500, "store_error", "cannot read the documents", NULL);
    buf_free(&out);
}

void reports_answer_oss(http_request *r)
{
    char from[11], to[11];
    const char *quarter = http_query(r, "quarter");
    if (!parse_quarter(quarter, from, to))
        return http_error(r, 422, "invalid_field", "quarter: expected a quarter as YYYY-Qn", "quarter");
    db_stmt *s = db_prepare(r->db,
        "SELECT d.vat_buyer_country, CAST(t.rate_bp AS TEXT), d.currency,"
        " CAST(SUM(CASE WHEN d.kind = 'credit_note' THEN -t.net_minor ELSE t.net_minor END) AS BIGINT),"
        " CAST(SUM(CASE WHEN d.kind = 'credit_note' THEN -t.vat_minor ELSE t.vat_minor END) AS BIGINT)"
        " FROM documents d JOIN document_totals t ON t.document_id = d.id"
        " WHERE d.kind IN ('invoice', 'credit_note') AND d.vat_scheme = 'oss'"
        " AND d.issue_date >= $1 AND d.issue_date <= $2"
        " GROUP BY d.vat_buyer_country, t.rate_bp, d.currency ORDER BY d.vat_buyer_country, t.rate_bp, d.currency");
    if (!s)
        return http_error(r, 500, "store_error", "cannot read the documents", NULL);
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    buf out;
    buf_init(&out, REPORT_BYTES_MAX);
    buf_puts(&out, "member_state,rate,currency,net,vat\r\n");
    bool ok = true;
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        const currency *c = currency_find(db_col_text(s, 2));
        int rate_bp = atoi(db_col_text(s, 1));
        char rate[8];
        if (!c || rate_bp < 0 || rate_bp > VAT_RATE_BP_MAX) {
            ok = false;
            break;
        }
        vat_rate_text(rate_bp, rate);
        org_audit_csv_cell(&out, db_col_text(s, 0));
        buf_putc(&out, ',');
        buf_puts(&out, rate);
        buf_putc(&out, ',');
        org_audit_csv_cell(&out, c->code);
        amount_cell(&out, db_col_int64(s, 3), c);
        amount_cell(&out, db_col_int64(s, 4), c);
        buf_puts(&out, "\r\n");
    }
    db_done(s);
    if (ok && st == DB_DONE && !out.overflow)
        send_csv(r, &out, arena_printf(r->a, "oss-%s.csv", quarter));
    else
        http_error(r, 500, "store_error", "cannot read the documents", NULL);
    buf_free(&out);
}
