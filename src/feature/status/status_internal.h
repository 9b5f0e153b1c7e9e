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

/* The mail of a (update: an update of it) in English [0] and Italian [1],
 * in r's arena. False when a template is missing. */
bool status_mail_render(http_request *r, const announcement_row *a, bool update, const char *subject[2],
                        const char *body[2]);

#endif
