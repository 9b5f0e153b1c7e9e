/* bank_import.c - recording statement entries once, crediting the matched
 * ones, and the staff decisions on the others (see bank.h). */
#include "feature/bank/bank.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "core/money.h"
#include "feature/addresses/addresses.h"
#include "feature/auth/auth.h"
#include "feature/bank/bank_ref.h"
#include "feature/invoices/invoices.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "feature/orgs/orgs.h"
#include "feature/payments/payments.h"
#include "feature/renewals/renewals.h"
#include "feature/staff/staff.h"
#include "lib/arena.h"
#include "mail/mail_render.h"
#include "mail/outbox.h"

/* What crediting needs to know of a recorded entry. */
typedef struct bank_row {
    int64_t id;
    const char *entry_key;
    const char *account_iban;
    const char *currency;
    int64_t amount_minor;
} bank_row;

/* Queues "we received your transfer" to org's billing address. */
static bool mail_received(db *d, const app *ap, arena *a, int64_t org_id, const bank_row *e)
{
    char to[FIELD_EMAIL_MAX + 1], lang[3] = "en", name[ORG_NAME_MAX + 1], amount[MONEY_FORMAT_BYTES_MAX];
    char ref[BANK_REF_SIZE], ref_text[BANK_REF_FORMATTED_SIZE];
    int found = notify_address(d, org_id, NOTIFY_BILLING, to);
    if (found <= 0)
        return found == 0; /* nobody to tell */
    int64_t admin = org_first_admin(d, org_id);
    if (admin < 0 || (admin > 0 && !auth_user_language(d, admin, lang)) || !org_name(d, org_id, name, sizeof name))
        return false;
    const currency *cur = currency_find(e->currency);
    if (!cur || money_format(money_make(e->amount_minor, cur), lang, amount, sizeof amount) != MONEY_OK)
        return false;
    bank_ref_make(org_id, ref);
    bank_ref_format(ref, ref_text);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "amount", amount, "reference", ref_text, "org", name,
                             "billing_link", arena_printf(a, "%s/billing", ap->cfg->base_url),
                             "provider", ap->cfg->provider.name);
    const char *subject, *body;
    bool ok = data && mail_render(ap, a, "bank_received", lang, data, &subject, &body) &&
              outbox_enqueue(d, to, subject, body);
    json_decref(data);
    return ok;
}

/* Credits e to org_id's wallet inside the caller's write transaction: the
 * transfer, the entry's new state, the organization's audit entry, the mail. */
static bool credit(db *d, const app *ap, arena *a, const bank_row *e, int64_t org_id, int64_t staff_id)
{
    assert(db_in_tx(d) && org_id > 0 && e->amount_minor > 0);
    int64_t bank, wallet, transfer, invoice;
    bool topup = false;
    const char *code = arena_printf(a, "bank:%s", e->account_iban);
    if (ledger_system_account(d, code, e->currency, &bank) != LEDGER_OK ||
        ledger_wallet(d, org_id, e->currency, true, &wallet) != LEDGER_OK)
        return false;
    ledger_transfer t = {
        .debit_account_id = bank,
        .credit_account_id = wallet,
        .amount_minor = e->amount_minor,
        .currency = e->currency,
        .kind = "topup",
        .reference = arena_printf(a, "bank_entry:%" PRId64, e->id),
        .idempotency_key = arena_printf(a, "bank:%s", e->entry_key),
    };
    if (ledger_post(d, &t, &transfer) != LEDGER_OK ||
        !payment_settle_bank(d, org_id, e->currency, e->amount_minor, transfer, (int64_t)time(NULL), &topup))
        return false;
    db_stmt *s = db_prepare(d, "UPDATE bank_entries SET status = 'credited', org_id = $1, transfer_id = $2,"
                               " staff_id = $3, resolved_at = $4 WHERE id = $5");
    if (!s)
        return false;
    db_bind_int64(s, 1, org_id);
    db_bind_int64(s, 2, transfer);
    if (staff_id > 0)
        db_bind_int64(s, 3, staff_id);
    else
        db_bind_null(s, 3);
    db_bind_int64(s, 4, (int64_t)time(NULL));
    db_bind_int64(s, 5, e->id);
    if (db_exec1(s) != DB_DONE)
        return false;
    json_t *detail = json_pack("{s:{s:s, s:I}, s:I, s:I}", "amount", "currency", e->currency, "minor",
                               (json_int_t)e->amount_minor, "bank_entry_id", (json_int_t)e->id, "transfer_id",
                               (json_int_t)transfer);
    return org_audit_record_json(d, org_id, 0, "payment.received", detail, NULL) && mail_received(d, ap, a, org_id, e) &&
           invoices_receipt(d, ap, org_id, e->currency, e->amount_minor, "bank_transfer",
                            arena_printf(a, "bank_entry:%" PRId64, e->id), 0) &&
           (topup || renewals_proforma_settle_bank(d, ap, org_id, e->currency, e->amount_minor, (int64_t)time(NULL),
                                                   &invoice));
}

