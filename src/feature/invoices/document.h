/* document.h - an issued billing document as it was frozen at issue: the
 * seller, the buyer, the lines with their VAT, the totals per rate, the
 * payment status. Pro-formas, final invoices, credit notes and receipts all
 * have this one shape, so that the PDF renderer (src/render/pdf_document.c),
 * the e-invoice writers (FatturaPA and UBL) and the pages read the same data.
 *
 * Plain data: fixed-size text (UTF-8, NUL-terminated), money in int64 minor
 * units of `currency`, rates in basis points (2200 = 22%), dates "YYYY-MM-DD".
 * The lines are an array the owner allocates (an arena, usually). */
#ifndef SALDO_DOCUMENT_H
#define SALDO_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vat.h"

enum {
    DOC_NUMBER_MAX = 32,       /* "2026/000123", "PF-2026/000045" */
    DOC_NAME_MAX = 200,        /* names, legal names */
    DOC_TEXT_MAX = 200,        /* one address line, a city */
    DOC_ID_MAX = 40,           /* VAT ID, fiscal code, SDI code */
    DOC_EMAIL_MAX = 254,
    DOC_LINE_TEXT_MAX = 300,   /* a line's description */
    DOC_NOTE_MAX = 500,        /* the legal mention, a note */
    DOC_IBAN_MAX = 34,
    DOC_BIC_MAX = 11,
    DOC_REFERENCE_MAX = 35,    /* the RF creditor reference of a pro-forma */
};

typedef enum doc_kind {
    DOC_PROFORMA,     /* what is to be paid; no legal value; own numbering */
    DOC_INVOICE,      /* final invoice, issued at payment; numbered without gaps per year */
    DOC_CREDIT_NOTE,  /* refers to an invoice; numbered with the invoices */
    DOC_RECEIPT,      /* a payment on account (a top-up): no VAT */
    DOC_KIND_COUNT
} doc_kind;

typedef enum doc_status {
    DOC_UNPAID,       /* pro-formas waiting for payment */
    DOC_PAID,
    DOC_CANCELLED,    /* a pro-forma withdrawn, or an invoice fully credited */
    DOC_STATUS_COUNT
} doc_status;

/* The buyer's kind decides the FatturaPA format: FPA12 for a public
 * administration, FPR12 otherwise. */
typedef enum doc_buyer_kind { DOC_BUYER_PERSON, DOC_BUYER_COMPANY, DOC_BUYER_PUBLIC } doc_buyer_kind;

typedef struct doc_address {
    char street[DOC_TEXT_MAX + 1];      /* street and number */
    char extra[DOC_TEXT_MAX + 1];       /* "" when none */
    char postal_code[16];
    char city[DOC_TEXT_MAX + 1];
    char province[8];                   /* "" or the Italian sigla ("MI") */
    char country[3];                    /* ISO 3166-1 alpha-2 */
} doc_address;

typedef struct doc_party {
    char name[DOC_NAME_MAX + 1];        /* legal name, else the organization's or person's name */
    char vat_id[DOC_ID_MAX + 1];        /* with its country prefix ("IT01234567890"); "" when none */
    char fiscal_code[DOC_ID_MAX + 1];   /* Italian codice fiscale; "" when none */
    doc_address address;
    /* Buyer only: */
    doc_buyer_kind kind;
    char sdi_code[8];                   /* SDI recipient code (7, or 6 for a PA); "" when none */
    char pec[DOC_EMAIL_MAX + 1];        /* PEC address for e-invoices; "" when none */
} doc_party;

typedef struct doc_line {
    char description[DOC_LINE_TEXT_MAX + 1];
    int64_t quantity;                   /* whole units (a service period is 1) */
    int64_t unit_net_minor;             /* price of one unit, VAT excluded */
    int64_t net_minor;                  /* quantity * unit_net_minor, minus any discount */
    int64_t discount_minor;             /* included in net_minor already; 0 when none */
    int rate_bp;                        /* the line's VAT rate; 0 with a scheme saying why */
    char period_start[11], period_end[11]; /* the service period, "" when none */
} doc_line;

typedef struct doc_vat {
    char seller_country[3], buyer_country[3];
    bool buyer_business;                /* a business with a valid VAT ID, at issue */
    char buyer_vat_id[DOC_ID_MAX + 1];  /* the evidence: the VAT ID as it was */
    vat_scheme scheme;
    vat_mention mention;                /* printed with its legal text */
    char decided_on[11];                /* the date the decision used */
} doc_vat;

typedef struct document {
    int64_t id;
    doc_kind kind;
    doc_status status;
    char number[DOC_NUMBER_MAX + 1];
    char issue_date[11];                /* "YYYY-MM-DD" */
    char due_date[11];                  /* pro-formas; "" otherwise */
    char paid_date[11];                 /* "" when unpaid */
    char payment_method[32];            /* "balance", "card", "bank_transfer", ...; "" when unpaid */
    char language[3];                   /* "it" or "en": the organization's language at issue */
    char currency[4];
    doc_party seller, buyer;
    doc_vat vat;
    const doc_line *lines;
    size_t line_count;
    vat_total totals[VAT_TOTALS_MAX];   /* per rate, as vat_totals() computed them */
    size_t total_count;
    int64_t net_minor, vat_minor, gross_minor;
    /* Credit notes: the invoice they credit. */
    char credits_number[DOC_NUMBER_MAX + 1];
    char credits_date[11];
    /* Pro-formas: how to pay by bank transfer. */
    char iban[DOC_IBAN_MAX + 1];
    char bic[DOC_BIC_MAX + 1];
    char reference[DOC_REFERENCE_MAX + 1];
    char note[DOC_NOTE_MAX + 1];        /* free text printed under the lines; "" when none */
} document;

const char *doc_kind_name(doc_kind k);     /* "proforma", "invoice", "credit_note", "receipt" */
const char *doc_status_name(doc_status s); /* "unpaid", "paid", "cancelled" */

#endif
