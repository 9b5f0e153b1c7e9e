/* fx_store.c - see fx_store.h. */
#include "feature/fx/fx_store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int fx_store_import(db *d, const char *source, const ecb_rates *rates)
{
    assert(rates->count <= ECB_RATES_MAX);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return -1;
    int added = 0;
    for (size_t i = 0; i < rates->count; i++) {
        db_stmt *s = db_prepare(d,
            "INSERT INTO fx_rates (source, rate_date, currency, rate_units, imported_at)"
            " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
        if (!s)
            goto fail;
        assert(rates->rates[i].rate.units > 0);
        db_bind_text(s, 1, source);
        db_bind_text(s, 2, rates->date);
        db_bind_text(s, 3, rates->rates[i].cur->code);
        db_bind_int64(s, 4, rates->rates[i].rate.units);
        db_bind_int64(s, 5, (int64_t)time(NULL));
        if (db_exec1(s) != DB_DONE)
            goto fail;
        added += (int)db_changes(d);
    }
    if (db_commit(d) != DB_OK)
        return -1;
    return added;
fail:
    db_rollback(d);
    return -1;
}

bool fx_store_latest(db *d, const currency *cur, fx_rate *rate, char date[11], char source[16])
{
    if (!strcmp(cur->code, "EUR")) {
        *rate = FX_RATE_ONE;
        snprintf(date, 11, "%s", "");
        snprintf(source, 16, "%s", "identity");
        return true;
    }
    db_stmt *s = db_prepare(d,
        "SELECT rate_units, rate_date, source FROM fx_rates WHERE currency = $1"
        " ORDER BY rate_date DESC LIMIT 1");
    if (!s)
        return false;
    db_bind_text(s, 1, cur->code);
    bool found = db_step(s) == DB_ROW;
    if (found) {
        rate->units = db_col_int64(s, 0);
        snprintf(date, 11, "%s", db_col_text(s, 1));
        snprintf(source, 16, "%s", db_col_text(s, 2));
    }
    db_done(s);
    return found;
}
