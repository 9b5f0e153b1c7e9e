/* account.c - deleting one's own account and exporting one's own data (see
 * account.h). Every read and write goes through another feature's header. */
#include "feature/account/account.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/ledger/ledger_query.h"
#include "feature/staff/staff.h"
#include "feature/wallet/wallet.h"
#include "http/json_in.h"

const char *const account_block_codes[ACCOUNT_BLOCK_COUNT] = {"last_admin", "balance"};

/* What deleting the account does to one membership. */
typedef enum { PLAN_LEAVE, PLAN_DELETE_ORG, PLAN_BLOCK_LAST_ADMIN, PLAN_BLOCK_BALANCE, PLAN_ERROR } plan;

/* True when any wallet of org holds money (or on a store error: fail closed). */
static bool has_money(db *d, int64_t org_id)
{
    ledger_wallet_row rows[LEDGER_WALLETS_MAX];
    int n = ledger_org_wallets(d, org_id, rows, LEDGER_WALLETS_MAX);
    if (n < 0)
        return true;
    for (int i = 0; i < n; i++)
        if (rows[i].balance_minor != 0)
            return true;
    return false;
}

static plan plan_for(http_request *r, int64_t user_id, int64_t org_id)
{
    org_member *m = arena_alloc(r->a, sizeof *m * ORG_MEMBERS_MAX);
    int n = org_members(r->db, org_id, m, ORG_MEMBERS_MAX);
    if (n < 0)
        return PLAN_ERROR;
    bool admin = false;
    int other_admins = 0, others = 0;
    for (int i = 0; i < n; i++) {
        if (m[i].user_id == user_id)
            admin = m[i].admin;
        else
            other_admins += m[i].admin, others++;
    }
    if (!admin || other_admins > 0)
        return PLAN_LEAVE;
    if (others > 0)
        return PLAN_BLOCK_LAST_ADMIN;
    return has_money(r->db, org_id) ? PLAN_BLOCK_BALANCE : PLAN_DELETE_ORG;
}

/* The user's organizations (ids and names) into ids/names; how many, -1 on error. */
static int user_orgs(http_request *r, int64_t user_id, int64_t *ids, const char **names)
{
    json_t *list = org_list_for_user(r->db, user_id), *o;
    size_t i;
    int n = 0;
    json_array_foreach(list, i, o) {
        if (n == ACCOUNT_ORGS_MAX)
            break;
        ids[n] = json_integer_value(json_object_get(o, "id"));
        names[n++] = arena_strdup(r->a, json_string_value(json_object_get(o, "name")));
    }
    json_decref(list);
    return n;
}

int account_blockers(http_request *r, int64_t user_id, account_blocker *out, size_t max)
{
    int64_t ids[ACCOUNT_ORGS_MAX];
    const char *names[ACCOUNT_ORGS_MAX];
    int n = user_orgs(r, user_id, ids, names);
    size_t found = 0;
    for (int i = 0; i < n && found < max; i++) {
        plan p = plan_for(r, user_id, ids[i]);
        if (p == PLAN_ERROR)
            return -1;
        if (p != PLAN_BLOCK_LAST_ADMIN && p != PLAN_BLOCK_BALANCE)
            continue;
        account_blocker *b = &out[found++];
        b->org_id = ids[i];
        snprintf(b->name, sizeof b->name, "%s", names[i]);
        b->reason = p == PLAN_BLOCK_BALANCE ? ACCOUNT_BLOCK_BALANCE : ACCOUNT_BLOCK_LAST_ADMIN;
    }
    assert(found <= max);
    return (int)found;
}

static account_result rollback(http_request *r, account_result res)
{
    db_rollback(r->db);
    return res;
}

account_result account_delete(http_request *r, int64_t user_id)
{
    assert(user_id > 0);
    int64_t ids[ACCOUNT_ORGS_MAX];
    const char *names[ACCOUNT_ORGS_MAX];
    plan plans[ACCOUNT_ORGS_MAX];
    if (db_begin(r->db, DB_TX_WRITE) != DB_OK)
        return ACCOUNT_STORE_ERROR;
    /* Decided inside the write transaction, so what was checked is what goes. */
    int n = user_orgs(r, user_id, ids, names);
    for (int i = 0; i < n; i++) {
        plans[i] = plan_for(r, user_id, ids[i]);
        if (plans[i] == PLAN_ERROR)
            return rollback(r, ACCOUNT_STORE_ERROR);
        if (plans[i] == PLAN_BLOCK_LAST_ADMIN || plans[i] == PLAN_BLOCK_BALANCE)
            return rollback(r, ACCOUNT_BLOCKED);
    }
    for (int i = 0; i < n; i++) {
        if (!org_remove_member(r->db, ids[i], user_id))
            return rollback(r, ACCOUNT_STORE_ERROR);
        if (plans[i] == PLAN_DELETE_ORG &&
            !org_delete_empty(r->db, ids[i]))
            return rollback(r, ACCOUNT_STORE_ERROR);
    }
    if (!auth_user_erase(r->db, user_id) || db_commit(r->db) != DB_OK)
        return rollback(r, ACCOUNT_STORE_ERROR);
    return ACCOUNT_DELETED;
}

