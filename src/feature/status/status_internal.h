/* status_internal.h - what the files of src/feature/status share. */
#ifndef SALDO_STATUS_INTERNAL_H
#define SALDO_STATUS_INTERNAL_H

#include "feature/status/status.h"

/* "product", "category", "service" (indexed by announcement_target_kind). */
extern const char *const announcement_target_names[TARGET_KIND_COUNT];

/* An announcement as its notification and mail tell it; body[] on the heap. */
typedef struct announcement_row {
    int64_t id;
    char kind[16];
    char title[2][ANNOUNCEMENT_TITLE_MAX + 1];
    char *body[2];
    int64_t starts_at, ends_at;
} announcement_row;

/* Checks in: ANNOUNCEMENT_OK, INVALID with *field and *message, or
 * STORE_ERROR; *targeted and *is_public as it is to be posted (a resolution
 * takes its incident's audience and, by default, whether it is public). */
announcement_result announcement_check(db *d, const announcement_in *in, bool *targeted, bool *is_public,
                                       const char **field, const char **message);
/* Announcement id is an open incident: 1 with its audience and public, 0 when
 * not, -1 on a store error. */
int announcement_open_incident(db *d, int64_t id, bool *targeted, bool *is_public);
/* A maintenance has a window that ends after it starts, other kinds none. */
bool announcement_times_ok(const char *kind, int64_t starts_at, int64_t ends_at, const char **field,
                           const char **message);
/* The texts a patch sets have the lengths of new ones. */
bool announcement_patch_texts_ok(const announcement_patch *p, const char **field, const char **message);

/* The mail of a (update: an update of it) in English [0] and Italian [1],
 * in r's arena. False when a template is missing. */
bool status_mail_render(http_request *r, const announcement_row *a, bool update, const char *subject[2],
                        const char *body[2]);

#endif
