/* credit_notes.c - a credit note for (some lines of) an invoice, with its
 * money back to the wallet (see credit_notes.h). The VAT of each rate on a
 * credit note is that of its credited nets (half up, once per rate), except
 * the note that credits the last lines of a rate: it takes exactly the VAT
 * the invoice charged at that rate minus what earlier notes gave back, so
 * the notes of an invoice add up to the invoice to the cent. */
#include "feature/invoices/credit_notes.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core/zone.h"
#include "feature/invoices/invoices.h"
#include "feature/ledger/ledger.h"
#include "feature/orgs/org_audit.h"
#include "feature/staff/staff.h"

bool invoices_credited(db *d, int64_t invoice_id, bool credited[DOC_LINES_MAX])
{
    memset(credited, 0, DOC_LINES_MAX * sizeof credited[0]);
    db_stmt *s = db_prepare(d, "SELECT position FROM document_credits WHERE invoice_id = $1");
    if (!s)
        return false;
    db_bind_int64(s, 1, invoice_id);
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        int64_t p = db_col_int64(s, 0);
        if (p >= 0 && p < DOC_LINES_MAX)
            credited[p] = true;
    }
    db_done(s);
    return st == DB_DONE;
}

/* The notes crediting $1 through documents_credits, each one's total at $2
 * by the totals' key (migration 0030). */
const char invoices_vat_credited_sql[] =
    "SELECT CAST(COALESCE(SUM(t.vat_minor), 0) AS BIGINT) FROM document_totals t"
    " JOIN documents c ON c.id = t.document_id WHERE c.credits_id = $1 AND t.rate_bp = $2";

/* The VAT earlier credit notes of the invoice gave back at rate_bp. */
static bool vat_credited(db *d, int64_t invoice_id, int rate_bp, int64_t *out)
{
    db_stmt *s = db_prepare(d, invoices_vat_credited_sql);
    if (!s)
        return false;
    db_bind_int64(s, 1, invoice_id);
    db_bind_int64(s, 2, rate_bp);
    bool ok = db_step(s) == DB_ROW;
    if (ok)
        *out = db_col_int64(s, 0);
    db_done(s);
    return ok;
}

/* Marks the chosen positions in take[] (none given: every line left). */
static credit_result choose(const credit_in *in, const document *inv, const bool credited[], bool take[])
{
    memset(take, 0, DOC_LINES_MAX * sizeof take[0]);
    size_t chosen = 0;
    for (size_t i = 0; i < in->n; i++) {
        int64_t p = in->positions[i];
        if (p < 0 || (size_t)p >= inv->line_count || take[p])
            return CREDIT_BAD_LINE;
        if (credited[p])
            return CREDIT_ALREADY;
        take[p] = true;
        chosen++;
    }
    for (size_t p = 0; in->n == 0 && p < inv->line_count; p++)
        if (!credited[p])
            take[p] = true, chosen++;
    return chosen ? CREDIT_OK : CREDIT_NOTHING_LEFT;
}

/* The note's totals: vat_totals of its lines, and the rest of a rate's VAT
 * for the rates this note finishes crediting. */
static bool note_totals(db *d, const document *inv, const bool credited[], const bool take[], document *note)
{
    vat_line vl[DOC_LINES_MAX];
    for (size_t i = 0; i < note->line_count; i++)
        vl[i] = (vat_line){note->lines[i].rate_bp, note->lines[i].net_minor};
    if (!vat_totals(vl, note->line_count, note->totals, &note->total_count))
        return false;
    for (size_t t = 0; t < note->total_count; t++) {
        vat_total *nt = &note->totals[t];
        bool finishes = true;
        for (size_t p = 0; p < inv->line_count; p++)
            if (inv->lines[p].rate_bp == nt->rate_bp && !credited[p] && !take[p])
                finishes = false;
        if (!finishes)
            continue;
        int64_t before;
        if (!vat_credited(d, inv->id, nt->rate_bp, &before))
            return false;
        for (size_t i = 0; i < inv->total_count; i++)
            if (inv->totals[i].rate_bp == nt->rate_bp)
                nt->vat_minor = inv->totals[i].vat_minor - before;
        if (nt->vat_minor < 0)
            return false;
    }
    return true;
}

/* The credit note as a copy of the invoice's parties, evidence and chosen lines. */
static void frame_note(const credit_in *in, const document *inv, const bool take[], const char *today,
                       document *note, doc_line *lines)
{
    *note = *inv;
    note->id = 0;
    note->kind = DOC_CREDIT_NOTE;
    note->status = DOC_PAID;
    note->number[0] = '\0';
    snprintf(note->issue_date, sizeof note->issue_date, "%s", today);
    snprintf(note->paid_date, sizeof note->paid_date, "%s", today);
    snprintf(note->payment_method, sizeof note->payment_method, "balance");
    note->due_date[0] = note->iban[0] = note->bic[0] = note->reference[0] = '\0';
    snprintf(note->credits_number, sizeof note->credits_number, "%s", inv->number);
    snprintf(note->credits_date, sizeof note->credits_date, "%s", inv->issue_date);
    snprintf(note->note, sizeof note->note, "%s", in->reason);
    size_t n = 0;
    for (size_t p = 0; p < inv->line_count; p++)
        if (take[p])
            lines[n++] = inv->lines[p];
    note->lines = lines;
    note->line_count = n;
}

