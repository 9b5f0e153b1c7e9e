/* epc_qr.c - EPC069-12 payload of a SEPA credit transfer QR code (see epc_qr.h). */
#include "feature/bank/epc_qr.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/iban.h"
#include "feature/bank/bank_ref.h"

static bool bic_ok(const char *bic)
{
    size_t n = strlen(bic);
    if (n != 0 && n != 8 && n != 11)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = bic[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* A line of text may not hold a line break of its own. */
static bool line_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n >= 1 && n <= max && !strpbrk(s, "\r\n");
}

bool epc_payload(const epc_payment *p, buf *out)
{
    if (!bic_ok(p->bic) || !line_ok(p->name, EPC_NAME_MAX) || !iban_validate(p->iban, NULL, 0, NULL) ||
        p->amount_cents < 0 || p->amount_cents > EPC_AMOUNT_MAX || !bank_ref_valid(p->reference))
        return false;
    char amount[32] = "";
    if (p->amount_cents > 0)
        snprintf(amount, sizeof amount, "EUR%" PRId64 ".%02" PRId64, p->amount_cents / 100, p->amount_cents % 100);
    /* Service tag, version, charset, identification, BIC, name, IBAN, amount,
     * purpose (none), structured reference; the unstructured text is left out. */
    return buf_printf(out, "BCD\n002\n1\nSCT\n%s\n%s\n%s\n%s\n\n%s", p->bic, p->name, p->iban, amount,
                      p->reference);
}
