/* einvoice_docs.c - see einvoice_docs.h. */
#include "einvoice_docs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

doc_line tlines[TLINES_MAX];

void tline(size_t i, const char *text, int64_t quantity, int64_t unit, int64_t discount, int rate_bp)
{
    assert_true(i < TLINES_MAX);
    doc_line *l = &tlines[i];
    memset(l, 0, sizeof *l);
    snprintf(l->description, sizeof l->description, "%s", text);
    l->quantity = quantity;
    l->unit_net_minor = unit;
    l->discount_minor = discount;
    l->net_minor = quantity * unit - discount;
    l->rate_bp = rate_bp;
}

/* Totals per rate from the lines, as the invoices feature computes them. */
void tfinish(document *d, size_t n)
{
    assert_true(n <= TLINES_MAX);
    vat_line v[TLINES_MAX];
    for (size_t i = 0; i < n; i++)
        v[i] = (vat_line){tlines[i].rate_bp, tlines[i].net_minor};
    d->lines = tlines;
    d->line_count = n;
    assert_true(vat_totals(v, n, d->totals, &d->total_count));
    d->net_minor = d->vat_minor = 0;
    for (size_t i = 0; i < d->total_count; i++) {
        d->net_minor += d->totals[i].net_minor;
        d->vat_minor += d->totals[i].vat_minor;
    }
    d->gross_minor = d->net_minor + d->vat_minor;
}

void taddress(doc_address *a, const char *street, const char *cap, const char *city, const char *prov,
                    const char *country)
{
    snprintf(a->street, sizeof a->street, "%s", street);
    snprintf(a->postal_code, sizeof a->postal_code, "%s", cap);
    snprintf(a->city, sizeof a->city, "%s", city);
    snprintf(a->province, sizeof a->province, "%s", prov);
    snprintf(a->country, sizeof a->country, "%s", country);
}

/* An invoice of the Italian provider to an Italian company at 22%. */
document tbase(int64_t id)
{
    document d;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.kind = DOC_INVOICE;
    d.status = DOC_PAID;
    snprintf(d.number, sizeof d.number, "2026/%06lld", (long long)id);
    snprintf(d.issue_date, sizeof d.issue_date, "2026-03-15");
    snprintf(d.currency, sizeof d.currency, "EUR");
    snprintf(d.seller.name, sizeof d.seller.name, "Saldo Hosting S.r.l.");
    snprintf(d.seller.vat_id, sizeof d.seller.vat_id, "IT12345670017");
    taddress(&d.seller.address, "Via Roma 1", "00184", "Roma", "RM", "IT");
    snprintf(d.buyer.name, sizeof d.buyer.name, "Rossi & Figli S.p.A.");
    snprintf(d.buyer.vat_id, sizeof d.buyer.vat_id, "IT01234567890");
    d.buyer.kind = DOC_BUYER_COMPANY;
    taddress(&d.buyer.address, "Corso Buenos Aires 10", "20124", "Milano", "MI", "IT");
    snprintf(d.vat.seller_country, 3, "IT");
    snprintf(d.vat.buyer_country, 3, "IT");
    d.vat.scheme = VAT_SCHEME_DOMESTIC;
    tline(0, "VPS M, 1 month", 1, 1990, 0, 2200);
    tline(1, "Domain example.it, 1 year", 2, 850, 0, 2200);
    tfinish(&d, 2);
    return d;
}

