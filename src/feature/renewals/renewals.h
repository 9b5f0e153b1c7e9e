/* renewals.h - what an organization has to pay for: its services due for
 * renewal with the price of each period they may be renewed for, and paying
 * several renewals together from the balance, all or none, or by card or
 * PayPal (the payment succeeds, then they are paid from the balance it
 * credited).
 *
 * Shared by the API (renewals_api.c) and the To pay page
 * (feature/web/web_renewals.c). A member sees and renews only the services
 * org_user_may_service allows them; the billing right is the caller's check. */
#ifndef SALDO_RENEWALS_H
#define SALDO_RENEWALS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/period.h"
#include "feature/catalog/catalog.h"
#include "feature/invoices/sale_tax.h"
#include "feature/payments/payments.h"
#include "feature/services/service_renew.h"
#include "http/router.h"
#include "store/db.h"

enum {
    RENEWALS_DUE_MAX = 200,   /* services listed at most */
    RENEWALS_ITEMS_MAX = 100, /* services paid together at most */
    RENEWALS_PERIODS_MAX = 6, /* the service's own period and 1-5 years */
};

/* One period a service may be renewed for, and its price. */
typedef struct renewal_quote {
    int months;
    int64_t price_minor;
} renewal_quote;

typedef struct renewal_due {
    service s;
    char product_name[CATALOG_NAME_MAX + 1]; /* in the language asked for */
    renewal_quote quotes[RENEWALS_PERIODS_MAX];
    int quote_count; /* 0: nothing to renew it for (no price in its currency) */
} renewal_due;

/* The services of org_id due at now (expiring within window_days, or expired
 * and not terminated) that user_id may act on, soonest expiry first, at most
 * max, with their quotes. Returns how many, -1 on a store error. */
int renewals_due(db *d, int64_t org_id, int64_t user_id, int64_t now, int window_days, const char *lang,
                 renewal_due *out, int max);

/* The periods s may be renewed for: its own period and the years (1-5, or
 * 1-2 for a promotional product) its product allows, each with a price in s's
 * currency, looked up through c (NULL = no cache). Returns how many (at most
 * RENEWALS_PERIODS_MAX), -1 on error. */
int renewals_quotes(db *d, service_renew_cache *c, const service *s, renewal_quote *out);

typedef struct renewal_item {
    int64_t service_id;
    int months;
} renewal_item;

typedef enum {
    RENEWALS_OK,
    RENEWALS_NOT_FOUND,          /* a service unknown, of another organization, or not the member's */
    RENEWALS_NOT_RENEWABLE,      /* pending, cancelled or terminated */
    RENEWALS_BAD_PERIOD,         /* a period the service may not be renewed for */
    RENEWALS_DUPLICATE,          /* the same service twice */
    RENEWALS_MIXED_CURRENCIES,   /* services billed in different currencies */
    RENEWALS_INSUFFICIENT_FUNDS, /* the balance does not cover the total */
    RENEWALS_CONFLICT,           /* a service was renewed meanwhile */
    RENEWALS_VAT_UNDECIDED,      /* no VAT rate for the organization's billing country (staff must add one) */
    RENEWALS_STORE_ERROR,
    RENEWALS_RESULT_COUNT
} renewals_result;

typedef struct renewals_outcome {
    int bad_item;              /* the item at fault (index), -1 when none is */
    char currency[4];          /* of every item */
    int64_t total_minor;       /* of all items: net (catalog prices exclude VAT) */
    int64_t net_minor[RENEWALS_ITEMS_MAX]; /* each item's price */
    int64_t vat_minor[RENEWALS_ITEMS_MAX]; /* each item's share of the selection's VAT */
    sale_tax tax;              /* the selection's VAT (rounded once on the total) and gross */
    int64_t shortfall_minor;   /* RENEWALS_INSUFFICIENT_FUNDS: what the balance lacks of the gross */
    int64_t invoice_id;        /* RENEWALS_OK: the selection's final invoice (its pro-forma for renewals_proforma) */
    service_renewal done[RENEWALS_ITEMS_MAX]; /* RENEWALS_OK: one per item, in order */
} renewals_outcome;