/* Records entry e of statement st under key; *id = 0 when it was imported before. */
static bool record(db *d, const camt_statement *st, const camt_entry *e, const char *key, bool queued,
                   int64_t *id)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO bank_entries (entry_key, account_iban, statement_id, entry_ref, credit, currency,"
        " amount_minor, booking_date, remittance, debtor_name, debtor_iban, status, imported_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        " ON CONFLICT (entry_key) DO NOTHING RETURNING id");
    if (!s)
        return false;
    db_bind_text(s, 1, key);
    db_bind_text(s, 2, st->iban);
    db_bind_text(s, 3, st->id);
    db_bind_text(s, 4, e->ref);
    db_bind_int64(s, 5, e->credit && !e->reversal);
    db_bind_text(s, 6, e->currency);
    db_bind_int64(s, 7, e->amount_minor);
    db_bind_text(s, 8, e->booking_date);
    db_bind_text(s, 9, e->remittance);
    db_bind_text(s, 10, e->debtor_name);
    db_bind_text(s, 11, e->debtor_iban);
    db_bind_text(s, 12, queued ? "unmatched" : "credited");
    db_bind_int64(s, 13, (int64_t)time(NULL));
    db_status rc = db_step(s);
    *id = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    return rc == DB_ROW || rc == DB_DONE;
}

/* 1 when org_id is an organization that was not deleted, 0 when not, -1 on
 * a store error (never mistaken for "no such organization"). */
static int org_live(db *d, int64_t org_id)
{
    org_profile p;
    int found = org_profile_get(d, org_id, &p);
    return found == 1 ? p.deleted_at == 0 : found;
}

/* The organization a credit names, if it is live; 0 for none, -1 on a store error. */
static int64_t match(db *d, const camt_entry *e)
{
    if (!e->credit || e->reversal)
        return 0;
    int64_t org = bank_ref_find(e->remittance);
    if (!org)
        return 0;
    int live = org_live(d, org);
    return live < 0 ? -1 : live ? org : 0;
}

static bool import_entries(db *d, const app *ap, arena *a, const camt_doc *doc, int64_t staff_id,
                           bank_import_counts *n)
{
    for (size_t k = 0; k < doc->statement_count; k++) {
        const camt_statement *st = &doc->statements[k];
        for (size_t i = 0; i < st->entry_count; i++) {
            const camt_entry *e = &doc->entries[st->first_entry + i];
            n->entries++;
            if (!e->booked) {
                n->not_booked++;
                continue;
            }
            /* The bank's own reference identifies the entry in any statement
             * (an intraday and an end-of-day statement repeat entries under
             * other statement ids); without it, its place in this statement. */
            const char *key = e->ref_from_servicer && e->ref[0] ? arena_printf(a, "%s:%s", st->iban, e->ref)
                              : e->ref[0] ? arena_printf(a, "%s:%s:%s", st->iban, st->id, e->ref)
                                          : arena_printf(a, "%s:%s:#%zu", st->iban, st->id, i + 1);
            int64_t org = match(d, e), id;
            if (org < 0 || !record(d, st, e, key, org == 0, &id))
                return false;
            if (!id) {
                n->duplicates++;
                continue;
            }
            bank_row row = {id, key, st->iban, e->currency, e->amount_minor};
            if (org && !credit(d, ap, a, &row, org, staff_id))
                return false;
            if (org)
                n->credited++;
            else
                n->unmatched++;
        }
    }
    return true;
}

