/* catalog_check.c - the rules a category, a product with its price list and a
 * reseller's discounts must follow before they are stored (catalog_admin.h):
 * one place, so the API, the back office forms and the demo data agree. */
#include "feature/catalog/catalog_admin.h"

#include <string.h>

#include "core/period.h"
#include "http/field.h"

const char *catalog_field_message(catalog_field_error e)
{
    switch (e) {
    case CATALOG_FIELD_REQUIRED: return "is required";
    case CATALOG_FIELD_TOO_LONG: return "is too long";
    case CATALOG_FIELD_CHARS: return "contains characters that are not allowed";
    case CATALOG_FIELD_CODE: return "must be 1 to 64 lowercase letters, digits or dashes";
    case CATALOG_FIELD_CODE_TAKEN: return "is already used by another entry";
    case CATALOG_FIELD_PROVISIONER: return "must be \"manual\" or 1 to 64 lowercase letters, digits, _ or -";
    case CATALOG_FIELD_CATEGORY: return "is not an existing category";
    case CATALOG_FIELD_POSITION: return "must be a whole number from 0 to 100000";
    case CATALOG_FIELD_CURRENCY: return "is not a known ISO 4217 currency code";
    case CATALOG_FIELD_PERIOD: return "must be 1, 3, 6, 12, 24, 36, 48 or 60 months";
    case CATALOG_FIELD_PROMO_PERIOD: return "a promotional product is sold for 12 or 24 months only";
    case CATALOG_FIELD_AMOUNT: return "must be an amount from 0 to 10^12 minor units";
    case CATALOG_FIELD_DUPLICATE: return "appears twice";
    case CATALOG_FIELD_TOO_MANY: return "has too many entries";
    case CATALOG_FIELD_PERCENT: return "must be from 0 to 10000 basis points";
    default: return "is not valid";
    }
}

static bool fail(catalog_error *err, catalog_field_error e, const char *field, int index)
{
    *err = (catalog_error){e, field, index};
    return false;
}

/* One line of text: required or not, at most max bytes, no control characters;
 * with multiline, line breaks and tabs are allowed too. */
static bool text_ok(const char *s, bool required, size_t max, bool multiline, const char *field, catalog_error *err)
{
    size_t n = strlen(s);
    if (required && n == 0)
        return fail(err, CATALOG_FIELD_REQUIRED, field, -1);
    if (n > max)
        return fail(err, CATALOG_FIELD_TOO_LONG, field, -1);
    const char *breaks = multiline ? "\r\n\t" : "";
    for (const char *p = s; *p;) {
        size_t seg = multiline ? strcspn(p, breaks) : n;
        if (!field_text_ok(p, seg))
            return fail(err, CATALOG_FIELD_CHARS, field, -1);
        p += seg;
        p += strspn(p, breaks);
    }
    return true;
}

/* 1..64 bytes of a-z, 0-9 and the characters of extra. */
static bool code_ok(const char *s, const char *extra)
{
    size_t n = strlen(s);
    if (n == 0 || n > CATALOG_CODE_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr(extra, *p)))
            return false;
    return true;
}

/* 1 when table's code is used by a row other than id, 0 free, -1 store error. */
static int code_taken(db *d, bool products, const char *code, int64_t id)
{
    db_stmt *s = db_prepare(d, products ? "SELECT 1 FROM catalog_products WHERE code = $1 AND id <> $2"
                                        : "SELECT 1 FROM catalog_categories WHERE code = $1 AND id <> $2");
    if (!s)
        return -1;
    db_bind_text(s, 1, code);
    db_bind_int64(s, 2, id);
    db_status st = db_step(s);
    db_done(s);
    return st == DB_ROW ? 1 : st == DB_DONE ? 0 : -1;
}

