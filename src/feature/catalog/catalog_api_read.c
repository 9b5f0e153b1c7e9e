/* catalog_api_read.c - reading the staff API's JSON bodies into the inputs of
 * catalog_admin.h: types here (422 naming the field), rules in
 * catalog_check.c. */
#include "feature/catalog/catalog_internal.h"

#include <string.h>

#include "http/json_in.h"

enum { CATALOG_JSON_TEXT_MAX = 16384 }; /* a first bound; catalog_check applies the real limits */

static bool invalid(http_request *r, const char *field, const char *message)
{
    http_error(r, 422, "invalid_field", arena_printf(r->a, "%s: %s", field, message), field);
    return false;
}

bool catalog_api_line(http_request *r, json_t *b, const char *field, const char **out)
{
    const char *v;
    if (!json_object_get(b, field))
        return true;
    if (!jin_not_null(r, b, field) || !jin_string(r, b, field, JIN_OPTIONAL, 0, CATALOG_JSON_TEXT_MAX, &v))
        return false;
    *out = v;
    return true;
}

bool catalog_api_multiline(http_request *r, json_t *b, const char *field, const char **out)
{
    json_t *v = json_object_get(b, field);
    if (!v)
        return true;
    if (!json_is_string(v))
        return invalid(r, field, "must be a string");
    if (json_string_length(v) > CATALOG_JSON_TEXT_MAX || strlen(json_string_value(v)) != json_string_length(v))
        return invalid(r, field, "is too long or holds a NUL character");
    *out = arena_strdup(r->a, json_string_value(v));
    return true;
}

bool catalog_api_int(http_request *r, json_t *b, const char *field, int64_t *out)
{
    json_t *v = json_object_get(b, field);
    if (!v)
        return true;
    if (!json_is_integer(v))
        return invalid(r, field, "must be an integer");
    *out = json_integer_value(v);
    return true;
}

static bool read_bool(http_request *r, json_t *b, const char *field, bool *out)
{
    return !json_object_get(b, field) || (jin_not_null(r, b, field) && jin_bool(r, b, field, JIN_OPTIONAL, out));
}

/* A money object of price i (field "price" or "setup_fee") into minor and *cur. */
static bool read_amount(http_request *r, json_t *entry, int i, const char *name, const currency **cur,
                        int64_t *minor)
{
    json_t *m = json_object_get(entry, name);
    json_t *c = json_object_get(m, "currency"), *v = json_object_get(m, "minor");
    const char *field = arena_printf(r->a, "prices[%d].%s", i, name);
    if (!json_is_object(m) || !json_is_string(c) || !json_is_integer(v))
        return invalid(r, "prices", arena_printf(r->a, "%s must be {\"currency\": \"EUR\", \"minor\": 1234}", field));
    const currency *found = currency_find(json_string_value(c));
    if (!found)
        return invalid(r, "prices", arena_printf(r->a, "%s: is not a known ISO 4217 currency code", field));
    if (*cur && *cur != found)
        return invalid(r, "prices", arena_printf(r->a, "%s: is not in the price's currency", field));
    *cur = found;
    *minor = json_integer_value(v);
    return true;
}

static bool read_prices(http_request *r, json_t *list, catalog_product_in *in)
{
    if (!json_is_array(list))
        return invalid(r, "prices", "must be an array of {\"period\", \"price\", \"setup_fee\"}");
    if (json_array_size(list) > CATALOG_PRICES_MAX)
        return invalid(r, "prices", "has too many entries");
    in->price_count = json_array_size(list);
    for (size_t i = 0; i < in->price_count; i++) {
        json_t *e = json_array_get(list, i);
        catalog_price_row *p = &in->prices[i];
        json_t *period = json_object_get(e, "period");
        *p = (catalog_price_row){0};
        if (!json_is_integer(period) || json_integer_value(period) < 0 || json_integer_value(period) > 1000)
            return invalid(r, "prices", arena_printf(r->a, "prices[%zu].period: must be a number of months", i));
        p->months = (int)json_integer_value(period);
        if (!read_amount(r, e, (int)i, "price", &p->cur, &p->price_minor) ||
            (json_object_get(e, "setup_fee") &&
             !read_amount(r, e, (int)i, "setup_fee", &p->cur, &p->setup_minor)))
            return false;
    }
    return true;
}

bool catalog_api_read_product(http_request *r, json_t *b, catalog_product_in *in, int *retired)
{
    static const char *const lines[] = {"code", "name_en", "name_it", "provisioner"};
    static const char *const texts[] = {"description_en", "description_it", "instructions_en", "instructions_it"};
    const char **line_slots[] = {&in->code, &in->name_en, &in->name_it, &in->provisioner};
    const char **text_slots[] = {&in->description_en, &in->description_it, &in->instructions_en,
                                 &in->instructions_it};
    for (size_t i = 0; i < 4; i++)
        if (!catalog_api_line(r, b, lines[i], line_slots[i]) ||
            !catalog_api_multiline(r, b, texts[i], text_slots[i]))
            return false;
    bool ret = false;
    if (!catalog_api_int(r, b, "category_id", &in->category_id) ||
        !catalog_api_int(r, b, "position", &in->position) || !read_bool(r, b, "auto_renew", &in->auto_renew) ||
        !read_bool(r, b, "promotional", &in->promotional) || !read_bool(r, b, "retired", &ret))
        return false;
    if (json_object_get(b, "retired"))
        *retired = ret;
    return !json_object_get(b, "prices") || read_prices(r, json_object_get(b, "prices"), in);
}

bool catalog_api_read_discounts(http_request *r, json_t *b, catalog_discount *ds, size_t *n)
{
    json_t *list = json_object_get(b, "discounts");
    if (!json_is_array(list))
        return invalid(r, "discounts", "is required: an array of {\"category_id\", \"percent_bp\"}");
    if (json_array_size(list) > CATALOG_CATEGORIES_MAX)
        return invalid(r, "discounts", "has too many entries");
    *n = json_array_size(list);
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(list, i);
        json_t *c = json_object_get(e, "category_id"), *bp = json_object_get(e, "percent_bp");
        if (!json_is_integer(c) || !json_is_integer(bp))
            return invalid(r, "discounts",
                           arena_printf(r->a, "discounts[%zu]: needs an integer category_id and percent_bp", i));
        if (json_integer_value(bp) < 0 || json_integer_value(bp) > CATALOG_BP_ONE)
            return invalid(r, "discounts",
                           arena_printf(r->a, "discounts[%zu].percent_bp: must be from 0 to 10000 basis points", i));
        ds[i] = (catalog_discount){json_integer_value(c), (int)json_integer_value(bp)};
    }
    return true;
}
