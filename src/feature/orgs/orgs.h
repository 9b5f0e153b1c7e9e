/* orgs.h - organizations and memberships: who may act on which organization.
 * Other features ask here; they never read the memberships table themselves. */
#ifndef SALDO_ORGS_H
#define SALDO_ORGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

typedef enum { ORG_NEED_MEMBER, ORG_NEED_BILLING, ORG_NEED_ADMIN, ORG_NEED_COUNT } org_need;

/* Inserts an organization (inside the caller's write transaction). */
bool org_create(db *d, const char *name, int64_t *out_id);
bool org_add_member(db *d, int64_t org_id, int64_t user_id, const char *role, bool billing);
/* True when user belongs to org with the right asked for. Callers answer 404
 * otherwise, so that another organization's ids reveal nothing. */
bool org_user_may(db *d, int64_t user_id, int64_t org_id, org_need need);
/* [{"id", "name", "role", "billing"}] of the user's organizations, oldest first. */
json_t *org_list_for_user(db *d, int64_t user_id);
/* The user's first organization (0 if none): the default current one. */
int64_t org_first_for_user(db *d, int64_t user_id);

enum { ORG_NAME_MAX = 200, ORG_MEMBERS_MAX = 500 };

/* Copies org's name into out (size bytes); false when there is no such org. */
bool org_name(db *d, int64_t org_id, char *out, size_t size);

typedef struct org_member {
    int64_t user_id;
    bool admin;
    bool billing; /* may see and spend the organization's money (admins always) */
} org_member;

/* Up to max members of org, oldest first; how many, or -1 on a store error.
 * Names and emails are auth's business: ask auth_user_get. */
int org_members(db *d, int64_t org_id, org_member *out, size_t max);

enum { ORG_SEARCH_TEXT_MAX = 200, ORG_SEARCH_MEMBERS_MAX = 500, ORG_SEARCH_HITS_MAX = 100 };

typedef struct org_hit {
    int64_t id;
    char name[ORG_NAME_MAX + 1];
    int64_t created_at;    /* Unix seconds */
    int64_t admin_user_id; /* its first administrator, 0 if none */
} org_hit;

/* The organizations whose name contains q (case-insensitive; % and _ are plain
 * characters; "" matches every one) or that have one of member_ids (at most
 * ORG_SEARCH_MEMBERS_MAX) as a member, newest first, at most max (<=
 * ORG_SEARCH_HITS_MAX) into out. Returns how many, or -1 on a store error. */
int org_search(db *d, const char *q, const int64_t *member_ids, size_t member_count, org_hit *out, size_t max);

/* --- Members' access to services (members.c) ---
 * A membership sees every service (administrators, and members with access
 * {"all": true}) or only the services and product categories chosen for it.
 * For the catalog: call this wherever a customer lists, shows or acts on a
 * service or a product, and treat false like another organization's object
 * (404, or left out of a list). */

/* True when user_id belongs to org_id and may act on service_id (0 = none: a
 * product not yet bought) of product category category_id (0 = none): always
 * for administrators and members with access to all services; for a limited
 * member when service_id is one of their services or category_id one of their
 * categories. False for a non-member or on a store error. */
bool org_user_may_service(db *d, int64_t user_id, int64_t org_id, int64_t service_id, int64_t category_id);

#endif
