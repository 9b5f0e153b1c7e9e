/* staff.h - the provider's staff: accounts separate from customers, their
 * sessions, finding organizations, credit adjustments, and the audit log every
 * staff action writes to. The back office API (staff_api.c) and the back office
 * pages (feature/web) both go through these functions, so they behave alike. */
#ifndef SALDO_STAFF_H
#define SALDO_STAFF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/money.h"
#include "feature/auth/session.h"
#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

void staff_routes(router *rt);
/* Creates a staff account (for `saldo staff add`); false with err filled. */
bool staff_add(db *d, const char *email, const char *name, const char *password, char *err, size_t err_size);
/* Appends to the audit log inside the caller's transaction; detail is JSON
 * text (NULL = "{}"), target_id 0 = none. */
bool staff_audit(db *d, int64_t staff_id, const char *action, const char *target_kind, int64_t target_id,
                 const char *detail, const char *ip);

/* A staff member as the back office shows them; strings in the request arena. */
typedef struct staff_member {
    int64_t id;
    const char *email, *name;
} staff_member;

/* Reads staff_id; false when unknown or on a store error. */
bool staff_get(http_request *r, int64_t staff_id, staff_member *out);

/* Starts a session of kind "web" (cookie) or "api" (bearer) for staff_id, who
 * has just proved who they are, and writes "staff.sign_in" to the audit log,
 * in one transaction. token_out receives the secret for the client, out the
 * session (with its CSRF token for "web"). False on a store error (rolled back). */
bool staff_session_start(http_request *r, const char *kind, int64_t staff_id,
                         char token_out[SECRET_TOKEN_CHARS + 1], session *out);
/* Revokes the request's session and writes "staff.sign_out", in one transaction. */
bool staff_session_end(http_request *r);

enum { STAFF_SEARCH_TEXT_MAX = 200, STAFF_SEARCH_HITS = 50 };

/* The organizations whose name or a member's email contains q (at most
 * STAFF_SEARCH_TEXT_MAX bytes; "" = all), newest first, at most
 * STAFF_SEARCH_HITS: [{"id", "name", "created_at", "admin_email"}]
 * (admin_email null when the organization has no administrator). NULL on a
 * store error. The caller owns the array. */
json_t *staff_find_orgs(http_request *r, const char *q);
/* [{"user_id", "email", "name", "role"}] of org_id ("admin" or "member"),
 * oldest first, plus "billing" (may see and spend the money) with
 * with_billing; NULL on a store error. */
json_t *staff_org_members(http_request *r, int64_t org_id, bool with_billing);

typedef enum {
    STAFF_ADJUST_OK,
    STAFF_ADJUST_REPLAYED,           /* the key posted this adjustment already: nothing new */
    STAFF_ADJUST_NO_ORG,
    STAFF_ADJUST_INSUFFICIENT_FUNDS, /* a debit beyond the wallet's balance (or no wallet) */
    STAFF_ADJUST_KEY_CONFLICT,       /* the key posted another adjustment */
    STAFF_ADJUST_STORE_ERROR,
    STAFF_ADJUST_RESULT_COUNT
} staff_adjust_result;

typedef struct staff_adjust_in {
    int64_t org_id;
    money amount;        /* > 0 credits the wallet, < 0 debits it; |minor| <= LEDGER_AMOUNT_MAX */
    const char *reason;  /* STAFF_REASON_MIN..MAX bytes of checked text */
    const char *key;     /* idempotency key, 1..IDEM_KEY_MAX bytes, unique per staff member */
} staff_adjust_in;

enum { STAFF_REASON_MIN = 3, STAFF_REASON_MAX = 500 };

typedef struct staff_adjust_out {
    int64_t transfer_id;
    int64_t balance_minor; /* the wallet's balance afterwards */
} staff_adjust_out;

/* A credit adjustment by r->staff_id, inside the caller's write transaction: a
 * ledger transfer between the organization's wallet and the "adjustments"
 * account plus a "wallet.adjust" audit entry with the reason (none on a
 * replay). On anything but OK and REPLAYED nothing was written by this call
 * and the caller rolls back. */
staff_adjust_result staff_adjust(http_request *r, const staff_adjust_in *in, staff_adjust_out *out);

/* One entry of the audit log; strings in the request arena. */
typedef struct staff_audit_entry {
    int64_t id, created_at, target_id;
    const char *staff_email; /* NULL when the staff member is unknown */
    const char *action, *target_kind, *detail, *ip;
} staff_audit_entry;

enum { STAFF_AUDIT_PAGE_MAX = 100 };

/* Up to limit (<= STAFF_AUDIT_PAGE_MAX) entries with id < before_id (0 = from
 * the newest), newest first. Returns how many, or -1 on a store error. */
int staff_audit_list(http_request *r, int64_t before_id, size_t limit, staff_audit_entry *out);

/* Up to limit (<= STAFF_AUDIT_PAGE_MAX) entries about one subject (target_kind
 * and target_id, e.g. "user" 12), newest first; for a customer's data export.
 * Returns how many, or -1 on a store error. */
int staff_audit_about(http_request *r, const char *target_kind, int64_t target_id, size_t limit,
                      staff_audit_entry *out);

#endif
