/* fx_store.h - exchange rates kept with their source and date, so every
 * conversion can say which rate it used. Rates are per 1 EUR (ECB style). */
#ifndef SALDO_FX_STORE_H
#define SALDO_FX_STORE_H

#include <stdbool.h>

#include "core/fx.h"
#include "feature/fx/ecb.h"
#include "store/db.h"

/* Stores one ECB file's rates in one transaction; returns how many were new
 * (rates already stored for that date are kept), or -1 on a store error. */
int fx_store_import(db *d, const char *source, const ecb_rates *rates);

/* The newest stored rate of 1 EUR in cur (EUR itself is 1) with its date and
 * source; false when none is stored. */
bool fx_store_latest(db *d, const currency *cur, fx_rate *rate, char date[11], char source[16]);

#endif