/* Renews items (1..RENEWALS_ITEMS_MAX) of org_id for user_id inside the
 * caller's write transaction, paid from the balance (source "manual"): the
 * net prices plus the VAT decided for the organization today (sale_tax, its
 * default billing address), and issues the selection's final invoice paid
 * by method ("balance", or the gateway's method that credited the balance)
 * with its mail. On anything but RENEWALS_OK the caller must roll back (some
 * renewals may be written). */
renewals_result renewals_pay(db *d, const struct app *ap, int64_t org_id, int64_t user_id, const renewal_item *items,
                             int n, int64_t now, const char *method, renewals_outcome *out);

/* Checks items as renewals_pay does (services, periods, currencies, the VAT)
 * without the balance and without writing; the totals and currency in out. */
renewals_result renewals_check(db *d, const struct app *ap, int64_t org_id, int64_t user_id,
                               const renewal_item *items, int n, renewals_outcome *out);

/* Starts paying items by card or PayPal (method) at the gateway
 * (renewals_payment.c): checks them (renewals_check; *res and out tell what
 * is wrong), then opens the payment of their total with purpose "renewals"
 * under idem_key (payment_start), with card's save_method or card_token
 * (NULL: the hosted page; a saved card is charged and settled at once). *status and *code are payment_start's when
 * it fails (409, 502, 500); 422 method_not_available when the method cannot
 * pay in that currency. */
bool renewals_pay_start(http_request *r, int64_t org_id, const renewal_item *items, int n, const char *method,
                        const payment *card, const char *idem_key, renewals_result *res, renewals_outcome *out, payment *p, int *status,
                        const char **code);
/* The "renewals" purpose of a payment that succeeded (payment_purpose_settle):
 * pays the kept selection from the balance just credited, all or none. */
payment_purpose_result renewals_settle_payment(db *d, const struct app *ap, arena *a, const payment_purpose_in *in,
                                               const char **why);

/* Issues the pro-forma of items (checked as renewals_pay checks them, not
 * the balance) inside the caller's write transaction: unpaid, its own
 * numbering, the lines with their VAT, due on the earliest expiry, with the
 * provider's IBAN/BIC and the organization's RF reference; open pro-formas
 * holding one of these services are cancelled (superseded). out->invoice_id
 * is the pro-forma. On anything but RENEWALS_OK the caller rolls back. */
renewals_result renewals_proforma(db *d, const struct app *ap, int64_t org_id, int64_t user_id,
                                  const renewal_item *items, int n, int64_t now, renewals_outcome *out);

/* A bank transfer of amount in currency was just credited to org_id's
 * wallet (the statement import's write transaction): when it is exactly the
 * total of an unpaid pro-forma whose selection costs that today, the
 * selection is renewed from the balance, the pro-forma paid and its final
 * invoice issued ("bank_transfer"): *invoice_id, else 0 and the money stays
 * as balance. False on a store error (the caller rolls back). */
bool renewals_proforma_settle_bank(db *d, const struct app *ap, int64_t org_id, const char *currency_code,
                                   int64_t amount_minor, int64_t now, int64_t *invoice_id);
/* s (as read before renewing) was renewed for months by the billing run:
 * its open pro-formas are cancelled (renewed otherwise). Inside the caller's
 * write transaction; false on a store error. */
bool renewals_proformas_renewed(db *d, const service *s, int months, int64_t now);

/* The ids of the services with ids in [first_id, last_id] that are on an
 * open pro-forma, ascending and distinct, at most max of them into out: how
 * many (max + 1 when there are more), -1 on a store error. A caller renewing
 * a range of services (the billing run's batch) asks once instead of asking
 * renewals_proformas_renewed about each. */
int renewals_proformas_open_in(db *d, int64_t first_id, int64_t last_id, int64_t *out, int max);

/* The balance of org_id's wallet in currency (0 without a wallet); false on
 * a store error. */
bool renewals_balance(db *d, int64_t org_id, const char *currency, int64_t *out_minor);

void renewals_routes(router *rt);

#endif
