/* vat_api.c - the VAT API:
 *   GET/POST /api/v1/staff/vat-rates          the rates as data (staff)
 *   GET      /api/v1/orgs/{org_id}/vat-preview?date=YYYY-MM-DD
 *            the evidence and decision for the organization (billing right)
 * A rate is added, never edited: POST {country, rate, effective_from}, where
 * rate is a percentage as a string with at most two decimals ("25.5") or a
 * whole number (22). */
#include "feature/vat/vat.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/country.h"
#include "core/period.h"
#include "core/vat.h"
#include "core/zone.h"
#include "feature/orgs/orgs.h"
#include "feature/vat/vat_preview.h"
#include "feature/vat/vat_rates.h"
#include "http/json_in.h"
#include "lib/config.h"

bool vat_today(char out[11])
{
    return zone_provider_date((int64_t)time(NULL), out);
}

static void get_rates(http_request *r)
{
    char today[11];
    json_t *j = vat_today(today) ? vat_rates_json(r->db, today) : NULL;
    if (!j)
        return http_error(r, 500, "store_error", "cannot read the VAT rates", NULL);
    http_json(r, 200, j);
}

static void field_error(http_request *r, const char *field, const char *why)
{
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, why), field);
}

/* rate as "25.5" or 22, into basis points; 422 answered otherwise. */
static bool read_rate(http_request *r, json_t *b, int *bp)
{
    json_t *v = json_object_get(b, "rate");
    char whole[16];
    const char *text = json_is_string(v) ? json_string_value(v) : NULL;
    if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 100) {
        snprintf(whole, sizeof whole, "%d", (int)json_integer_value(v));
        text = whole;
    }
    if (vat_rate_parse(text, bp))
        return true;
    field_error(r, "rate", "expected a percentage from 0 to 30 with at most two decimals, like \"22\" or \"25.5\"");
    return false;
}

static void post_rate(http_request *r)
{
    json_t *b;
    const char *country, *from;
    int bp;
    if (!jin_body(r, &b) || !jin_string(r, b, "country", JIN_REQUIRED, 2, 2, &country))
        return;
    if (!country_in_eu(country))
        return field_error(r, "country", "expected the ISO code of an EU member state, like IT or DE (GR for Greece)");
    if (!read_rate(r, b, &bp) || !jin_string(r, b, "effective_from", JIN_REQUIRED, 10, 10, &from))
        return;
    int64_t t;
    if (!period_parse_date(from, &t))
        return field_error(r, "effective_from", "expected a date as YYYY-MM-DD");
    int64_t id;
    switch (vat_rates_add(r->db, r->staff_id, r->client_ip, country, bp, from, &id)) {
    case VAT_RATES_OK: break;
    case VAT_RATES_DUPLICATE:
        return http_error(r, 409, "rate_exists",
                          "this country has a rate from that date already: rates are never edited, add one from "
                          "another date", "effective_from");
    default: return http_error(r, 500, "store_error", "the rate could not be saved; nothing was changed", NULL);
    }
    char text[8];
    vat_rate_text(bp, text);
    http_json(r, 201, json_pack("{s:I, s:s, s:i, s:s, s:s}", "id", (json_int_t)id, "country", country, "rate_bp", bp,
                                "rate", text, "effective_from", from));
}

static void get_preview(http_request *r)
{
    int64_t org_id, t;
    if (!http_param_id(r, "org_id", &org_id) || !org_user_may(r->db, r->user_id, org_id, ORG_NEED_BILLING))
        return http_error(r, 404, "not_found", "no such organization", NULL);
    const char *q = http_query(r, "date");
    char date[11];
    if (q && (strlen(q) != 10 || !period_parse_date(q, &t)))
        return http_error(r, 422, "invalid_field", "date: expected a date as YYYY-MM-DD", "date");
    if (q)
        memcpy(date, q, sizeof date);
    else if (!vat_today(date))
        return http_error(r, 500, "clock_error", "cannot read today's date", NULL);
    vat_evidence ev;
    vat_status st = VAT_OK;
    vat_decision d;
    const char *seller = r->app->cfg->provider.country;
    vat_preview_result res = vat_preview(r->db, org_id, seller, date, &ev, &st, &d);
    if (res == VAT_PREVIEW_STORE_ERROR || res == VAT_PREVIEW_NOT_FOUND)
        return http_error(r, res == VAT_PREVIEW_NOT_FOUND ? 404 : 500,
                          res == VAT_PREVIEW_NOT_FOUND ? "not_found" : "store_error",
                          res == VAT_PREVIEW_NOT_FOUND ? "no such organization" : "cannot decide the VAT", NULL);
    const char *status = res == VAT_PREVIEW_NO_ADDRESS ? "no_billing_address" : vat_status_name(st);
    json_t *decision = res == VAT_PREVIEW_DECIDED && st == VAT_OK ? vat_decision_json(&d) : json_null();
    http_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}", "status", status, "seller_country", seller, "evidence",
                                vat_evidence_json(&ev), "decision", decision));
}

void vat_routes(router *rt)
{
    router_add(rt, "GET", "/api/v1/staff/vat-rates", get_rates, ROUTE_STAFF);
    router_add(rt, "POST", "/api/v1/staff/vat-rates", post_rate, ROUTE_STAFF);
    router_add(rt, "GET", "/api/v1/orgs/{org_id}/vat-preview", get_preview, ROUTE_USER);
}
