/* service_renew.h - the billing side of a service's life: renewing it for a
 * period (priced by the catalog, paid from the organization's wallet through
 * the ledger with the VAT the caller decided, its expiry moved), finding the services due, and suspending or
 * terminating them after expiry.
 *
 * Used by the billing run (src/jobs) and by the To pay page and its API; they
 * never touch the services or service_renewals tables themselves. Every call
 * that writes runs inside the caller's write transaction, so several renewals
 * can be paid together, all or none. */
#ifndef SALDO_SERVICE_RENEW_H
#define SALDO_SERVICE_RENEW_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/catalog/catalog.h"
#include "feature/services/services.h"
#include "store/db.h"

typedef enum { SERVICE_RENEW_AUTO, SERVICE_RENEW_MANUAL, SERVICE_RENEW_SOURCE_COUNT } service_renew_source;

typedef enum {
    SERVICE_RENEW_OK,
    SERVICE_RENEW_INSUFFICIENT_FUNDS, /* shortfall_minor says how much is missing */
    SERVICE_RENEW_NO_PRICE,           /* the period is not allowed, or has no price in the currency */
    SERVICE_RENEW_NOT_RENEWABLE,      /* pending, cancelled or terminated */
    SERVICE_RENEW_CONFLICT,           /* its expiry moved meanwhile (renewed by someone else) */
    SERVICE_RENEW_STORE_ERROR,
    SERVICE_RENEW_RESULT_COUNT
} service_renew_result;

/* "ok", "insufficient_funds", "no_price", "not_renewable", "conflict", "store_error". */
const char *service_renew_result_str(service_renew_result r);

typedef struct service_renewal {
    int64_t id; /* the service_renewals row (0 unless SERVICE_RENEW_OK) */
    int64_t service_id, org_id;
    int64_t old_expires_at, new_expires_at;
    int period_months;
    char currency[4];
    int64_t amount_minor;    /* the net price of the period (catalog prices exclude VAT) */
    int64_t vat_minor;       /* the VAT charged on it (the caller's) */
    int64_t gross_minor;     /* amount + VAT: what the wallet paid, or what was due when funds were short */
    int64_t shortfall_minor; /* what the wallet lacks; 0 unless SERVICE_RENEW_INSUFFICIENT_FUNDS */
    int64_t transfer_id;     /* the ledger transfer that paid it; 0 when the renewal was free */
    int64_t vat_transfer_id; /* revenue -> vat_payable for its VAT; 0 when none or passed per batch */
} service_renewal;

enum {
    SERVICE_RENEW_CACHE_SLOTS = 64, /* direct-mapped, a power of two */
    SERVICE_RENEW_KEY_MAX = 64,     /* "renewal:<id>:<expires_at>" */
};

/* A system account of one currency, as the cache keeps it. */
typedef struct service_renew_account {
    char currency[4];
    int64_t id;
} service_renew_account;

enum { SERVICE_RENEW_CURRENCIES = 8 }; /* currencies cached per system account */

/* The VAT of a batch's renewals in one currency, not yet passed to vat_payable. */
typedef struct service_renew_vat_due {
    char currency[4];
    int64_t minor;
} service_renew_vat_due;

/* What one transaction of a billing run looks up again and again: products,
 * prices for an organization, wallets and the revenue and VAT accounts. Valid only
 * inside one transaction (an account created in a rolled-back one is gone):
 * reset it at every db_begin. Plain memory, no allocation.
 * With vat_per_batch set (after the reset), a renewal's VAT stays in revenue
 * and is added up in vat_due; service_renew_pass_vat then passes each
 * currency's sum to vat_payable in one transfer before the commit. */
typedef struct service_renew_cache {
    struct { int64_t id; catalog_product p; } product[SERVICE_RENEW_CACHE_SLOTS];
    struct { int64_t product_id, org_id; int months; char currency[4]; int found; int64_t minor; }
        price[SERVICE_RENEW_CACHE_SLOTS];
    struct { int64_t org_id; char currency[4]; int64_t id; } wallet[SERVICE_RENEW_CACHE_SLOTS];
    service_renew_account revenue[SERVICE_RENEW_CURRENCIES], vat_payable[SERVICE_RENEW_CURRENCIES];
    bool vat_per_batch;
    service_renew_vat_due vat_due[SERVICE_RENEW_CURRENCIES];
    int64_t first_renewal_id, last_renewal_id; /* the renewals whose VAT is due; 0 when none */
} service_renew_cache;

void service_renew_cache_reset(service_renew_cache *c);

/* Passes the VAT c added up (vat_per_batch) from revenue to vat_payable: one
 * transfer per currency, kind "renewal", reference
 * "service_renewals:<first id>-<last id>", key
 * "renewal-vat:<first renewal id>:<currency>" (the renewal rows are new, so
 * the key is too), then empties the sums. Inside the transaction of the
 * renewals, before its commit; false on a store error (roll back). */
bool service_renew_pass_vat(db *d, service_renew_cache *c);

/* The product of s, through cache c (NULL = no cache): 1, 0 unknown, -1 error.
 * *out points into c, or into scratch when c is NULL. */
int service_renew_product(db *d, service_renew_cache *c, const service *s, catalog_product *scratch,
                          const catalog_product **out);

/* The price of renewing s for months, as its organization pays it, through c
 * (NULL = no cache): 1 priced, 0 no price (period not allowed for the product,
 * or no price in s's currency), -1 store error. Retired products renew. */
int service_renew_price(db *d, service_renew_cache *c, const service *s, int months, int64_t *out_minor);

/* Renews s (as read in this transaction) for months inside the caller's write
 * transaction: pays the price plus vat_minor (the VAT the caller decided on
 * that price: sale_tax) from the wallet of s's organization in s's currency
 * (ledger kind "renewal", reference "service:<id>": wallet -> revenue for the
 * gross, key "renewal:<id>:<expires_at>", then revenue -> vat_payable for the
 * VAT, key "...:vat", or later for the batch when c->vat_per_batch; one debit of the wallet, so a balance short of the
 * gross writes nothing), moves expires_at by period_add with a guard on
 * the old expiry, reactivates a suspended service, and records the renewal.
 * On anything but SERVICE_RENEW_OK nothing was written; out is filled as far
 * as known (price and shortfall on INSUFFICIENT_FUNDS). c may be NULL. */
service_renew_result service_renew(db *d, service_renew_cache *c, const service *s, int months, int64_t vat_minor,
                                   service_renew_source source, int64_t now, service_renewal *out);

/* The services a billing run looks at: up to max with status active or
 * suspended, id > after_id and expires_at <= until, by id. Inside a write
 * transaction; on PostgreSQL the rows are locked and rows locked by another
 * run skipped (FOR UPDATE SKIP LOCKED). Returns how many, -1 on error. */
int service_due_batch(db *d, int64_t after_id, int64_t until, service *out, int max);

/* org_id's services with status active or suspended and expires_at <= until,
 * soonest expiry first, at most max: the To pay page. Returns how many, -1 on
 * error. */
int service_due_for_org(db *d, int64_t org_id, int64_t until, service *out, int max);

/* Moves s to SERVICE_SUSPENDED or SERVICE_TERMINATED inside the caller's
 * write transaction, if it still has the expiry and a status of s (guarded):
 * 1 changed, 0 it had changed meanwhile, -1 store error. */
int service_expire_to(db *d, const service *s, service_status to, int64_t now);

#endif
