/* vat_rates.h - the EU VAT rates as data (table vat_rates, migration 0016):
 * the rate of a country on a date for vat_decide, staff adding a rate from
 * an effective date (never editing one), and the list staff see. Countries
 * outside the EU have no rows: vat_decide never asks for them. */
#ifndef SALDO_VAT_RATES_H
#define SALDO_VAT_RATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

enum { VAT_RATES_ROWS_MAX = 2000 }; /* rows read for a list: decades of changes of 27 countries */

/* The context of vat_rates_lookup: the connection, and whether a lookup
 * failed on a store error (the answer then was -1 as for "no rate"). */
typedef struct vat_rates_ctx {
    db *d;
    bool store_error;
} vat_rates_ctx;

/* A vat_rate_lookup (core/vat.h) over the table: ctx is a vat_rates_ctx. */
int vat_rates_lookup(void *ctx, const char *country, const char *date);

typedef enum vat_rates_result {
    VAT_RATES_OK,
    VAT_RATES_DUPLICATE, /* the country has a rate from that date already */
    VAT_RATES_STORE_ERROR,
} vat_rates_result;

/* Adds a rate of an EU country (0..VAT_RATE_BP_MAX) from effective_from
 * ("YYYY-MM-DD", a real date) and writes "vat_rate.add" to the staff audit
 * log, in one transaction of its own; *id_out is the new row. */
vat_rates_result vat_rates_add(db *d, int64_t staff_id, const char *ip, const char *country, int rate_bp,
                               const char *effective_from, int64_t *id_out);

/* {"date": today, "countries": [{"country", "current": {rate} | null,
 * "rates": [{rate}, newest effective date first]}]} by country, where a
 * rate is {"id", "rate_bp", "rate", "effective_from", "created_by_staff_id"
 * (null for the seeded rows), "created_at"} and "current" is the one in
 * force on today ("YYYY-MM-DD"). NULL on a store error; the caller owns it. */
json_t *vat_rates_json(db *d, const char *today);

#endif
