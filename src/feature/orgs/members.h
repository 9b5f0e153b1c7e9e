/* members.h - an organization's members and their rights, shared by the API
 * (members_api.c) and the pages (feature/web/web_members.c).
 *
 * Rights per membership: administrator (everything, including members and
 * rights; always sees all services and the money) or member, whose access is
 * all services or only chosen services and product categories; and for either
 * the billing right (balance, wallets, transactions, payments). There is always
 * at least one administrator: demoting or removing the last one is refused. */
#ifndef SALDO_MEMBERS_H
#define SALDO_MEMBERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/orgs/orgs.h"
#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

enum { MEMBERS_ACCESS_IDS_MAX = 100 }; /* services, and categories, of one limited member */

/* What a membership may see: every service, or the listed ones. */
typedef struct member_access {
    bool all;
    size_t service_count, category_count;
    int64_t services[MEMBERS_ACCESS_IDS_MAX];   /* positive, distinct */
    int64_t categories[MEMBERS_ACCESS_IDS_MAX]; /* positive, distinct */
} member_access;

typedef struct member_rights {
    bool admin;
    bool billing; /* always true for an administrator */
    member_access access; /* always all for an administrator */
} member_rights;

/* Reads an access object: {"all": true}, or {"all": false (optional),
 * "services": [ids], "categories": [ids]} (each optional, at most
 * MEMBERS_ACCESS_IDS_MAX positive integers; duplicates count once). False with
 * *why (an English message naming the problem) when it is not one. */
bool member_access_parse(json_t *v, member_access *out, const char **why);
/* {"all": true} or {"all": false, "services": [...], "categories": [...]}. */
json_t *member_access_json(const member_access *a);
/* Makes rights consistent: an administrator has billing and all access. */
void member_rights_normalize(member_rights *m);

typedef enum {
    MEMBERS_OK,
    MEMBERS_NOT_FOUND,  /* no such member of this organization */
    MEMBERS_FORBIDDEN,  /* the actor is not an administrator (and not leaving) */
    MEMBERS_LAST_ADMIN, /* the change would leave the organization without an administrator */
    MEMBERS_LEGAL_REP,  /* the legal representative may not go until the role is handed over */
    MEMBERS_STORE_ERROR,
    MEMBERS_RESULT_COUNT
} members_result;

/* [{user_id, email, name, role, billing, access, joined_at}] of org_id, oldest
 * first (at most ORG_MEMBERS_MAX); NULL on a store error. */
json_t *members_list_json(http_request *r, int64_t org_id);
/* The rights of user_id in org_id; false when not a member or on a store error. */
bool members_get(db *d, int64_t org_id, int64_t user_id, member_rights *out);

/* A partial change of rights: NULL / -1 keeps the current value. */
typedef struct member_patch {
    const char *role;            /* "admin" or "member" */
    int billing;                 /* 0, 1, or -1 */
    const member_access *access;
} member_patch;

/* r->user_id (an administrator of org_id) changes user_id's rights, in one
 * transaction with a "member.rights" audit entry (before and after). */
members_result members_update(http_request *r, int64_t org_id, int64_t user_id, const member_patch *p);
/* r->user_id removes user_id from org_id: an administrator may remove anyone,
 * anyone may remove themselves (leave). Audited as "member.removed" or
 * "member.left". The last administrator cannot go. */
members_result members_remove(http_request *r, int64_t org_id, int64_t user_id);
/* Adds user_id to org_id with rights (inside the caller's write transaction).
 * DB_CONSTRAINT when already a member. */
db_status members_join(db *d, int64_t org_id, int64_t user_id, const member_rights *rights);
/* Takes the organization's row lock (inside a write transaction), so that
 * changes of its memberships happen one after the other on every store. */
bool members_lock_org(db *d, int64_t org_id);

/* The {org_id} of the path when r->user_id has need there. Otherwise answers
 * 404 to a non-member, and to a member without the billing right when need is
 * ORG_NEED_BILLING (money stays hidden), or 403 `forbidden` to a member who is
 * not an administrator when need is ORG_NEED_ADMIN; and returns false. */
bool members_api_org(http_request *r, org_need need, int64_t *org_id);

/* The API: GET/POST /api/v1/orgs/{org_id}/members, PATCH/DELETE
 * .../members/{user_id}, POST .../invitations, DELETE .../invitations/{id},
 * POST /api/v1/invitations/{token}/accept. */
void members_routes(router *rt);

#endif
