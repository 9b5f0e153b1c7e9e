/* services.h - what an organization bought: status, dates, period, price and
 * auto-renewal of each service.
 *
 * This part is the contract the orders and billing features use; they never
 * read the services table themselves. */
#ifndef SALDO_SERVICES_H
#define SALDO_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/http.h"
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

/* What a new service is made of; status pending (or active, activated at
 * starts_at, for services that already run: brought over from another
 * system, the demo), expires_at = starts_at + period_months (period_add). */
typedef struct service_new {
    int64_t org_id, product_id, order_id, billing_address_id;
    const char *label; /* may be NULL */
    const char *currency;
    int period_months;
    int64_t price_minor;
    bool auto_renew;   /* only for products that allow it */
    bool active;       /* already running: no activation, no provisioning */
    int64_t starts_at;
} service_new;

/* Inserts the service inside the caller's write transaction; false on
 * a store error or when n is inconsistent (asserted in debug builds). */
bool service_create(db *d, const service_new *n, int64_t *out_id);
/* service_create that gives the service as written, which service_get
 * would read back in the same transaction. */
bool service_create_row(db *d, const service_new *n, service *out);
/* Reads service id of org_id (0 = of any organization, for staff and jobs):
 * 1 found, 0 none, -1 store error. */
int service_get(db *d, int64_t org_id, int64_t id, service *out);
/* How many services of org_id still run (pending, active or suspended): an
 * organization is deleted only without any. -1 on a store error. */
int service_count_running(db *d, int64_t org_id);
/* service_status from its name; SERVICE_STATUS_COUNT when unknown. */
service_status service_status_parse(const char *name);

/* ---- Reading, changing and provisioning services (service_read.c,
 * service_change.c, service_mail.c, provision*.c, service_assign.c) ---- */

enum {
    SERVICE_PAGE_MAX = 100,          /* services per API page (limit 1..100) */
    SERVICE_PROVISION_MESSAGE_MAX = 1000,
    SERVICE_EMAIL_MAX = 254,
};

/* A service as a customer or staff sees it: the row plus what the lists and
 * the detail show beside it. Strings in the request arena. */
typedef struct service_view {
    service s;
    const char *notes;             /* the last staff note */
    const char *provision_message; /* the last provisioning result, "" = none */
    int64_t provision_at;          /* 0 = never run */
    int provision_attempts;
    int64_t managed_by;            /* the reseller's org when seen by the org it was assigned to; else 0 */
    const char *assigned_email;    /* NULL when not assigned to an end customer */
    int64_t claimed_org_id;        /* 0 while not claimed */
} service_view;

/* Reads service id as org_id sees it: its own, or one assigned to it and
 * claimed (managed_by set); org_id 0 = any (staff). 1 found, 0 none, -1 store
 * error. */
int service_view_get(http_request *r, int64_t org_id, int64_t id, service_view *out);
/* Up to limit services org_id sees (its own and the ones claimed into it)
 * with id > after_id, oldest first, that user_id may see (0 = everyone:
 * staff). *next_after is the last id read when limit rows were read (the
 * cursor of the next page, even when the member may not see that row), else
 * 0. Returns how many, -1 on a store error. */
int service_view_list(http_request *r, int64_t org_id, int64_t user_id, int64_t after_id, size_t limit,
                      service_view *out, int64_t *next_after);
/* True when user_id may see service v of org_id (org_user_may_service with
 * the product's category). */
bool service_user_may(http_request *r, int64_t user_id, int64_t org_id, const service_view *v);
/* The JSON of v for the API, product name in r->lang; staff adds notes and
 * the provisioning result. */
json_t *service_view_json(http_request *r, const service_view *v, bool staff);

typedef enum {
    SERVICE_OK,
    SERVICE_NOT_FOUND,
    SERVICE_BAD_TRANSITION,  /* not allowed from the current status */
    SERVICE_NOT_ELIGIBLE,    /* auto-renew on a product that does not allow it */
    SERVICE_BAD_PERIOD,      /* a period the product is not sold for */
    SERVICE_MANAGED,         /* the reseller's service: read-only for the end customer */
    SERVICE_NOT_RESELLER,
    SERVICE_ALREADY_CLAIMED,
    SERVICE_BAD_ORG,         /* claim into an organization the user does not administer */
    SERVICE_STORE_ERROR,
    SERVICE_RESULT_COUNT
} service_result;

/* True when a service may go from one status to the other: pending →
 * active|cancelled; active → suspended|terminated|cancelled; suspended →
 * active|terminated. */
bool service_transition_allowed(service_status from, service_status to);

/* Who changes a status and why, for the audit logs. */
typedef struct service_actor {
    int64_t staff_id;   /* > 0: staff (staff audit log); 0: the system */
    const char *via;    /* "staff", "provisioner:<name>", "billing" */
    const char *notes;  /* kept on the service when staff gave one; may be NULL */
    const char *ip;     /* may be NULL */
    const service_status *only_from; /* NULL, or the one status the change may start from */
} service_actor;

/* Moves service id to status to inside the caller's write transaction:
 * status_changed_at, activated_at on the first activation, the notes, an
 * entry in the organization's audit log (and the staff audit log for staff),
 * and the activation mail on activation. */
service_result service_set_status(http_request *r, int64_t id, service_status to, const service_actor *who);
/* The same in a transaction of its own. */
service_result service_change_status(http_request *r, int64_t id, service_status to, const service_actor *who);

/* Changes what applies from the next renewal (NULL = unchanged): auto_renew
 * (true only when the product allows it) and period_months (one the product
 * is sold for), with an audit entry by r->user_id and, for each auto-renew
 * change, a confirmation mail to the billing notification address. One write
 * transaction of its own. */
service_result service_update_settings(http_request *r, int64_t org_id, int64_t id, const bool *auto_renew,
                                       const int *period_months);

/* Queues the activation mail of service s (the product's instructions in the
 * language of the organization's first administrator) to the organization's
 * service-status notification address, inside the caller's transaction. */
bool service_mail_activated(http_request *r, const service *s);

/* ---- Resellers' associate (service_assign.c) ---- */

/* Assigns org_id's service id (org_id must be a reseller) to an end customer's
 * email, replacing an unclaimed assignment, and mails them the activation
 * instructions with the claim link. One write transaction. */
service_result service_assign(http_request *r, int64_t org_id, int64_t id, const char *email);
/* Removes the assignment (claimed or not): the end customer stops seeing it. */
service_result service_unassign(http_request *r, int64_t org_id, int64_t id);
/* What a claim link shows: the service's product name and the reseller's
 * name (arena strings). 1 valid and unclaimed, 0 unknown or claimed, -1 error. */
int service_claim_lookup(http_request *r, const char *token, int64_t *service_id, const char **product,
                         const char **reseller);
/* Claims the assignment of token into org_id, which r->user_id administers. */
service_result service_claim(http_request *r, const char *token, int64_t org_id, int64_t *service_id);

/* The routes: services_api.c (organizations, claims) and services_staff_api.c. */
void services_routes(router *rt);
void services_staff_routes(router *rt);

/* ---- Provisioning worker (provision_worker.c) ---- */
struct app;
struct db_group;
typedef struct provision_worker provision_worker;
/* Starts the thread of `serve` that runs the provisioners of pending services
 * (never inside a transaction); NULL when it could not start. With group (the
 * server's group commit, store/db_group.h; NULL: off), its write transactions
 * are members of the group's; the caller stops the group after the worker. */
provision_worker *provision_worker_start(const struct app *ap, const char *db_url, struct db_group *group);
void provision_worker_stop(provision_worker *w);

#endif
