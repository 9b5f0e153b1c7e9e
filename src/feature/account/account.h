/* account.h - a user's own account as a whole: the export of everything saldo
 * keeps about them (GDPR art. 15 and 20) and deleting the account (art. 17).
 * Works through the headers of auth, orgs, addresses, wallet, ledger and
 * staff; owns no table. Shared by the API (account_api.c) and the pages. */
#ifndef SALDO_ACCOUNT_H
#define SALDO_ACCOUNT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/orgs/orgs.h"
#include "http/router.h"

enum {
    ACCOUNT_ORGS_MAX = 200,                 /* memberships looked at by deletion and export */
    ACCOUNT_EXPORT_LINES_MAX = 10000,       /* ledger lines per organization in an export */
    ACCOUNT_EXPORT_AUDIT_MAX = 100,
};

/* The user's data as one JSON document (see docs/API.md, GET /me/export);
 * never a secret. NULL on a store error; the caller owns it. */
json_t *account_export(http_request *r, int64_t user_id);
/* The export's answer headers: a download named saldo-export-YYYY-MM-DD.json
 * (today in Italy), never cached. */
void account_export_headers(http_request *r);

typedef enum {
    ACCOUNT_BLOCK_LAST_ADMIN, /* last administrator of an organization with other members */
    ACCOUNT_BLOCK_BALANCE,    /* last administrator of an organization with money: withdraw first */
    ACCOUNT_BLOCK_COUNT
} account_block_reason;

/* "last_admin", "balance". */
extern const char *const account_block_codes[ACCOUNT_BLOCK_COUNT];

typedef struct account_blocker {
    int64_t org_id;
    char name[ORG_NAME_MAX + 1];
    account_block_reason reason;
} account_blocker;

/* What stands in the way of deleting user_id: up to max blockers into out.
 * Returns how many (0: the account may go), or -1 on a store error. */
int account_blockers(http_request *r, int64_t user_id, account_blocker *out, size_t max);

typedef enum {
    ACCOUNT_DELETED,
    ACCOUNT_BLOCKED,      /* see account_blockers; nothing changed */
    ACCOUNT_STORE_ERROR,  /* nothing changed */
    ACCOUNT_RESULT_COUNT
} account_result;

/* Deletes user_id's account in one transaction, after the caller checked the
 * password (and the two-factor code): every membership ends, each organization
 * they were the only member of (and that holds no money) is deleted with its
 * addresses, and auth erases their personal data and revokes their sessions.
 * Ledger lines and audit entries stay. ACCOUNT_BLOCKED when account_blockers
 * finds something (checked again inside the transaction). */
account_result account_delete(http_request *r, int64_t user_id);

void account_routes(router *rt);

#endif
