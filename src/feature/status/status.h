/* status.h - service-status announcements and abuse reports.
 *
 * Staff post an announcement (scheduled maintenance, incident, or the
 * resolution of an incident) for everyone or for the customers of chosen
 * products, categories or services. Posting resolves the audience to the
 * organizations with an active or suspended service of them (stored, so that
 * updates and the resolution reach the same ones) and, in one write
 * transaction of a few statements whatever their number, adds the
 * announcement, one in-app notification per organization (notifications.h)
 * and one mail per organization to its "status" notification address (else
 * "billing", else the first administrator), in the first administrator's
 * language. The public /status page and GET /api/v1/status read them.
 *
 * An abuse report is mailed to the organization's "abuse" address (else the
 * first administrator) and shown to its administrators as a notification.
 *
 * These statements read the services, catalog_products, notification_addresses,
 * memberships and users tables (read-only, see docs/ARCHITECTURE.md): the one
 * pass over thousands of organizations could not go through their headers. */
#ifndef SALDO_STATUS_H
#define SALDO_STATUS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

enum {
    ANNOUNCEMENT_TITLE_MAX = 200,
    ANNOUNCEMENT_BODY_MAX = 5000,
    ANNOUNCEMENT_TARGETS_MAX = 100,
    ANNOUNCEMENT_LIST_MAX = 100,
    STATUS_RESOLVED_DAYS = 7,
};

typedef enum { TARGET_PRODUCT, TARGET_CATEGORY, TARGET_SERVICE, TARGET_KIND_COUNT } announcement_target_kind;

typedef struct announcement_target {
    announcement_target_kind kind;
    int64_t id;
} announcement_target;

/* A new announcement as the API or the staff page read it. */
typedef struct announcement_in {
    const char *kind;               /* "maintenance", "incident", "resolved" */
    int64_t parent_id;              /* resolved: the open incident it closes (0 otherwise) */
    const char *title[2], *body[2]; /* [0] English, [1] Italian */
    int64_t starts_at, ends_at;     /* maintenance: the window (Unix seconds); 0 otherwise */
    bool targeted;                  /* false: everyone */
    int is_public;                  /* -1: the default (everyone public, targeted not) */
    size_t n_targets;
    announcement_target targets[ANNOUNCEMENT_TARGETS_MAX];
} announcement_in;

typedef enum {
    ANNOUNCEMENT_OK,
    ANNOUNCEMENT_INVALID,   /* *field and *message say why; nothing written */
    ANNOUNCEMENT_NOT_FOUND,
    ANNOUNCEMENT_STORE_ERROR,
    ANNOUNCEMENT_RESULT_COUNT
} announcement_result;

/* Checks in (kind, texts, times, parent, targets that exist) and posts it:
 * one transaction with the audit entry of r's staff member. A resolved one
 * goes to its incident's organizations and closes it. */
announcement_result announcement_post(http_request *r, const announcement_in *in, int64_t *out_id,
                                      const char **field, const char **message);

/* A change of an announcement: NULL/0 leaves a field as it was. */
typedef struct announcement_patch {
    const char *title[2], *body[2];
    int64_t starts_at, ends_at;
    int is_public; /* -1 unchanged */
} announcement_patch;

/* Updates announcement id and posts a new notification and mail about it to
 * its organizations, with the audit entry, in one transaction. */
announcement_result announcement_update(http_request *r, int64_t id, const announcement_patch *p, const char **field,
                                        const char **message);

/* {"id", "kind", "parent_id", "audience", "public", "title": {"en", "it"},
 * "body": {...}, "starts_at", "ends_at", "starts_at_local", "ends_at_local",
 * "closed_at", "created_at", "updated_at", "organizations", "targets": [...]} of
 * id; NULL when there is none (*found false) or on a store error. */
json_t *announcement_json(db *d, int64_t id, bool *found);
/* The newest ANNOUNCEMENT_LIST_MAX as announcement_json; NULL on error. */
json_t *announcements_json(db *d);
/* What /status shows, in lang: {"operational", "incidents": [...],
 * "maintenance": [...], "resolved": [...]}, each entry {"id", "kind", "title",
 * "body" (only for announcements for everyone), "starts_at", "ends_at", ...}.
 * NULL on a store error. */
json_t *status_public_json(db *d, const char *lang);

/* ---- abuse reports ---- */

enum { ABUSE_SUBJECT_MAX = 200, ABUSE_BODY_MAX = 10000, ABUSE_EVIDENCE_MAX = 100000, ABUSE_LIST_MAX = 50 };

typedef struct abuse_in {
    int64_t org_id, service_id; /* service_id 0 = none */
    const char *subject, *body, *evidence; /* evidence may be "" */
} abuse_in;

/* Stores the report, mails it to the organization's abuse address (else its
 * first administrator), notifies its administrators and writes the audit log,
 * in one transaction. NOT_FOUND when service_id is not the organization's. */
announcement_result abuse_report(http_request *r, const abuse_in *in, int64_t *out_id, const char **field,
                                 const char **message);
/* The organization's newest reports: [{"id", "service_id", "subject", "body",
 * "evidence", "recipient", "created_at"}]; NULL on a store error. */
json_t *abuse_reports_json(db *d, int64_t org_id);
/* Report id of org_id as abuse_reports_json shows it; NULL when none or on error. */
json_t *abuse_report_json(db *d, int64_t org_id, int64_t id);

void status_routes(router *rt);

#endif