/* The checks both kinds share: code (free), names, descriptions, position. */
static catalog_result common_check(db *d, bool products, int64_t id, const char *code, const char *const names[4],
                                   int64_t position, catalog_error *err)
{
    if (!code_ok(code, "-"))
        return fail(err, *code ? CATALOG_FIELD_CODE : CATALOG_FIELD_REQUIRED, "code", -1), CATALOG_INVALID;
    if (!text_ok(names[0], true, CATALOG_NAME_MAX, false, "name_en", err) ||
        !text_ok(names[1], true, CATALOG_NAME_MAX, false, "name_it", err) ||
        !text_ok(names[2], false, CATALOG_DESCRIPTION_MAX, true, "description_en", err) ||
        !text_ok(names[3], false, CATALOG_DESCRIPTION_MAX, true, "description_it", err))
        return CATALOG_INVALID;
    if (position < 0 || position > CATALOG_POSITION_MAX)
        return fail(err, CATALOG_FIELD_POSITION, "position", -1), CATALOG_INVALID;
    int taken = code_taken(d, products, code, id);
    if (taken < 0)
        return CATALOG_STORE_ERROR;
    if (taken)
        return fail(err, CATALOG_FIELD_CODE_TAKEN, "code", -1), CATALOG_INVALID;
    return CATALOG_OK;
}

catalog_result catalog_category_check(db *d, int64_t id, const catalog_category_in *in, catalog_error *err)
{
    const char *const names[4] = {in->name_en, in->name_it, in->description_en, in->description_it};
    return common_check(d, false, id, in->code, names, in->position, err);
}

static bool prices_ok(const catalog_product_in *in, catalog_error *err)
{
    if (in->price_count > CATALOG_PRICES_MAX)
        return fail(err, CATALOG_FIELD_TOO_MANY, "prices", -1);
    for (size_t i = 0; i < in->price_count; i++) {
        const catalog_price_row *p = &in->prices[i];
        int at = (int)i;
        if (!p->cur)
            return fail(err, CATALOG_FIELD_CURRENCY, "prices", at);
        if (!period_valid(p->months))
            return fail(err, CATALOG_FIELD_PERIOD, "prices", at);
        if (in->promotional && !period_valid_promotional(p->months))
            return fail(err, CATALOG_FIELD_PROMO_PERIOD, "prices", at);
        if (p->price_minor < 0 || p->price_minor > CATALOG_AMOUNT_MAX || p->setup_minor < 0 ||
            p->setup_minor > CATALOG_AMOUNT_MAX)
            return fail(err, CATALOG_FIELD_AMOUNT, "prices", at);
        for (size_t j = 0; j < i; j++)
            if (in->prices[j].cur == p->cur && in->prices[j].months == p->months)
                return fail(err, CATALOG_FIELD_DUPLICATE, "prices", at);
    }
    return true;
}

catalog_result catalog_product_check(db *d, int64_t id, const catalog_product_in *in, catalog_error *err)
{
    const char *const names[4] = {in->name_en, in->name_it, in->description_en, in->description_it};
    catalog_result res = common_check(d, true, id, in->code, names, in->position, err);
    if (res != CATALOG_OK)
        return res;
    if (!text_ok(in->instructions_en, false, CATALOG_INSTRUCTIONS_MAX, true, "instructions_en", err) ||
        !text_ok(in->instructions_it, false, CATALOG_INSTRUCTIONS_MAX, true, "instructions_it", err))
        return CATALOG_INVALID;
    if (!code_ok(in->provisioner, "-_"))
        return fail(err, *in->provisioner ? CATALOG_FIELD_PROVISIONER : CATALOG_FIELD_REQUIRED, "provisioner", -1),
               CATALOG_INVALID;
    catalog_category c;
    int found = in->category_id > 0 ? catalog_category_get(d, in->category_id, &c) : 0;
    if (found < 0)
        return CATALOG_STORE_ERROR;
    if (!found)
        return fail(err, CATALOG_FIELD_CATEGORY, "category_id", -1), CATALOG_INVALID;
    return prices_ok(in, err) ? CATALOG_OK : CATALOG_INVALID;
}
