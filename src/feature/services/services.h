/* services.h - what an organization bought: status, dates, period, price and
 * auto-renewal of each service.
 *
 * This part is the contract the orders and billing features use; they never
 * read the services table themselves. */
#ifndef SALDO_SERVICES_H
#define SALDO_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"
#include "store/db.h"

enum { SERVICE_LABEL_MAX = 200, SERVICE_NOTES_MAX = 4000 };

typedef enum {
    SERVICE_PENDING,    /* paid, waiting for activation */
    SERVICE_ACTIVE,
    SERVICE_SUSPENDED,  /* expired and past the grace period */
    SERVICE_TERMINATED, /* for good */
    SERVICE_CANCELLED,  /* stopped before it ran */
    SERVICE_STATUS_COUNT
} service_status;

/* "pending", "active", "suspended", "terminated", "cancelled", then NULL. */
extern const char *const service_status_names[];

typedef struct service {
    int64_t id, org_id, product_id;
    int64_t order_id;           /* 0 when not bought through an order */
    int64_t billing_address_id; /* 0 when none was chosen */
    service_status status;
    char label[SERVICE_LABEL_MAX + 1];
    char currency[4];
    int period_months;
    int64_t price_minor;        /* one period as bought, net */
    bool auto_renew;
    int64_t created_at, starts_at, expires_at;
    int64_t activated_at;       /* 0 until activated */
    int64_t status_changed_at;
} service;

/* What a new service is made of; status pending, expires_at = starts_at +
 * period_months (period_add). */
typedef struct service_new {
    int64_t org_id, product_id, order_id, billing_address_id;
    const char *label; /* may be NULL */
    const char *currency;
    int period_months;
    int64_t price_minor;
    bool auto_renew;   /* only for products that allow it */
    int64_t starts_at;
} service_new;

/* Inserts a pending service inside the caller's write transaction; false on
 * a store error or when n is inconsistent (asserted in debug builds). */
bool service_create(db *d, const service_new *n, int64_t *out_id);
/* Reads service id of org_id (0 = of any organization, for staff and jobs):
 * 1 found, 0 none, -1 store error. */
int service_get(db *d, int64_t org_id, int64_t id, service *out);
/* service_status from its name; SERVICE_STATUS_COUNT when unknown. */
service_status service_status_parse(const char *name);

#endif
