/* orgs.h - organizations and memberships: who may act on which organization.
 * Other features ask here; they never read the memberships table themselves. */
#ifndef SALDO_ORGS_H
#define SALDO_ORGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fiscal_code.h"
#include "http/field.h"
#include "http/http.h"
#include "http/router.h"
#include "store/db.h"

typedef enum { ORG_NEED_MEMBER, ORG_NEED_BILLING, ORG_NEED_ADMIN, ORG_NEED_COUNT } org_need;

/* Inserts the personal organization of a new account (at sign-up, inside the
 * caller's write transaction); org_create_named creates the others. */
bool org_create(db *d, const char *name, int64_t *out_id);
/* Adds user to org. The first admin of an organization without a legal
 * representative becomes it. */
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

/* ---- Organizations as objects: profile, logo, switching, leaving, deleting
 * (org_profile.c, org_logo.c, org_delete.c, org_api.c) ---- */

typedef enum { ORG_KIND_PERSON, ORG_KIND_COMPANY, ORG_KIND_PUBLIC, ORG_KIND_COUNT } org_kind;
/* "person", "company", "public_administration", then NULL (for jin_enum). */
extern const char *const org_kind_names[];

enum {
    ORG_LEGAL_NAME_MAX = 200,
    ORG_LOGO_BYTES_MAX = 1000000,  /* 1 MB; fits the server's 1 MiB body with a form around it */
    ORG_ETAG_HEX = 32,             /* BLAKE2b-128 of the logo, hex */
    ORG_BLOCKERS_MAX = 8,
    ORG_DETAIL_MAX = 256,
};

/* An organization as its profile page and the API show it. Identifier fields
 * are "" when unset; typed values may be up to FISCAL_INPUT_LEN_MAX before
 * org_profile_check normalizes them. */
typedef struct org_profile {
    int64_t id, legal_rep_user_id, created_at, deleted_at; /* 0 = none / not deleted */
    org_kind kind;
    bool personal; /* created with the account at sign-up */
    char name[ORG_NAME_MAX + 1];
    char legal_name[ORG_LEGAL_NAME_MAX + 1];
    char vat_id[FISCAL_INPUT_LEN_MAX + 1];
    char fiscal_code[FISCAL_INPUT_LEN_MAX + 1];
    char sdi_code[FISCAL_INPUT_LEN_MAX + 1];
    char pec[FIELD_EMAIL_MAX + 1];
    /* The logo, if any (read with the profile; its bytes with org_logo_get). */
    bool has_logo;
    char logo_type[16];
    char logo_etag[ORG_ETAG_HEX + 1];
    int64_t logo_bytes;
} org_profile;

/* Reads org_id's profile: 1 found, 0 no such organization, -1 store error. */
int org_profile_get(db *d, int64_t org_id, org_profile *out);
/* Normalizes p's identifiers (upper case without spaces; the PEC lower case)
 * and checks the whole profile: NULL when valid, else the name of the first
 * wrong field ("name", "vat_id", "fiscal_code", "sdi_code", "pec",
 * "legal_representative_user_id") with *why an English message (a msgid the
 * pages translate). The legal representative must be a member of p->id. */
const char *org_profile_check(db *d, org_profile *p, const char **why);
/* Writes a checked profile (inside the caller's write transaction). */
bool org_profile_save(db *d, const org_profile *p);
/* org_profile_save in a transaction of its own, with an "org.profile" entry in
 * the organization's audit log (who: r->user_id, from r->client_ip). */
bool org_profile_update(http_request *r, const org_profile *p);
/* The profile as JSON (logo_base: "/orgs/12" gives "logo": {"url":
 * "/orgs/12/logo", ...}; "logo" is null without one). */
json_t *org_profile_json(const org_profile *p, const char *logo_base);

/* Creates an organization of kind with user_id as its admin (billing right)
 * and legal representative, in its own write transaction. False on a store
 * error (rolled back). */
bool org_create_named(db *d, const char *name, org_kind kind, int64_t user_id, int64_t *out_id);
/* {"id", "name", "kind", "role", "billing", "personal", "has_logo"} of the
 * user's organizations, oldest membership first; NULL on a store error. */
json_t *org_list_json(db *d, int64_t user_id);

/* Leaving: whether user_id may leave org_id (or be removed from it) now. The
 * last admin may not, nor the legal representative until that role is handed
 * to someone else. org_leave_reason gives an English message (a msgid). */
