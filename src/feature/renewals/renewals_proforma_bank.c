/* renewals_proforma_bank.c - a bank transfer that pays a pro-forma.
 *
 * A pro-forma asks for a bank transfer to the provider's IBAN with the
 * organization's RF reference. When the statement import credits such a
 * transfer of exactly an unpaid pro-forma's total, the customer meant to pay
 * it: its selection is renewed from the balance just credited, in the
 * import's transaction, and the final invoice says "bank transfer". Only
 * when the selection would cost exactly that today (same services, periods
 * and VAT): otherwise the money stays as balance for the customer to spend
 * from To pay, as any transfer's does (docs/INVOICES.md). */
#include "feature/renewals/renewals.h"

#include <assert.h>
#include <string.h>

#include "feature/orgs/orgs.h"

/* The oldest unpaid pro-forma of org_id for exactly amount in currency: 1 and
 * *doc_id, 0 when none, -1 on a store error. */
static int proforma_for(db *d, int64_t org_id, const char *currency_code, int64_t amount_minor, int64_t *doc_id)
{
    db_stmt *s = db_prepare(d, "SELECT id FROM documents WHERE org_id = $1 AND kind = 'proforma'"
                               " AND status = 'unpaid' AND currency = $2 AND gross_minor = $3 ORDER BY id LIMIT 1");
    if (!s)
        return -1;
    db_bind_int64(s, 1, org_id);
    db_bind_text(s, 2, currency_code);
    db_bind_int64(s, 3, amount_minor);
    db_status st = db_step(s);
    if (st == DB_ROW)
        *doc_id = db_col_int64(s, 0);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

/* The selection pro-forma doc_id asks for; how many items, -1 on a store error. */
static int proforma_items(db *d, int64_t doc_id, renewal_item *items)
{
    db_stmt *s = db_prepare(d, "SELECT service_id, period_months FROM proforma_items WHERE document_id = $1"
                               " ORDER BY service_id");
    if (!s)
        return -1;
    db_bind_int64(s, 1, doc_id);
    int n = 0;
    db_status st;
    while ((st = db_step(s)) == DB_ROW && n < RENEWALS_ITEMS_MAX)
        items[n++] = (renewal_item){db_col_int64(s, 0), (int)db_col_int64(s, 1)};
    db_done(s);
    return st == DB_ROW || st == DB_DONE ? n : -1;
}

bool renewals_proforma_settle_bank(db *d, const struct app *ap, int64_t org_id, const char *currency_code,
                                   int64_t amount_minor, int64_t now, int64_t *invoice_id)
{
    assert(db_in_tx(d) && amount_minor > 0);
    *invoice_id = 0;
    int64_t doc_id = 0;
    int found = proforma_for(d, org_id, currency_code, amount_minor, &doc_id);
    if (found <= 0)
        return found == 0;
    renewal_item items[RENEWALS_ITEMS_MAX];
    int n = proforma_items(d, doc_id, items);
    int64_t admin = n > 0 ? org_first_admin(d, org_id) : 0;
    if (n < 0 || admin < 0)
        return false;
    if (n == 0 || admin == 0)
        return true; /* nobody may renew for the organization: the money stays as balance */
    renewals_outcome out;
    renewals_result r = renewals_check(d, ap, org_id, admin, items, n, &out);
    if (r == RENEWALS_STORE_ERROR)
        return false;
    if (r != RENEWALS_OK || strcmp(out.currency, currency_code) || out.tax.gross_minor != amount_minor)
        return true; /* renewed otherwise, or it costs something else today */
    /* The balance holds at least the amount just credited, and nothing moved
     * since the check in this transaction: paying can only fail on the store. */
    if (renewals_pay(d, ap, org_id, admin, items, n, now, "bank_transfer", &out) != RENEWALS_OK)
        return false;
    *invoice_id = out.invoice_id;
    return true;
}