/* Every ledger line of org's wallets, newest first, at most
 * ACCOUNT_EXPORT_LINES_MAX; NULL on a store error. */
static json_t *all_lines(http_request *r, int64_t org_id)
{
    json_t *all = json_array();
    int64_t before = 0;
    while (json_array_size(all) < ACCOUNT_EXPORT_LINES_MAX) {
        json_t *page = wallet_lines_json(r, org_id, before, LEDGER_PAGE_MAX - 1);
        if (!page)
            return json_decref(all), NULL;
        json_array_extend(all, json_object_get(page, "transactions"));
        json_t *next = json_object_get(page, "next_cursor");
        before = json_is_string(next) ? strtoll(json_string_value(next), NULL, 10) : 0;
        json_decref(page);
        if (!before)
            break;
    }
    return all;
}

/* {"id", "name", "billing_addresses", "notification_addresses"} of an
 * organization the user administers; NULL on a store error. */
static json_t *admin_org(http_request *r, int64_t org_id, const char *name)
{
    address *list = arena_alloc(r->a, sizeof *list * ADDRESSES_PER_ORG_MAX);
    int n = address_list(r->db, org_id, list, ADDRESSES_PER_ORG_MAX);
    json_t *notify = notify_addresses_json(r->db, org_id);
    if (n < 0 || !notify)
        return json_decref(notify), NULL;
    json_t *addrs = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(addrs, address_json(&list[i]));
    return json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)org_id, "name", name, "billing_addresses", addrs,
                     "notification_addresses", notify);
}

/* Wallets and ledger lines of an organization whose money the user sees. */
static json_t *money_of(http_request *r, int64_t org_id)
{
    json_t *w = wallet_list_json(r, org_id), *lines = all_lines(r, org_id);
    if (!w || !lines)
        return json_decref(w), json_decref(lines), NULL;
    json_t *o = json_pack("{s:I, s:O, s:o}", "organization_id", (json_int_t)org_id, "wallets",
                          json_object_get(w, "wallets"), "transactions", lines);
    json_decref(w);
    return o;
}

/* Audit entries whose subject is the user. */
static json_t *audit_about(http_request *r, int64_t user_id)
{
    staff_audit_entry *e = arena_alloc(r->a, sizeof *e * ACCOUNT_EXPORT_AUDIT_MAX);
    int n = staff_audit_about(r, "user", user_id, ACCOUNT_EXPORT_AUDIT_MAX, e);
    if (n < 0)
        return NULL;
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:s?}", "id", (json_int_t)e[i].id, "created_at",
                                              jout_time(e[i].created_at), "action", e[i].action, "ip", e[i].ip));
    return list;
}

json_t *account_export(http_request *r, int64_t user_id)
{
    json_t *doc = auth_user_export(r, user_id);
    if (!doc)
        return NULL;
    json_t *memberships = org_list_for_user(r->db, user_id), *orgs = json_array(), *wallets = json_array(), *m;
    json_object_set_new(doc, "memberships", memberships);
    json_object_set_new(doc, "organizations", orgs);
    json_object_set_new(doc, "wallets", wallets);
    size_t i;
    bool ok = true;
    json_array_foreach(memberships, i, m) {
        int64_t org_id = json_integer_value(json_object_get(m, "id"));
        if (!strcmp(json_string_value(json_object_get(m, "role")), "admin"))
            ok = ok && !json_array_append_new(orgs, admin_org(r, org_id, json_string_value(json_object_get(m, "name"))));
        if (json_is_true(json_object_get(m, "billing")))
            ok = ok && !json_array_append_new(wallets, money_of(r, org_id));
    }
    json_t *audit = audit_about(r, user_id);
    if (!ok || !audit)
        return json_decref(doc), json_decref(audit), NULL;
    json_object_set_new(doc, "audit", audit);
    json_object_set_new(doc, "format", json_string("saldo-export/1"));
    json_object_set_new(doc, "exported_at", jout_time((int64_t)time(NULL)));
    return doc;
}