typedef enum {
    ORG_LEAVE_OK,
    ORG_LEAVE_NOT_MEMBER,
    ORG_LEAVE_LAST_ADMIN,
    ORG_LEAVE_LEGAL_REP,
    ORG_LEAVE_STORE_ERROR,
    ORG_LEAVE_COUNT
} org_leave;
org_leave org_may_leave(db *d, int64_t org_id, int64_t user_id);
const char *org_leave_reason(org_leave why);

/* The logo: what a caller uploads is checked by its content (image_sniff),
 * never by its name or declared type. */
typedef enum { ORG_LOGO_OK, ORG_LOGO_EMPTY, ORG_LOGO_TOO_LARGE, ORG_LOGO_NOT_IMAGE, ORG_LOGO_STORE_ERROR,
               ORG_LOGO_RESULT_COUNT } org_logo_result;
/* Replaces org_id's logo with data[0..len) after checking it, in its own
 * write transaction with an "org.logo" entry in the audit log (r's user and
 * address). */
org_logo_result org_logo_set(http_request *r, int64_t org_id, const char *data, size_t len);
/* English message (msgid) of a refused logo. */
const char *org_logo_reason(org_logo_result res);
/* Removes org_id's logo inside the caller's write transaction. */
bool org_logo_delete(db *d, int64_t org_id);
/* org_logo_delete in a transaction of its own, audited like org_logo_set. */
bool org_logo_remove(http_request *r, int64_t org_id);
/* The logo's bytes (in r's arena) with its content type and ETag: 1 found, 0
 * none, -1 store error. */
int org_logo_get(http_request *r, int64_t org_id, const char **data, size_t *len, const char **type,
                 const char **etag);
/* Answers GET of a logo: 200 with its real type, inline, an ETag (304 when
 * If-None-Match has it) and returns 1; returns 0 (no logo) or -1 (store
 * error) without answering. The caller has checked the right to see it. */
int org_logo_serve(http_request *r, int64_t org_id);

/* Deleting: an organization may be deleted only when nothing blocks it. Each
 * blocker is a function in org_delete.c's registry returning its reason; the
 * wallets one (every wallet at zero) and the personal one (your own sign-up
 * organization needs another to belong to) exist now; the catalog issue adds
 * active services, the invoicing issue unpaid invoices. */
typedef struct org_blocker {
    const char *code;    /* "wallet_not_empty", "personal_organization", ... */
    const char *message; /* English msgid */
    char detail[ORG_DETAIL_MAX]; /* "" or particulars in r->lang ("€12.00") */
} org_blocker;
/* What blocks user_id from deleting org_id: how many (at most
 * ORG_BLOCKERS_MAX into out), or -1 on a store error. */
int org_delete_blockers(http_request *r, int64_t org_id, int64_t user_id, org_blocker *out);
typedef enum { ORG_DELETE_OK, ORG_DELETE_BLOCKED, ORG_DELETE_STORE_ERROR, ORG_DELETE_RESULT_COUNT } org_delete_result;
/* Deletes org_id for user_id (an admin, checked by the caller) in one write
 * transaction: the blockers are checked again inside it (BLOCKED fills out and
 * *count); then the row stays, marked deleted and named "Deleted organization
 * #id", while the profile fields, the logo and the memberships are erased.
 * With email_documents, every issued document is first queued to the billing
 * address with its PDF (invoices_archive.h); the documents themselves stay. */
org_delete_result org_delete(http_request *r, int64_t org_id, int64_t user_id, bool email_documents, org_blocker *out,
                             int *count);
/* The erasure itself, inside the caller's write transaction: the row stays
 * (ledger accounts and issued documents refer to it), renamed "Deleted
 * organization #id" and marked deleted; profile, logo, memberships, access
 * scopes, invitations and the organization's addresses go; its audit log
 * stays. False on a store error or if already deleted. */
bool org_erase(db *d, int64_t org_id);

/* The API routes of this section: /api/v1/orgs, /api/v1/orgs/{org_id}, .../logo. */
void orgs_routes(router *rt);
/* ---- For notification addresses and account deletion (feature/addresses,
 * feature/account) ---- */

/* The organization's first administrator by membership age: 0 if none, -1 on
 * a store error. */
int64_t org_first_admin(db *d, int64_t org_id);
/* Ends user's membership of org (inside the caller's write transaction); false
 * when there was none or on a store error. */
bool org_remove_member(db *d, int64_t org_id, int64_t user_id);
/* org_erase for an organization nobody belongs to any more (inside the
 * caller's write transaction); false when it still has members or on a store
 * error. */
bool org_delete_empty(db *d, int64_t org_id);
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
