/* addresses.h - an organization's billing addresses and notification addresses.
 *
 * Billing addresses: several per organization, exactly one of the live ones is
 * the default whenever there is any. A version never changes: an edit makes a
 * new version (a new id) and retires the old one, so a document, an order or a
 * service that keeps an address id keeps the text it was made with
 * (address_snapshot), and address_current_id finds the version in use today.
 * Deleting retires the address; deleting the default makes the oldest remaining
 * address the default.
 *
 * Notification addresses: one email address per kind of message; a kind
 * without one goes to the organization's first administrator (notify_address).
 *
 * Shared by the API (addresses_api.c) and the pages (feature/web); the calls
 * that change something run their own transaction unless they say otherwise. */
#ifndef SALDO_ADDRESSES_H
#define SALDO_ADDRESSES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/field.h"
#include "http/router.h"
#include "store/db.h"

enum {
    ADDRESS_RECIPIENT_MAX = 200,
    ADDRESS_STREET_MAX = 200,
    ADDRESS_EXTRA_MAX = 200,
    ADDRESS_POSTAL_CODE_MAX = 20,
    ADDRESS_CITY_MAX = 100,
    ADDRESS_PROVINCE_MAX = 100,
    ADDRESSES_PER_ORG_MAX = 50, /* live addresses of one organization */
};

/* The text of an address: what an invoice prints. */
typedef struct address_fields {
    char recipient[ADDRESS_RECIPIENT_MAX + 1];     /* company or person */
    char street[ADDRESS_STREET_MAX + 1];           /* street and number */
    char extra[ADDRESS_EXTRA_MAX + 1];             /* additional line, may be "" */
    char postal_code[ADDRESS_POSTAL_CODE_MAX + 1]; /* "" where there is none; 5 digits in IT */
    char city[ADDRESS_CITY_MAX + 1];
    char province[ADDRESS_PROVINCE_MAX + 1];       /* may be ""; the sigla ("MI") in IT */
    char country[3];                               /* ISO 3166-1 alpha-2 */
} address_fields;

/* One version of a billing address: a self-contained copy (no pointers). */
typedef struct address {
    int64_t id;
    int64_t org_id;
    int64_t origin_id;   /* the first version's id (id itself for a first version) */
    int64_t created_at;  /* Unix seconds */
    int64_t retired_at;  /* 0 while live */
    int64_t replaced_by; /* the next version after an edit, 0 if none */
    bool is_default;
    address_fields f;
} address;

/* What a caller read (a JSON body or a form); NULL = absent. */
typedef struct address_in {
    const char *recipient, *street, *extra, *postal_code, *city, *province, *country;
} address_in;

typedef enum {
    ADDRESS_FIELD_OK,
    ADDRESS_FIELD_REQUIRED, /* empty or absent */
    ADDRESS_FIELD_TOO_LONG,
    ADDRESS_FIELD_CHARS,    /* not UTF-8 text, or control characters */
    ADDRESS_FIELD_COUNTRY,  /* not an ISO 3166 code */
    ADDRESS_FIELD_CAP,      /* IT: the postal code is not five digits */
    ADDRESS_FIELD_PROVINCE, /* IT: not a province sigla */
    ADDRESS_FIELD_ERROR_COUNT
} address_field_error;

/* Checks and normalizes in into out: surrounding spaces trimmed, country and
 * (in Italy) province upper-cased. On an error *field names the first bad field
 * ("recipient", "street", "extra", "postal_code", "city", "province",
 * "country") and out is unspecified. Pure: the same rules for API and pages. */
address_field_error address_check(const address_in *in, address_fields *out, const char **field);
/* English message for an error (the API's; pages translate their own). */
const char *address_field_message(address_field_error e);

typedef enum {
    ADDRESS_OK,
    ADDRESS_NOT_FOUND,   /* no such address in this organization */
    ADDRESS_RETIRED,     /* edited or deleted already: only its text can be read */
    ADDRESS_TOO_MANY,    /* ADDRESSES_PER_ORG_MAX live addresses already */
    ADDRESS_STORE_ERROR, /* nothing changed */
    ADDRESS_RESULT_COUNT
} address_result;

