/* staff.h - the provider's staff: accounts separate from customers, the back
 * office API, and the audit log every staff action writes to. */
#ifndef SALDO_STAFF_H
#define SALDO_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "http/router.h"
#include "store/db.h"

void staff_routes(router *rt);
/* Creates a staff account (for `saldo staff add`); false with err filled. */
bool staff_add(db *d, const char *email, const char *name, const char *password, char *err, size_t err_size);
/* Appends to the audit log inside the caller's transaction; detail is JSON text. */
bool staff_audit(db *d, int64_t staff_id, const char *action, const char *target_kind, int64_t target_id,
                 const char *detail, const char *ip);

#endif
