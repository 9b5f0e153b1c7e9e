/* vat.h - the VAT feature's entry points: its routes, and today's date as
 * VAT decisions take it (UTC). The rates store is vat_rates.h, the preview of
 * an organization's VAT vat_preview.h; the decision is core/vat.h. */
#ifndef SALDO_FEATURE_VAT_H
#define SALDO_FEATURE_VAT_H

#include <stdbool.h>

#include "http/router.h"

void vat_routes(router *rt);
/* Today (UTC) as "YYYY-MM-DD"; false if the clock is out of range. */
bool vat_today(char out[11]);

#endif
