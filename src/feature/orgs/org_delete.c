/* org_delete.c - deleting an organization: a registry of blockers, each a
 * function that says whether (and why) the organization may not go yet, and
 * the deletion itself, which keeps what the law needs and erases the rest.
 *
 * Blockers: a wallet that is not at zero (withdraw first), deleting your own
 * sign-up organization while you belong to no other, and services still
 * running; each is one function and one line in `blockers` below, reading
 * its own feature through that feature's header. No invoice can be unpaid: a
 * final invoice is issued only once paid, and the pro-formas of services that
 * have ended are cancelled with the deletion (invoices_archive.h). */
#include "feature/orgs/orgs.h"

#include "feature/addresses/addresses.h"
#include "feature/orgs/org_audit.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/currency.h"
#include "core/money.h"
#include "feature/invoices/invoices_archive.h"
#include "feature/ledger/ledger_query.h"
#include "feature/services/services.h"

#define N_(s) s

/* 1 when it blocks (out filled), 0 when not, -1 on a store error. */
typedef int (*org_blocker_fn)(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out);

/* Every wallet must be at zero: the money is the customer's until withdrawn. */
static int wallets_blocker(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out)
{
    (void)user_id;
    ledger_wallet_row rows[LEDGER_WALLETS_MAX];
    int n = ledger_org_wallets(r->db, org_id, rows, LEDGER_WALLETS_MAX);
    if (n < 0)
        return -1;
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        const currency *c = currency_find(rows[i].currency);
        char amount[64];
        if (!rows[i].balance_minor || !c || money_format(money_make(rows[i].balance_minor, c), r->lang, amount,
                                                         sizeof amount) != MONEY_OK)
            continue;
        int w = snprintf(out->detail + used, sizeof out->detail - used, "%s%s", used ? ", " : "", amount);
        if (w > 0 && (size_t)w < sizeof out->detail - used)
            used += (size_t)w;
    }
    if (!used)
        return 0;
    out->code = "wallet_not_empty";
    out->message = N_("Every wallet must be at zero: withdraw or spend the balance first.");
    return 1;
}

/* Your own sign-up organization goes only when you belong to another one. */
static int personal_blocker(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out)
{
    db_stmt *s = db_prepare(r->db,
        "SELECT o.personal, (SELECT COUNT(*) FROM memberships m JOIN orgs x ON x.id = m.org_id"
        "  WHERE m.user_id = $1 AND m.org_id <> o.id AND x.deleted_at IS NULL)"
        " FROM orgs o WHERE o.id = $2");
    if (!s)
        return -1;
    db_bind_int64(s, 1, user_id);
    db_bind_int64(s, 2, org_id);
    db_status st = db_step(s);
    bool blocks = st == DB_ROW && db_col_int64(s, 0) && db_col_int64(s, 1) == 0;
    db_done(s);
    if (st != DB_ROW)
        return -1;
    if (!blocks)
        return 0;
    out->code = "personal_organization";
    out->message = N_("This is your own organization: you can delete it only while you belong to another one.");
    return 1;
}

/* Services still running are terminated or cancelled first (by staff, or by
 * letting them expire): deleting would leave them unpaid or orphaned. */
static int services_blocker(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out)
{
    (void)user_id;
    int n = service_count_running(r->db, org_id);
    if (n <= 0)
        return n;
    snprintf(out->detail, sizeof out->detail, "%d", n);
    out->code = "services_running";
    out->message = N_("Services still running, to be terminated or cancelled first:");
    return 1;
}

static const struct {
    const char *name;
    org_blocker_fn fn;
} blockers[] = {
    {"wallets", wallets_blocker},
    {"personal", personal_blocker},
    {"services", services_blocker},
};
_Static_assert(sizeof blockers / sizeof blockers[0] <= ORG_BLOCKERS_MAX, "room for every blocker");

int org_delete_blockers(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out)
{
    int n = 0;
    for (size_t i = 0; i < sizeof blockers / sizeof blockers[0]; i++) {
        memset(&out[n], 0, sizeof out[n]);
        int res = blockers[i].fn(r, org_id, user_id, &out[n]);
        if (res < 0)
            return -1;
        if (res > 0) {
            assert(out[n].code && out[n].message);
            n++;
        }
    }
    assert(n <= ORG_BLOCKERS_MAX);
    return n;
}

bool org_erase(db *d, int64_t org_id)
{
    assert(db_in_tx(d) && org_id > 0);
    /* Personal data another feature keeps for the organization goes first.
     * Issued documents stay as issued, buyer block included: the law wants
     * them kept for its retention period (docs/INVOICES.md). */
    if (!address_erase_org(d, org_id))
        return false;
    char name[ORG_NAME_MAX + 1];
    snprintf(name, sizeof name, "Deleted organization #%lld", (long long)org_id);
    db_stmt *s = db_prepare(d,
        "UPDATE orgs SET name = $1, legal_name = NULL, vat_id = NULL, fiscal_code = NULL, sdi_code = NULL,"
        " pec = NULL, legal_rep_user_id = NULL, deleted_at = $2 WHERE id = $3 AND deleted_at IS NULL");
    if (!s)
        return false;
    db_bind_text(s, 1, name);
    db_bind_int64(s, 2, (int64_t)time(NULL));
    db_bind_int64(s, 3, org_id);
    if (db_exec1(s) != DB_DONE || db_changes(d) != 1 || !org_logo_delete(d, org_id))
        return false;
    /* Memberships, their access scopes, and invitations (they name people by
     * email); the organization's audit log stays, as the record of who did what. */
    static const char *const sql[] = {
        "DELETE FROM member_scopes WHERE org_id = $1",
        "DELETE FROM memberships WHERE org_id = $1",
        "DELETE FROM invitations WHERE org_id = $1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        s = db_prepare(d, sql[i]);
        if (!s)
            return false;
        db_bind_int64(s, 1, org_id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

org_delete_result org_delete(http_request *r, int64_t org_id, int64_t user_id, bool email_documents, org_blocker *out,
                             int *count)
{
    int mails = 0;
    *count = 0;
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return ORG_DELETE_STORE_ERROR;
    int n = org_delete_blockers(r, org_id, user_id, out);
    if (n != 0) {
        db_rollback(r->db);
        *count = n > 0 ? n : 0;
        return n > 0 ? ORG_DELETE_BLOCKED : ORG_DELETE_STORE_ERROR;
    }
    /* The audit entry is written first: the log outlives the erasure. */
    if (!org_audit_record(r->db, org_id, user_id, "org.deleted", "{}", r->client_ip) ||
        !invoices_cancel_proformas(r->db, org_id) ||
        (email_documents && !invoices_mail_archive(r->db, r->app, org_id, &mails)) || !org_erase(r->db, org_id) ||
        db_commit(r->db) != DB_OK) {
        db_rollback(r->db);
        return ORG_DELETE_STORE_ERROR;
    }
    return ORG_DELETE_OK;
}
