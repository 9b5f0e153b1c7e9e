/* notifications.h - an organization's in-app notifications: payments that
 * arrived, service-status announcements, abuse reports. Each says who of the
 * organization sees it (its audience); each member reads them for themselves
 * (the newest id they saw). The layout's unread badge, the /notifications page
 * and GET /api/v1/orgs/{org_id}/notifications read them here; the features
 * that tell something (payments, status) add them inside their own write
 * transaction. */
#ifndef SALDO_NOTIFICATIONS_H
#define SALDO_NOTIFICATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"
#include "store/db.h"

typedef enum {
    NOTIFICATION_BILLING, /* members with the billing right (payments) */
    NOTIFICATION_MEMBERS, /* every member, or those who may see one of its services */
    NOTIFICATION_ADMINS,  /* administrators only (abuse reports) */
    NOTIFICATION_AUDIENCE_COUNT
} notification_audience;

enum { NOTIFICATIONS_PAGE_MAX = 50, NOTIFICATIONS_UNREAD_MAX = 99 };

/* Adds one notification of org (caller's write transaction). kind: "payment.received",
 * "announcement.incident", ...; ref_id: what it tells of (0 = none); detail:
 * JSON object text (see notifications_json for how its fields are shown). */
bool notification_add(db *d, int64_t org_id, const char *kind, notification_audience audience, int64_t ref_id,
                      const char *detail);

/* Adds a NOTIFICATION_MEMBERS notification to each organization of a SELECT
 * of rows (org_id, service_id, category_id) whose only parameter is $1 =
 * ref_id, in two statements whatever their number (caller's write
 * transaction); a row with service_id 0 makes the notification visible to
 * every member of its organization, otherwise members see it when they may
 * see one of its services. Pass the two statements made from that SELECT
 * (string literals, as db_prepare wants):
 *   notification_fanout(d, kind, ref, detail, NOTIFICATION_FANOUT_SQL(T), NOTIFICATION_SERVICES_SQL(T))
 * Returns how many organizations, -1 on a store error. */
#define NOTIFICATION_FANOUT_SQL(targets)                                                                        \
    "INSERT INTO notifications (org_id, ref_id, kind, audience, detail, created_at)"                          \
    " SELECT t.org_id, $1, $2, 'members', $3, $4 FROM (SELECT DISTINCT org_id FROM (" targets ") a) t"
#define NOTIFICATION_SERVICES_SQL(targets)                                                                      \
    "INSERT INTO notification_services (notification_id, service_id, category_id)"                            \
    " SELECT DISTINCT n.id, t.service_id, t.category_id FROM (" targets ") t"                                  \
    " JOIN notifications n ON n.org_id = t.org_id AND n.ref_id = $1 AND n.audience = 'members' AND n.id > $2"   \
    " WHERE t.service_id > 0"
int64_t notification_fanout(db *d, const char *kind, int64_t ref_id, const char *detail, const char *fanout_sql,
                            const char *services_sql);

/* How many notifications of org user_id sees and has not read, at most
 * NOTIFICATIONS_UNREAD_MAX; -1 on a store error. */
int notifications_unread(db *d, int64_t org_id, int64_t user_id);
/* The newest NOTIFICATIONS_PAGE_MAX user_id sees: [{"id", "kind", "created_at",
 * "unread", ...the detail's fields}], where a detail field "amount" holding
 * {"currency", "minor"} becomes the money object with its display in lang,
 * fields "x_en"/"x_it" become "x" in lang, and integer fields "x_at" (Unix
 * seconds, 0 = none) become ISO times with "x_at_local" in Europe/Rome
 * ("2026-03-29 03:30 CEST"). NULL on a store error. */
json_t *notifications_json(db *d, int64_t org_id, int64_t user_id, const char *lang);
/* Marks every notification of org read for user_id (one statement). */
bool notifications_read(db *d, int64_t org_id, int64_t user_id);

/* GET /api/v1/orgs/{org_id}/notifications, POST .../notifications/read. */
void notifications_routes(router *rt);

#endif
