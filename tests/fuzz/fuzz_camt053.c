/* fuzz_camt053.c - the camt.053 statement parser on arbitrary bytes: no crash,
 * no leak, and whatever it accepts satisfies the documented guarantees. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/currency.h"
#include "core/iban.h"
#include "feature/bank/camt053.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_doc(const camt_doc *d)
{
    if ((d->version != 2 && d->version != 8) || d->statement_count == 0 ||
        d->statement_count > CAMT_STATEMENTS_MAX || d->entry_count > CAMT_ENTRIES_MAX)
        abort();
    size_t next = 0;
    for (size_t k = 0; k < d->statement_count; k++) {
        const camt_statement *s = &d->statements[k];
        if (!s->id[0] || s->first_entry != next || !iban_validate(s->iban, NULL, 0, NULL))
            abort();
        next += s->entry_count;
    }
    if (next != d->entry_count)
        abort();
    for (size_t i = 0; i < d->entry_count; i++) {
        const camt_entry *e = &d->entries[i];
        if (e->amount_minor <= 0 || !currency_find(e->currency) || strlen(e->remittance) > CAMT_TEXT_MAX ||
            (e->debtor_iban[0] && !iban_validate(e->debtor_iban, NULL, 0, NULL)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static camt_doc doc;
    char err[256];
    if (camt053_parse((const char *)data, size, &doc, err, sizeof err))
        fuzz_check_doc(&doc);
    else if (err[0] == '\0')
        abort(); /* a failure always says why */
    return 0;
}
