/* vat_rates.c - see vat_rates.h. The rate in force on a date is the row with
 * the latest effective_from not after it; dates are 'YYYY-MM-DD' text, which
 * compares in date order. */
#include "feature/vat/vat_rates.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/country.h"
#include "core/vat.h"
#include "feature/staff/staff.h"
#include "http/json_in.h"

int vat_rates_lookup(void *ctx, const char *country, const char *date)
{
    vat_rates_ctx *c = ctx;
    assert(c && c->d && country && date);
    db_stmt *s = db_prepare(c->d,
        "SELECT rate_bp FROM vat_rates WHERE country = $1 AND effective_from <= $2"
        " ORDER BY effective_from DESC LIMIT 1");
    if (!s) {
        c->store_error = true;
        return -1;
    }
    db_bind_text(s, 1, country);
    db_bind_text(s, 2, date);
    db_status st = db_step(s);
    int rate = st == DB_ROW ? (int)db_col_int64(s, 0) : -1;
    db_done(s);
    if (st != DB_ROW && st != DB_DONE)
        c->store_error = true;
    assert(rate >= -1 && rate <= VAT_RATE_BP_MAX);
    return rate;
}

static bool audit_add(db *d, int64_t staff_id, const char *ip, int64_t id, const char *country, int rate_bp,
                      const char *from)
{
    json_t *j = json_pack("{s:s, s:i, s:s}", "country", country, "rate_bp", rate_bp, "effective_from", from);
    char *text = json_dumps(j, JSON_COMPACT);
    bool ok = text && staff_audit(d, staff_id, "vat_rate.add", "vat_rate", id, text, ip);
    free(text);
    json_decref(j);
    return ok;
}

/* Inserts the row unless the country has one from that date; 0 when it has. */
static int64_t insert_rate(db *d, int64_t staff_id, const char *country, int rate_bp, const char *from, bool *failed)
{
    db_stmt *s = db_prepare(d,
        "INSERT INTO vat_rates (country, rate_bp, effective_from, created_by_staff_id, created_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (country, effective_from) DO NOTHING RETURNING id");
    if (!s)
        return *failed = true, 0;
    db_bind_text(s, 1, country);
    db_bind_int64(s, 2, rate_bp);
    db_bind_text(s, 3, from);
    db_bind_int64(s, 4, staff_id);
    db_bind_int64(s, 5, (int64_t)time(NULL));
    db_status st = db_step(s);
    int64_t id = st == DB_ROW ? db_col_int64(s, 0) : 0;
    db_done(s);
    *failed = st != DB_ROW && st != DB_DONE;
    return id;
}

vat_rates_result vat_rates_add(db *d, int64_t staff_id, const char *ip, const char *country, int rate_bp,
                               const char *effective_from, int64_t *id_out)
{
    assert(staff_id > 0 && country_in_eu(country) && rate_bp >= 0 && rate_bp <= VAT_RATE_BP_MAX);
    assert(effective_from && strlen(effective_from) == 10);
    if (db_begin(d, DB_TX_WRITE) != DB_OK)
        return VAT_RATES_STORE_ERROR;
    bool failed = false;
    int64_t id = insert_rate(d, staff_id, country, rate_bp, effective_from, &failed);
    if (failed || !id) {
        db_rollback(d);
        return failed ? VAT_RATES_STORE_ERROR : VAT_RATES_DUPLICATE;
    }
    if (!audit_add(d, staff_id, ip, id, country, rate_bp, effective_from) || db_commit(d) != DB_OK) {
        db_rollback(d);
        return VAT_RATES_STORE_ERROR;
    }
    *id_out = id;
    return VAT_RATES_OK;
}

static json_t *rate_json(db_stmt *s)
{
    int bp = (int)db_col_int64(s, 2);
    assert(bp >= 0 && bp <= VAT_RATE_BP_MAX);
    char text[8];
    vat_rate_text(bp, text);
    json_t *staff = db_col_is_null(s, 4) ? json_null() : json_integer(db_col_int64(s, 4));
    return json_pack("{s:I, s:i, s:s, s:s, s:o, s:o}", "id", (json_int_t)db_col_int64(s, 0), "rate_bp", bp, "rate",
                     text, "effective_from", db_col_text(s, 3), "created_by_staff_id", staff, "created_at",
                     jout_time(db_col_int64(s, 5)));
}

/* The entry of country in countries, added when it is not the last one. */
static json_t *country_entry(json_t *countries, const char *country)
{
    size_t n = json_array_size(countries);
    json_t *last = n ? json_array_get(countries, n - 1) : NULL;
    if (last && !strcmp(json_string_value(json_object_get(last, "country")), country))
        return last;
    json_t *e = json_pack("{s:s, s:n, s:[]}", "country", country, "current", "rates");
    json_array_append_new(countries, e);
    return e;
}

json_t *vat_rates_json(db *d, const char *today)
{
    db_stmt *s = db_prepare(d,
        "SELECT id, country, rate_bp, effective_from, created_by_staff_id, created_at FROM vat_rates"
        " ORDER BY country, effective_from DESC LIMIT $1");
    if (!s)
        return NULL;
    db_bind_int64(s, 1, VAT_RATES_ROWS_MAX);
    json_t *countries = json_array();
    db_status st;
    while ((st = db_step(s)) == DB_ROW) {
        json_t *e = country_entry(countries, db_col_text(s, 1));
        json_t *rate = rate_json(s);
        if (json_is_null(json_object_get(e, "current")) && strcmp(db_col_text(s, 3), today) <= 0)
            json_object_set(e, "current", rate);
        json_array_append_new(json_object_get(e, "rates"), rate);
    }
    db_done(s);
    if (st != DB_DONE) {
        json_decref(countries);
        return NULL;
    }
    return json_pack("{s:s, s:o}", "date", today, "countries", countries);
}