/* Adds an address; the first one of an organization is always the default,
 * make_default makes a later one the default. *out_id is its id. */
address_result address_create(db *d, int64_t org_id, const address_fields *f, bool make_default, int64_t *out_id);
/* Makes f the new version of live address id; *new_id is the new version's id
 * (id itself when f equals the current text: nothing changes). The default
 * stays with the new version. */
address_result address_update(db *d, int64_t org_id, int64_t id, const address_fields *f, int64_t *new_id);
/* Retires live address id; if it was the default, the oldest remaining address
 * becomes the default. */
address_result address_delete(db *d, int64_t org_id, int64_t id);
/* Makes live address id the organization's default. */
address_result address_set_default(db *d, int64_t org_id, int64_t id);

/* Up to max live addresses of org, the default first, then in the order they
 * were first added. Returns how many, or -1 on a store error. */
int address_list(db *d, int64_t org_id, address *out, size_t max);
/* The first address address_list would give (the default, else the first
 * added live one): 1 found, 0 none, -1 store error. Picked in C from the
 * organization's few addresses: the list's ORDER BY needs a temporary B-tree
 * on every call, and every order and top-up reads this. */
int address_first(db *d, int64_t org_id, address *out);
/* The version id of org (live or retired), as it was written; false when org
 * has no such address or on a store error. For documents: freeze *out. */
bool address_snapshot(db *d, int64_t org_id, int64_t id, address *out);
/* The default address of org; false when it has none (or on a store error). */
bool address_default(db *d, int64_t org_id, address *out);
/* The live version of the address id was a version of (id itself while live),
 * 0 when that address has been deleted or is not org's. For renewals that keep
 * the id chosen at checkout. */
int64_t address_current_id(db *d, int64_t org_id, int64_t id);
/* Erases every billing and notification address of org, inside the caller's
 * write transaction: for deleting an organization (documents keep their own
 * snapshots). False on a store error. */
bool address_erase_org(db *d, int64_t org_id);

/* {"id", "recipient", ..., "country", "default", "created_at", "retired_at",
 * "replaced_by"} of a. */
json_t *address_json(const address *a);
/* "Recipient, Street, Extra, 20121 Milano MI, IT" on one line, in the arena. */
const char *address_one_line(arena *ar, const address *a);

/* ---- Notification addresses ---- */

typedef enum { NOTIFY_BILLING, NOTIFY_SUPPORT, NOTIFY_ABUSE, NOTIFY_STATUS, NOTIFY_KIND_COUNT } notify_kind;

/* "billing", "support", "abuse", "status" (indexed by notify_kind). */
extern const char *const notify_kind_names[NOTIFY_KIND_COUNT];

typedef struct notify_entry {
    char address[FIELD_EMAIL_MAX + 1];   /* set for this kind; "" = none */
    char effective[FIELD_EMAIL_MAX + 1]; /* where the mail goes; "" when nowhere (no administrator) */
    bool fallback;                       /* effective is the first administrator's */
} notify_entry;

/* Each kind's entry of org; false on a store error. */
bool notify_addresses_get(db *d, int64_t org_id, notify_entry out[NOTIFY_KIND_COUNT]);
/* Replaces the whole set: emails[k] is a checked, lowercased address, or NULL
 * for the fallback. False on a store error (nothing changed). */
bool notify_addresses_set(db *d, int64_t org_id, const char *const emails[NOTIFY_KIND_COUNT]);
/* Where mail of kind for org goes: its address, else the first administrator's
 * email. 1 found, 0 when there is neither (nobody to tell), -1 on a store
 * error (the caller's transaction should not pretend the mail was sent). For
 * the features that send mail. */
int notify_address(db *d, int64_t org_id, notify_kind kind, char out[FIELD_EMAIL_MAX + 1]);
/* The language of what org is sent (mails, documents): its first
 * administrator's, "en" when it has none. False on a store error, out then
 * "en" (a mail may go in English; a document must not be issued). */
bool notify_language(db *d, int64_t org_id, char out[3]);
/* {"billing": {"address", "effective", "fallback"}, ...} of org; NULL on a
 * store error. */
json_t *notify_addresses_json(db *d, int64_t org_id);

void addresses_routes(router *rt);

#endif
