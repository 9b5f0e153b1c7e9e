/* wallet_csv.c - GET /api/v1/orgs/{org_id}/transactions.csv: the newest
 * WALLET_CSV_ROWS_MAX lines of the history that the filters let through, as an
 * RFC 4180 download (UTF-8, CRLF, a header row) for spreadsheets and
 * accountants. Amounts are plain decimals with the currency's exponent; text
 * cells that a spreadsheet would read as a formula are defused as in the
 * audit CSV. Billing right, as the JSON list; anyone else gets 404. */
#include "feature/wallet/wallet.h"

#include <assert.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/orgs/org_audit.h"
#include "http/json_in.h"

enum { WALLET_CSV_BYTES_MAX = 16 * 1024 * 1024 };

typedef struct csv_ctx {
    http_request *r;
    buf *out;
} csv_ctx;

/* An amount as a plain decimal ("-12.34", "1200" in JPY); a number, never a formula. */
static void amount_cell(buf *out, int64_t minor, const currency *c)
{
    char text[MONEY_TEXT_BYTES_MAX];
    money_err e = money_format_plain(money_make(minor, c), text, sizeof text);
    assert(e == MONEY_OK);
    (void)e;
    buf_puts(out, text);
}

static bool csv_line(const ledger_line *l, void *ctx_)
{
    csv_ctx *ctx = ctx_;
    const currency *c = currency_find(l->currency);
    assert(c);
    json_t *t = jout_time(l->created_at);
    org_audit_csv_cell(ctx->out, json_string_value(t));
    json_decref(t);
    buf_putc(ctx->out, ',');
    org_audit_csv_cell(ctx->out, l->kind);
    buf_putc(ctx->out, ',');
    org_audit_csv_cell(ctx->out, wallet_line_label(ctx->r->lang, l->kind, l->reference));
    buf_putc(ctx->out, ',');
    org_audit_csv_cell(ctx->out, l->reference);
    buf_putc(ctx->out, ',');
    amount_cell(ctx->out, l->amount_minor, c);
    buf_putc(ctx->out, ',');
    org_audit_csv_cell(ctx->out, c->code);
    buf_putc(ctx->out, ',');
    amount_cell(ctx->out, l->balance_after, c);
    buf_puts(ctx->out, ",\"completed\"\r\n");
    return !ctx->out->overflow;
}

static void get_transactions_csv(http_request *r)
{
    int64_t org_id;
    wallet_filter f;
    if (!wallet_api_org(r, &org_id) || !wallet_filter_args(r, &f))
        return;
    buf out;
    buf_init(&out, WALLET_CSV_BYTES_MAX);
    buf_puts(&out, "date,type,description,reference,amount,currency,balance_after,status\r\n");
    csv_ctx ctx = {r, &out};
    if (!f.completed || ledger_org_lines_csv(r->db, org_id, &f.ledger, WALLET_CSV_ROWS_MAX, csv_line, &ctx) >= 0) {
        http_add_header(r, "Content-Disposition",
                        arena_printf(r->a, "attachment; filename=\"transactions-%lld.csv\"", (long long)org_id));
        http_add_header(r, "Cache-Control", "no-store");
        http_text(r, 200, "text/csv; charset=utf-8", buf_cstr(&out), out.len);
    } else {
        http_error(r, 500, "store_error", "cannot read the transactions", NULL);
    }
    buf_free(&out);
}

void wallet_csv_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/transactions.csv", get_transactions_csv, ROUTE_USER);
}
