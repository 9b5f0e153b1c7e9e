/* document.c - names of a document's kind and status, as the API, the
 * database and the renderers spell them. */
#include "feature/invoices/document.h"

#include <assert.h>

static const char *const kind_names[DOC_KIND_COUNT] = {"proforma", "invoice", "credit_note", "receipt"};
static const char *const status_names[DOC_STATUS_COUNT] = {"unpaid", "paid", "cancelled"};

const char *doc_kind_name(doc_kind k)
{
    assert(k < DOC_KIND_COUNT);
    return kind_names[k];
}

const char *doc_status_name(doc_status s)
{
    assert(s < DOC_STATUS_COUNT);
    return status_names[s];
}
