/* doc_fixture.c - see doc_fixture.h. */
#include "doc_fixture.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/vat.h"
#include "feature/bank/bank_ref.h"

static void seller(doc_party *s)
{
    snprintf(s->name, sizeof s->name, "Saldo Hosting S.r.l.");
    snprintf(s->vat_id, sizeof s->vat_id, "IT12345670017");
    snprintf(s->fiscal_code, sizeof s->fiscal_code, "12345670017");
    s->address = (doc_address){.postal_code = "00184", .province = "RM", .country = "IT"};
    snprintf(s->address.street, sizeof s->address.street, "Via Roma 1");
    snprintf(s->address.city, sizeof s->address.city, "Roma");
}

static void buyer(doc_party *b)
{
    snprintf(b->name, sizeof b->name, "Rossi & Figli S.p.A.");
    snprintf(b->vat_id, sizeof b->vat_id, "IT01234567897");
    snprintf(b->fiscal_code, sizeof b->fiscal_code, "RSSMRA80A01H501U");
    b->address = (doc_address){.postal_code = "20121", .province = "MI", .country = "IT"};
    snprintf(b->address.street, sizeof b->address.street, "Corso Buenos Aires 10");
    snprintf(b->address.extra, sizeof b->address.extra, "Scala B, interno 4");
    snprintf(b->address.city, sizeof b->address.city, "Milano");
    b->kind = DOC_BUYER_COMPANY;
    snprintf(b->sdi_code, sizeof b->sdi_code, "M5UXCR1");
}

static void line(doc_line *l, size_t i, int rate_bp)
{
    static const char *const names[] = {"Hosting Pro, example.com", "Domain renewal example.it",
                                        "VPS 4 GB RAM, 80 GB SSD, 2 vCPU, Frankfurt data centre, daily backups",
                                        "SSL certificate", "Managed email, 10 mailboxes"};
    memset(l, 0, sizeof *l);
    snprintf(l->description, sizeof l->description, "%s (%zu)", names[i % 5], i + 1);
    l->quantity = (int64_t)(i % 3) + 1;
    l->unit_net_minor = 1234 + (int64_t)i * 101;
    l->net_minor = l->quantity * l->unit_net_minor;
    l->rate_bp = rate_bp;
    if (i % 2 == 0) {
        snprintf(l->period_start, sizeof l->period_start, "2026-11-01");
        snprintf(l->period_end, sizeof l->period_end, "2027-10-31");
    }
}

void doc_fixture(document *doc, doc_line *lines, size_t n, doc_kind kind, const char *language)
{
    memset(doc, 0, sizeof *doc);
    doc->id = 1;
    doc->kind = kind;
    doc->status = kind == DOC_PROFORMA ? DOC_UNPAID : DOC_PAID;
    snprintf(doc->number, sizeof doc->number, "%s", kind == DOC_PROFORMA ? "PF-2026/000045" : "2026/000123");
    snprintf(doc->issue_date, sizeof doc->issue_date, "2026-11-22");
    snprintf(doc->language, sizeof doc->language, "%s", language);
    snprintf(doc->currency, sizeof doc->currency, "EUR");
    seller(&doc->seller);
    buyer(&doc->buyer);
    if (kind == DOC_PROFORMA) {
        snprintf(doc->due_date, sizeof doc->due_date, "2026-12-06");
        snprintf(doc->iban, sizeof doc->iban, "IT60X0542811101000000123456");
        snprintf(doc->bic, sizeof doc->bic, "BPPIITRRXXX");
        bank_ref_make(42, doc->reference);
    } else {
        snprintf(doc->paid_date, sizeof doc->paid_date, "2026-11-22");
        snprintf(doc->payment_method, sizeof doc->payment_method, "card");
    }
    snprintf(doc->vat.seller_country, sizeof doc->vat.seller_country, "IT");
    snprintf(doc->vat.buyer_country, sizeof doc->vat.buyer_country, "IT");
    doc->vat.scheme = VAT_SCHEME_DOMESTIC;
    int rate = kind == DOC_RECEIPT ? 0 : 2200;
    vat_line vl[1024];
    assert(n <= sizeof vl / sizeof vl[0]);
    for (size_t i = 0; i < n; i++) {
        line(&lines[i], i, rate);
        vl[i] = (vat_line){rate, lines[i].net_minor};
        doc->net_minor += lines[i].net_minor;
    }
    doc->lines = lines;
    doc->line_count = n;
    bool ok = vat_totals(vl, n, doc->totals, &doc->total_count);
    assert(ok);
    (void)ok;
    for (size_t i = 0; i < doc->total_count; i++)
        doc->vat_minor += doc->totals[i].vat_minor;
    doc->gross_minor = doc->net_minor + doc->vat_minor;
}
