/* org_audit.h - each organization's audit log: who did what, when, from which
 * address. Members' sign-ins, rights changes, removals and leaves,
 * invitations, staff credit adjustments, and (later features) payments and
 * deletions are written here, in the same transaction as the change. Only the
 * organization's administrators read it (API, CSV export, page). */
#ifndef SALDO_ORG_AUDIT_H
#define SALDO_ORG_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "http/router.h"
#include "lib/buf.h"
#include "store/db.h"

enum {
    ORG_AUDIT_ACTION_MAX = 64,     /* bytes of an action name */
    ORG_AUDIT_DETAIL_MAX = 8192,   /* bytes of an entry's detail JSON */
    ORG_AUDIT_PAGE_MAX = 100,      /* entries per API page (limit 1..99, see wallet_parse_page) */
    ORG_AUDIT_CSV_ROWS_MAX = 10000 /* the newest entries a CSV export holds */
};

/* Appends one entry to org_id's log (call it inside the write transaction of
 * the change it records). user_id is who acted, 0 for staff or the system
 * (detail then says who); action a short dotted name ("member.removed",
 * "payment.received"); detail_json a JSON object as text (NULL = "{}"), at
 * most ORG_AUDIT_DETAIL_MAX bytes; ip the client's address or NULL. False on
 * a store error. */
bool org_audit_record(db *d, int64_t org_id, int64_t user_id, const char *action, const char *detail_json,
                      const char *ip);
/* org_audit_record with the detail as a JSON object (stolen). */
bool org_audit_record_json(db *d, int64_t org_id, int64_t user_id, const char *action, json_t *detail,
                           const char *ip);
/* Records "sign_in" (detail {"via": via}) in every organization user_id
 * belongs to. False on a store error. */
bool org_audit_sign_in(db *d, int64_t user_id, const char *via, const char *ip);

/* One page of org_id's log, newest first: {"entries": [...], "next_cursor"}
 * with entries {id, created_at, action, user: {id, email, name} | null,
 * detail, ip}; at most limit (1..ORG_AUDIT_PAGE_MAX - 1) entries with id <
 * before_id (0 = from the newest). NULL on a store error. */
json_t *org_audit_page_json(http_request *r, int64_t org_id, int64_t before_id, size_t limit);
/* The newest ORG_AUDIT_CSV_ROWS_MAX entries of org_id as RFC 4180 CSV (CRLF
 * line ends, a header row, quoted fields; a cell that a spreadsheet would
 * read as a formula, starting with = + - @ tab or CR, gets a leading ').
 * False on a store error. */
bool org_audit_csv(http_request *r, int64_t org_id, buf *out);
/* Writes one CSV cell (quoted, quotes doubled, formulas defused) to out. */
void org_audit_csv_cell(buf *out, const char *text);

/* GET /api/v1/orgs/{org_id}/audit and .../audit.csv. */
void org_audit_routes(router *rt);

#endif