static bool record_credits(db *d, int64_t invoice_id, const bool take[], size_t count, int64_t note_id)
{
    for (size_t p = 0; p < count; p++) {
        if (!take[p])
            continue;
        db_stmt *s = db_prepare(d, "INSERT INTO document_credits (invoice_id, position, credit_note_id)"
                                   " VALUES ($1, $2, $3)");
        if (!s)
            return false;
        db_bind_int64(s, 1, invoice_id);
        db_bind_int64(s, 2, (int64_t)p);
        db_bind_int64(s, 3, note_id);
        if (db_exec1(s) != DB_DONE)
            return false;
    }
    return true;
}

/* from -> the wallet, amount > 0; key suffix names the part. */
static bool give_back(db *d, const char *account, int64_t wallet, const document *note, int64_t amount,
                      const char *key, const char *part)
{
    if (amount == 0)
        return true;
    int64_t from, transfer;
    char ref[48], k[256];
    snprintf(ref, sizeof ref, "credit_note:%" PRId64, note->id);
    snprintf(k, sizeof k, "%s:%s", key, part);
    if (ledger_system_account(d, account, note->currency, &from) != LEDGER_OK)
        return false;
    ledger_transfer t = {from, wallet, amount, note->currency, "refund", ref, k, 0};
    return ledger_post(d, &t, &transfer) == LEDGER_OK;
}

static bool audit(db *d, const credit_in *in, int64_t org_id, const document *inv, const document *note)
{
    json_t *detail = json_pack("{s:I, s:s, s:I, s:s, s:{s:s, s:I}, s:s}", "invoice_id", (json_int_t)inv->id,
                               "invoice_number", inv->number, "credit_note_id", (json_int_t)note->id,
                               "credit_note_number", note->number, "gross", "currency", note->currency, "minor",
                               (json_int_t)note->gross_minor, "reason", in->reason);
    char *text = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    if (!text)
        abort(); /* out of memory */
    bool ok = staff_audit(d, in->staff_id, "invoice.credit", "org", org_id, text, in->ip) &&
              org_audit_record(d, org_id, 0, "invoice.credit", text, NULL);
    free(text);
    return ok;
}

/* Locks the invoice's row until the transaction ends (a no-op update the
 * triggers allow), so that two credits of one invoice at once on PostgreSQL
 * run one after the other and the second sees the lines the first credited. */
static bool lock_invoice(db *d, int64_t invoice_id)
{
    db_stmt *s = db_prepare(d, "UPDATE documents SET status = status WHERE id = $1 AND kind = 'invoice'");
    if (!s)
        return false;
    db_bind_int64(s, 1, invoice_id);
    return db_exec1(s) == DB_DONE;
}

credit_result invoices_credit(db *d, const struct app *ap, const credit_in *in, document *out, doc_line *lines)
{
    assert(db_in_tx(d) && in->staff_id > 0 && in->key && in->reason);
    document inv;
    doc_line *inv_lines = calloc(DOC_LINES_MAX, sizeof *inv_lines);
    bool credited[DOC_LINES_MAX], take[DOC_LINES_MAX], err = false;
    int64_t org_id = 0, wallet;
    doc_source owner;
    char today[11];
    credit_result res = CREDIT_STORE_ERROR;
    if (!inv_lines)
        abort(); /* out of memory */
    if (!lock_invoice(d, in->invoice_id))
        goto done;
    if (!documents_get(d, 0, in->invoice_id, &inv, inv_lines, DOC_LINES_MAX, &err) || inv.kind != DOC_INVOICE) {
        res = err ? CREDIT_STORE_ERROR : CREDIT_NOT_FOUND;
        goto done;
    }
    if (!documents_owner(d, inv.id, &org_id, &owner) || !invoices_credited(d, inv.id, credited) ||
        !zone_provider_date((int64_t)time(NULL), today))
        goto done;
    if ((res = choose(in, &inv, credited, take)) != CREDIT_OK)
        goto done;
    res = CREDIT_STORE_ERROR;
    frame_note(in, &inv, take, today, out, lines);
    doc_source src = {.credits_id = inv.id, .keep_totals = true};
    if (!note_totals(d, &inv, credited, take, out) ||
        documents_issue(d, org_id, &src, (int64_t)time(NULL), out) != DOCS_OK ||
        !record_credits(d, inv.id, take, inv.line_count, out->id) ||
        ledger_wallet(d, org_id, out->currency, true, &wallet) != LEDGER_OK ||
        !give_back(d, "revenue", wallet, out, out->net_minor, in->key, "net") ||
        !give_back(d, "vat_payable", wallet, out, out->vat_minor, in->key, "vat"))
        goto done;
    bool all = true;
    for (size_t p = 0; p < inv.line_count; p++)
        all = all && (credited[p] || take[p]);
    if ((all && !documents_set_status(d, inv.id, DOC_CANCELLED, NULL, NULL)) || !audit(d, in, org_id, &inv, out) ||
        !invoices_mail(d, ap, org_id, out))
        goto done;
    res = CREDIT_OK;
done:
    free(inv_lines);
    return res;
}
