/* cmd_demo.h - the parts of `saldo demo` kept in their own files. */
#ifndef SALDO_CMD_DEMO_H
#define SALDO_CMD_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* The demo catalog, with reseller_org as a reseller, inside the caller's
 * write transaction; false (after printing why) on any failure. */
bool demo_catalog(db *d, int64_t reseller_org);
/* The demo customers' services (orgs: their organizations, in the order of
 * the demo customers), inside the caller's write transaction; false (after
 * printing why) on any failure. */
bool demo_services(db *d, const int64_t *orgs, int64_t now);

#endif
