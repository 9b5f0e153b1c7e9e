/* ledger_query.c - see ledger_query.h. */
#include "feature/ledger/ledger_query.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

/* In currency order straight from ledger_accounts_org_code (migration 0029). */
const char ledger_wallets_sql[] = "SELECT id, currency, balance_minor FROM ledger_accounts"
                                  " WHERE org_id = $1 AND code = 'wallet' ORDER BY currency";

int ledger_org_wallets(db *d, int64_t org_id, ledger_wallet_row *rows, size_t max)
{
    db_stmt *s = db_prepare(d, ledger_wallets_sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    size_t n = 0;
    db_status st;
    while (n < max && (st = db_step(s)) == DB_ROW) {
        rows[n].account_id = db_col_int64(s, 0);
        buf_copy_utf8(rows[n].currency, sizeof rows[n].currency, db_col_text(s, 1));
        rows[n].balance_minor = db_col_int64(s, 2);
        assert(rows[n].balance_minor >= 0);
        n++;
    }
    db_done(s);
    return (int)n;
}

/* The conditions of a ledger_filter on transfer t, parameters $2..$13. */
#define FILTER_SQL                                                                          \
    " AND t.created_at >= $2 AND t.created_at < $3 AND (CAST($4 AS TEXT) = '' OR t.currency = $4)" \
    " AND (CAST($5 AS BIGINT) = 0 OR t.kind = $6 OR t.kind = $7 OR t.kind = $8 OR t.kind = $9"           \
    " OR t.kind = $10 OR t.kind = $11 OR t.kind = $12 OR t.kind = $13)"

/* One side of one wallet's lines, newest first: the transfers crediting (sign
 * "") or debiting (sign "-") account $14 with $15 < id < $1, at most $16. The
 * equality on the account lets SQLite walk its (account, id) index backwards
 * and stop at the limit, however long the wallet's history. */
#define SIDE_SQL(sign, side)                                                                     \
    "SELECT t.id, t.created_at, t.currency, " sign "t.amount_minor AS amount, t.kind, t.reference" \
    " FROM ledger_transfers t WHERE t.id < $1" FILTER_SQL " AND t." side "_account_id = $14"       \
    " AND t.id > $15 ORDER BY t.id DESC LIMIT $16"

/* Binds f (NULL = no filter) to $first..$first+11 in the order of FILTER_SQL. */
static void bind_filter(db_stmt *s, int first, const ledger_filter *f)
{
    static const ledger_filter none;
    if (!f)
        f = &none;
    assert(f->nkinds <= LEDGER_FILTER_KINDS_MAX);
    db_bind_int64(s, first, f->from);
    db_bind_int64(s, first + 1, f->to > 0 ? f->to : INT64_MAX);
    db_bind_text(s, first + 2, f->currency);
    db_bind_int64(s, first + 3, (int64_t)f->nkinds);
    for (size_t i = 0; i < LEDGER_FILTER_KINDS_MAX; i++)
        db_bind_text(s, first + 4 + (int)i, i < f->nkinds ? f->kinds[i] : "");
}

/* Fills one line from columns id, created_at, currency, amount, kind, reference. */
static void read_line(db_stmt *s, ledger_line *l)
{
    l->transfer_id = db_col_int64(s, 0);
    l->created_at = db_col_int64(s, 1);
    buf_copy_utf8(l->currency, sizeof l->currency, db_col_text(s, 2));
    l->amount_minor = db_col_int64(s, 3);
    buf_copy_utf8(l->kind, sizeof l->kind, db_col_text(s, 4));
    buf_copy_utf8(l->reference, sizeof l->reference, db_col_text(s, 5));
    l->balance_after = 0;
}

const char ledger_lines_credit_sql[] = SIDE_SQL("", "credit");
const char ledger_lines_debit_sql[] = SIDE_SQL("-", "debit");

/* Up to limit lines of one side of one wallet, newer than after_id, into out;
 * -1 on store error. */
static int side_lines(db *d, const char *sql, int64_t account_id, const ledger_filter *f, int64_t before_id,
                      int64_t after_id, size_t limit, ledger_line *out)
{
    db_stmt *s = db_prepare(d, sql);
    if (!s)
        return -1;
    db_bind_int64(s, 1, before_id > 0 ? before_id : INT64_MAX);
    bind_filter(s, 2, f);
    db_bind_int64(s, 14, account_id);
    db_bind_int64(s, 15, after_id);
    db_bind_int64(s, 16, (int64_t)limit);
    size_t n = 0;
    db_status st = DB_DONE;
    while (n < limit && (st = db_step(s)) == DB_ROW)
        read_line(s, &out[n++]);
    db_done(s);
    return st == DB_ROW || st == DB_DONE ? (int)n : -1;
}

/* Merges the newest-first lists rows (n) and more (m) into rows, keeping the
 * newest limit; returns how many. tmp holds limit lines. */
static size_t merge_newest(ledger_line *rows, size_t n, const ledger_line *more, size_t m, size_t limit,
                           ledger_line *tmp)
{
    size_t i = 0, j = 0, k = 0;
    while (k < limit && (i < n || j < m))
        tmp[k++] = j >= m || (i < n && rows[i].transfer_id > more[j].transfer_id) ? rows[i++] : more[j++];
    memcpy(rows, tmp, k * sizeof *rows);
    return k;
}

int ledger_org_lines(db *d, int64_t org_id, int64_t before_id, size_t limit, ledger_line *rows)
{
    return ledger_org_lines_filtered(d, org_id, NULL, before_id, limit, rows);
}

/* Each wallet's two sides (credits, debits), each at most limit lines from
 * its index, merged newest first: the work is bounded by the page, not by
 * the history. Once the page is full, a side only reads lines newer than
 * its oldest. */
int ledger_org_lines_filtered(db *d, int64_t org_id, const ledger_filter *f, int64_t before_id, size_t limit,
                              ledger_line *rows)
{
    assert(limit > 0 && limit <= LEDGER_PAGE_MAX);
    ledger_wallet_row wallets[LEDGER_WALLETS_MAX];
    int nw = ledger_org_wallets(d, org_id, wallets, LEDGER_WALLETS_MAX);
    ledger_line *side = malloc(2 * limit * sizeof *side), *tmp = side + limit;
    if (!side)
        abort(); /* out of memory */
    size_t n = 0;
    bool ok = nw >= 0;
    for (int w = 0; ok && w < nw; w++) {
        if (f && f->currency[0] && strcmp(f->currency, wallets[w].currency))
            continue;
        for (int k = 0; ok && k < 2; k++) {
            int64_t after = n == limit ? rows[n - 1].transfer_id : 0;
            int m = side_lines(d, k ? ledger_lines_debit_sql : ledger_lines_credit_sql, wallets[w].account_id, f,
                               before_id, after, limit, side);
            ok = m >= 0;
            if (ok)
                n = merge_newest(rows, n, side, (size_t)m, limit, tmp);
        }
    }
    free(side);
    return ok ? (int)n : -1;
}

int ledger_org_lines_csv(db *d, int64_t org_id, const ledger_filter *f, size_t max,
                         bool (*row)(const ledger_line *line, void *ctx), void *ctx)
{
    /* The running balance needs every line of the wallet, so the filter applies
     * outside the window. */
    db_stmt *s = db_prepare(d,
        "SELECT id, created_at, currency, amount, kind, reference, balance FROM ("
        " SELECT l.id, l.created_at, l.currency, l.amount, l.kind, l.reference,"
        "  CAST(SUM(l.amount) OVER (PARTITION BY l.currency ORDER BY l.id ROWS UNBOUNDED PRECEDING) AS BIGINT)"
        "  AS balance FROM ("
        "   SELECT t.id, t.created_at, t.currency, t.amount_minor AS amount, t.kind, t.reference"
        "   FROM ledger_transfers t WHERE t.credit_account_id IN"
        "   (SELECT id FROM ledger_accounts WHERE org_id = $1 AND code = 'wallet')"
        "   UNION ALL"
        "   SELECT t.id, t.created_at, t.currency, -t.amount_minor, t.kind, t.reference"
        "   FROM ledger_transfers t WHERE t.debit_account_id IN"
        "   (SELECT id FROM ledger_accounts WHERE org_id = $1 AND code = 'wallet')"
        "  ) AS l"
        ") AS t WHERE t.id > 0" FILTER_SQL " ORDER BY t.id DESC LIMIT $14");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    bind_filter(s, 2, f);
    db_bind_int64(s, 14, (int64_t)max);
    size_t n = 0;
    db_status st;
    ledger_line l;
    while ((st = db_step(s)) == DB_ROW) {
        read_line(s, &l);
        l.balance_after = db_col_int64(s, 6);
        assert(l.balance_after >= 0);
        if (!row(&l, ctx)) {
            db_done(s);
            return -1;
        }
        n++;
    }
    db_done(s);
    return st == DB_DONE ? (int)n : -1;
}
