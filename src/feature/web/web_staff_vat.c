/* web_staff_vat.c - the back office's page of EU VAT rates: each member
 * state's rate in force today and its history, and the form that adds a rate
 * from an effective date (past or future). A rate is never edited: a second
 * one on the same date is refused next to the date. The store and the audit
 * log are feature/vat's, the same the staff API uses. */
#include "feature/web/web_internal.h"

#include <string.h>

#include "core/country.h"
#include "core/number_text.h"
#include "core/period.h"
#include "core/vat.h"
#include "feature/vat/vat.h"
#include "feature/vat/vat_rates.h"
#include "feature/web/web.h"

/* Adds "shown" (the rate in the page's language), "initial" (the seeded
 * first rate, effective "since always") and "added" (when staff added it) to
 * each rate of each country. */
static void decorate(http_request *r, json_t *countries)
{
    size_t i, j;
    json_t *c, *rate;
    json_array_foreach(countries, i, c) {
        json_array_foreach(json_object_get(c, "rates"), j, rate) {
            json_object_set_new(rate, "shown",
                                json_string(web_vat_rate(r, (int)json_integer_value(json_object_get(rate, "rate_bp")))));
            json_object_set_new(rate, "initial",
                                json_boolean(!strcmp(json_string_value(json_object_get(rate, "effective_from")),
                                                     "0000-01-01")));
            json_object_set_new(rate, "added",
                                json_string(web_datetime(r, json_string_value(json_object_get(rate, "created_at")))));
        }
    }
}

static json_t *country_options(json_t *countries, const char *chosen)
{
    json_t *list = json_array(), *c;
    size_t i;
    json_array_foreach(countries, i, c) {
        const char *code = json_string_value(json_object_get(c, "country"));
        json_array_append_new(list, json_pack("{s:s, s:b}", "code", code, "selected", chosen && !strcmp(chosen, code)));
    }
    return list;
}

/* The page; typed (stolen, NULL = empty) holds what was typed, errors
 * (stolen, NULL = none) the messages by field. */
static void rates_page(http_request *r, int status, json_t *typed, json_t *errors)
{
    char today[11];
    json_t *j = vat_today(today) ? vat_rates_json(r->db, today) : NULL;
    if (!j) {
        json_decref(typed);
        json_decref(errors);
        return web_fail(r);
    }
    json_t *countries = json_incref(json_object_get(j, "countries"));
    json_decref(j);
    decorate(r, countries);
    if (!typed)
        typed = json_object();
    json_t *options = country_options(countries, json_string_value(json_object_get(typed, "country")));
    web_staff_page(r, status, "staff/vat_rates", _("VAT rates"), "vat",
                   json_pack("{s:s, s:o, s:o, s:o, s:o}", "today", today, "countries", countries, "options", options,
                             "form", typed, "errors", errors ? errors : json_object()));
}

static void get_rates(http_request *r)
{
    rates_page(r, 200, NULL, NULL);
}

static void post_rate(http_request *r)
{
    form f;
    if (!web_form(r, &f))
        return;
    json_t *errors = json_object();
    const char *country = form_get(&f, "country"), *rate = form_get(&f, "rate"), *from = form_get(&f, "effective_from");
    int bp = 0;
    int64_t t;
    if (!country || !country_in_eu(country))
        json_object_set_new(errors, "country", json_string(_("Choose one of the options.")));
    if (!percent_text_parse(rate, VAT_RATE_BP_MAX, &bp)) /* "25,5" as people type it in Italian too */
        json_object_set_new(errors, "rate", json_string(_("Enter a percentage from 0 to 30 with at most two decimals, like 22 or 25.5.")));
    if (!from || strlen(from) != 10 || !period_parse_date(from, &t))
        json_object_set_new(errors, "effective_from", json_string(_("Enter a date as YYYY-MM-DD.")));
    int64_t id;
    vat_rates_result res = json_object_size(errors)
                               ? VAT_RATES_OK
                               : vat_rates_add(r->db, r->staff_id, r->client_ip, country, bp, from, &id);
    if (!json_object_size(errors) && res == VAT_RATES_OK) {
        json_decref(errors);
        web_flash(r, "vat_rate_added");
        return http_redirect(r, "/staff/vat-rates");
    }
    if (res == VAT_RATES_STORE_ERROR) {
        json_decref(errors);
        return web_fail(r);
    }
    if (res == VAT_RATES_DUPLICATE)
        json_object_set_new(errors, "effective_from",
                            json_string(_("This country has a rate from this date already: rates are never edited, add one from another date.")));
    json_t *typed = json_pack("{s:s, s:s, s:s}", "country", country ? country : "", "rate", rate ? rate : "",
                              "effective_from", from ? from : "");
    rates_page(r, res == VAT_RATES_DUPLICATE ? 409 : 422, typed, errors);
}

void web_staff_vat_routes(router *rt)
{
    router_add(rt, "GET", "/staff/vat-rates", get_rates, ROUTE_STAFF | ROUTE_PAGE);
    router_add(rt, "POST", "/staff/vat-rates", post_rate, ROUTE_STAFF | ROUTE_PAGE);
}
