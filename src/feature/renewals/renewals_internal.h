/* renewals_internal.h - what the files of feature/renewals share and nobody
 * else uses: checking and pricing a selection, the lines of its documents,
 * and closing the pro-formas a payment settles or supersedes. */
#ifndef SALDO_RENEWALS_INTERNAL_H
#define SALDO_RENEWALS_INTERNAL_H

#include "feature/invoices/document.h"
#include "feature/renewals/renewals.h"

/* The lookups one request repeats (products, prices), for its transaction;
 * the caller frees it. */
service_renew_cache *renewals_cache_new(void);

/* Reads and checks every item into list[n], the prices, totals and VAT into
 * out; writes nothing. */
renewals_result renewals_prepare(db *d, const struct app *ap, service_renew_cache *c, int64_t org_id,
                                 int64_t user_id, const renewal_item *items, int n, int64_t now, service *list,
                                 renewals_outcome *out);

/* The document lines of renewing list[i] for items[i].months at net_minor[i]:
 * the product's name in the organization's language and the new period (from
 * the current expiry). False on a store error. */
bool renewals_doc_lines(db *d, service_renew_cache *c, int64_t org_id, const service *list,
                        const renewal_item *items, int n, const int64_t *net_minor, doc_line *lines);

/* Closes the open pro-formas of the n services of list (as they were read,
 * before renewing), inside the caller's write transaction: a pro-forma of
 * exactly this selection (the same services, periods and expiries) becomes
 * paid on now's date by method; any other one holding one of these services
 * is cancelled (superseded). method NULL cancels them all (a new pro-forma
 * for them, or renewed otherwise). False on a store error. */
bool renewals_proformas_close(db *d, const service *list, const renewal_item *items, int n, int64_t now,
                              const char *method);

#endif