bool bank_import(db *d, const app *ap, const camt_doc *doc, int64_t staff_id, const char *ip,
                 bank_import_counts *out)
{
    *out = (bank_import_counts){0};
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return false;
    arena *a = arena_new();
    char detail[160];
    snprintf(detail, sizeof detail, "{\"statements\":%zu,\"entries\":%zu}", doc->statement_count, doc->entry_count);
    bool ok = import_entries(d, ap, a, doc, staff_id, out) &&
              (staff_id == 0 || staff_audit(d, staff_id, "bank.import", "bank_statement", 0, detail, ip)) &&
              db_commit(d) == DB_OK;
    arena_free(a);
    if (!ok) {
        db_rollback(d);
        *out = (bank_import_counts){0};
    }
    return ok;
}

/* Reads queued entry id into *row (strings in a) and whether it is a credit. */
static bank_result pending(db *d, arena *a, int64_t id, bank_row *row, bool *is_credit)
{
    db_stmt *s = db_prepare(d, "SELECT entry_key, account_iban, currency, amount_minor, credit, status"
                               " FROM bank_entries WHERE id = $1");
    if (!s)
        return BANK_STORE_ERROR;
    db_bind_int64(s, 1, id);
    db_status rc = db_step(s);
    bank_result r = rc == DB_ROW ? BANK_OK : rc == DB_DONE ? BANK_NOT_FOUND : BANK_STORE_ERROR;
    if (r == BANK_OK) {
        *row = (bank_row){id, arena_strdup(a, db_col_text(s, 0)), arena_strdup(a, db_col_text(s, 1)),
                          arena_strdup(a, db_col_text(s, 2)), db_col_int64(s, 3)};
        *is_credit = db_col_int64(s, 4) == 1;
        if (strcmp(db_col_text(s, 5), "unmatched"))
            r = BANK_NOT_PENDING;
    }
    db_done(s);
    return r;
}

static bank_result finish(db *d, bank_result r)
{
    if (r == BANK_OK && db_commit(d) == DB_OK)
        return BANK_OK;
    db_rollback(d);
    return r == BANK_OK ? BANK_STORE_ERROR : r;
}

bank_result bank_assign(db *d, const app *ap, int64_t entry_id, int64_t org_id, int64_t staff_id, const char *ip)
{
    assert(staff_id > 0);
    char detail[96];
    bank_row row;
    bool is_credit = false;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return BANK_STORE_ERROR;
    arena *a = arena_new();
    bank_result r = pending(d, a, entry_id, &row, &is_credit);
    if (r == BANK_OK && !is_credit)
        r = BANK_NOT_CREDIT;
    int live = r == BANK_OK ? org_live(d, org_id) : 1;
    if (live <= 0)
        r = live < 0 ? BANK_STORE_ERROR : BANK_NO_ORG;
    snprintf(detail, sizeof detail, "{\"bank_entry_id\":%" PRId64 "}", entry_id);
    if (r == BANK_OK && (!credit(d, ap, a, &row, org_id, staff_id) ||
                         !staff_audit(d, staff_id, "bank.assign", "org", org_id, detail, ip)))
        r = BANK_STORE_ERROR;
    arena_free(a);
    return finish(d, r);
}

bank_result bank_ignore(db *d, int64_t entry_id, const char *note, int64_t staff_id, const char *ip)
{
    assert(staff_id > 0 && note && *note && strlen(note) <= BANK_NOTE_MAX);
    bank_row row;
    bool is_credit;
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return BANK_STORE_ERROR;
    arena *a = arena_new();
    bank_result r = pending(d, a, entry_id, &row, &is_credit);
    arena_free(a);
    db_stmt *s = r == BANK_OK ? db_prepare(d, "UPDATE bank_entries SET status = 'ignored', note = $1, staff_id = $2,"
                                              " resolved_at = $3 WHERE id = $4") : NULL;
    if (r == BANK_OK && !s)
        r = BANK_STORE_ERROR;
    if (s) {
        db_bind_text(s, 1, note);
        db_bind_int64(s, 2, staff_id);
        db_bind_int64(s, 3, (int64_t)time(NULL));
        db_bind_int64(s, 4, entry_id);
        json_t *detail = json_pack("{s:I, s:s}", "bank_entry_id", (json_int_t)entry_id, "note", note);
        char *text = json_dumps(detail, JSON_COMPACT);
        json_decref(detail);
        if (db_exec1(s) != DB_DONE || !text ||
            !staff_audit(d, staff_id, "bank.ignore", "bank_entry", entry_id, text, ip))
            r = BANK_STORE_ERROR;
        free(text);
    }
    return finish(d, r);
}
